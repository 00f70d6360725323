#!/usr/bin/env bash
# Hashing speed of `lanscatter manifest` against OpenSSL's BLAKE2b-512 and b2sum, in one run.
# usage: bench/hash.sh [SIZE_MB] [RUNS]   (defaults 1024, 3). Each figure is the best of RUNS.
# Prints a Markdown table of MB/s and ratios to OpenSSL measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-1024}
runs=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for tool in openssl b2sum taskset bc; do
  command -v "$tool" >/dev/null || { echo "bench/hash.sh needs $tool (apt-get install openssl coreutils util-linux bc)" >&2; exit 1; }
done

dotnet build src/LanScatter.Cli -c Release -o "$work/bin" >/dev/null
mkdir -p "$work/data" "$work/empty"
# Incompressible data; read once so every contender hashes from the page cache.
head -c $((size_mb << 20)) < <(openssl enc -aes-128-ctr -pass pass:lanscatter -nosalt -pbkdf2 -in /dev/zero 2>/dev/null) > "$work/data/file.bin"
cat "$work/data/file.bin" > /dev/null
bytes=$((size_mb << 20))

# Best wall time of $runs runs of a command, in seconds.
best() {
  local best_s="" s e t
  for _ in $(seq "$runs"); do
    s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc -l)
    if [ -z "$best_s" ] || [ "$(echo "$t < $best_s" | bc -l)" = 1 ]; then best_s=$t; fi
  done
  echo "$best_s"
}
mbps() { echo "scale=0; $bytes / 1000000 / $1" | bc -l; }
ratio() { echo "scale=2; $1 / $openssl" | bc -l | sed 's/^\./0./'; }
ls1() { taskset -c 0 dotnet "$work/bin/lanscatter.dll" manifest "$1" --no-cache --threads 1 --chunk-size 4M; }
ls2() { dotnet "$work/bin/lanscatter.dll" manifest "$1" --no-cache --threads 2 --chunk-size 4M; }

openssl=0
for _ in $(seq "$runs"); do
  v=$(taskset -c 0 openssl speed -evp blake2b512 -bytes 16384 -seconds 2 2>/dev/null | awk '/^blake2b512/ {v=$NF; sub("k","",v); printf "%d", v / 1000}')
  [ "$v" -gt "$openssl" ] && openssl=$v
done
b2=$(mbps "$(best taskset -c 0 b2sum "$work/data/file.bin")")
start1=$(best ls1 "$work/empty"); start2=$(best ls2 "$work/empty")
t1=$(best ls1 "$work/data"); t2=$(best ls2 "$work/data")
one=$(mbps "$t1"); two=$(mbps "$t2")
one_net=$(mbps "$(echo "$t1 - $start1" | bc -l)"); two_net=$(mbps "$(echo "$t2 - $start2" | bc -l)")

echo "| contender | MB/s | ratio to OpenSSL |"
echo "|---|---:|---:|"
echo "| openssl speed -evp blake2b512, 1 core (reference) | $openssl | 1.00 |"
echo "| b2sum, 1 core | $b2 | $(ratio "$b2") |"
echo "| lanscatter manifest, 1 thread on 1 core | $one | $(ratio "$one") |"
echo "| lanscatter manifest, 2 threads on 2 cores | $two | $(ratio "$two") |"
echo "| lanscatter, 1 core, start-up (${start1}s) excluded | $one_net | $(ratio "$one_net") |"
echo "| lanscatter, 2 cores, start-up (${start2}s) excluded | $two_net | $(ratio "$two_net") |"
echo
echo "2 cores / 1 core: $(echo "scale=2; $two / $one" | bc -l) with start-up, $(echo "scale=2; $two_net / $one_net" | bc -l) without."
echo "File ${size_mb} MiB, 4 MiB chunks, hashed from the page cache; best of $runs runs each; lane width $(grep -q avx512f /proc/cpuinfo && echo 8 || echo 4)."
