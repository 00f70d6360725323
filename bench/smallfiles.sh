#!/usr/bin/env bash
# Many small files: one peer against rsync, on loopback, in the same invocation.
# usage: [BUILD=aot|r2r|jit] bench/smallfiles.sh [FILES] [ROUNDS]   (default 10000 files, 3 rounds; builds: bench/publish.sh)
# Makes FILES files of 100 B to 3.7 KB in 100 folders (deterministic; a third of them repeat, as
# files of the same size and content do in real trees), starts a master on it, then in each round
# copies the folder with `rsync -a` into an empty folder and syncs it with `lanscatter peer --once`
# into another (the whole command: start, join, manifest, files, exit). Each run writes a new
# folder and the copies are only deleted at the end, after the disk was synced before each run,
# the same for both: ext4 is several times slower to create files right after many were deleted
# (rsync measured 0.4 s and 2.9 s for the same 10,000 files that way). Prints seconds and files/s
# per run and the ratio of the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-10000}; rounds=${2:-3}
work=$(mktemp -d /var/tmp/lanscatter-small.XXXXXX)
mpid=""
trap '[ -n "$mpid" ] && kill "$mpid" 2>/dev/null; rm -rf "$work"' EXIT
command -v rsync >/dev/null || { apt-get update -qq >/dev/null && apt-get install -y -qq rsync >/dev/null; }

python3 - "$work/m" "$files" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(7)
for i in range(n):
    d = os.path.join(root, "d%03d" % (i % 100))
    os.makedirs(d, exist_ok=True)
    size = rnd.randint(100, 3700)
    text = ("x" * (size - 1) + "\n") if i % 3 == 0 else ("file %d " % i * (size // 8 + 1))[:size]
    with open(os.path.join(d, "f%06d.txt" % i), "w") as f:
        f.write(text)
PY

. bench/publish.sh  # by default what README.md tells servers to install (as bench/swarm.sh)
publish_cli "$PWD" "$work/bin"
cli="$work/bin/lanscatter"
"$cli" master "$work/m" --port 0 --bind 127.0.0.1 2> "$work/master.log" &
mpid=$!
port=""
for _ in $(seq 300); do
  port=$(sed -n 's/.* on port \([0-9]*\);.*/\1/p' "$work/master.log" | head -1)
  [ -n "$port" ] && break; sleep 0.1
done
[ -n "$port" ] || { echo "bench/smallfiles.sh: the master did not start" >&2; cat "$work/master.log" >&2; exit 1; }

timed() {  # name, copy folder, command...: prints seconds
  local name=$1 copy=$2; shift 2
  sync; sleep 1
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  t1=$(date +%s.%N)
  diff -r --exclude=.lanscatter "$work/m" "$copy" >/dev/null || { echo "bench/smallfiles.sh: $name left a different folder" >&2; exit 1; }
  echo "$t1 - $t0" | bc
}
: > "$work/rsync"; : > "$work/peer"
for r in $(seq "$rounds"); do
  s=$(timed rsync "$work/r$r" rsync -a "$work/m/" "$work/r$r/"); echo "$s" >> "$work/rsync"
  l=$(timed lanscatter "$work/p$r" "$cli" peer "$work/p$r" "127.0.0.1:$port" --once --port 0 --bind 127.0.0.1); echo "$l" >> "$work/peer"
  printf 'round %d: rsync %.2f s (%.0f files/s), lanscatter %.2f s (%.0f files/s)\n' "$r" "$s" "$(echo "$files / $s" | bc -l)" "$l" "$(echo "$files / $l" | bc -l)"
done
median() { sort -n "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mr=$(median "$work/rsync"); ml=$(median "$work/peer")
printf 'median: rsync %.2f s, lanscatter %.2f s; lanscatter files/s = %.2f x rsync files/s\n' "$mr" "$ml" "$(echo "$mr / $ml" | bc -l)"
