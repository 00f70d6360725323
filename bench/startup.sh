#!/usr/bin/env bash
# What it costs to start a node, for each way of installing `lanscatter`.
# usage: bench/startup.sh [RUNS]   (default 5)
# Publishes the CLI four ways (plain build, framework-dependent ReadyToRun, self-contained composite
# ReadyToRun, NativeAOT), starts a master on loopback with a one-file folder, then runs RUNS peers `--once`
# one after the other with each build. A peer's whole life here is start-up: join, fetch 6 bytes,
# leave. Prints mean wall time, mean CPU (user+system) and the methods the JIT compiled at run time
# (everything the ReadyToRun image did not hold), as a Markdown table with ratios to the plain build.
# When many nodes start at once on few cores (a fan-out, bench/swarm.sh), start-up CPU adds up.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
command -v /usr/bin/time >/dev/null || { apt-get update -qq >/dev/null && apt-get install -y -qq time >/dev/null; }
work=$(mktemp -d)
mpid=""
trap '[ -n "$mpid" ] && kill "$mpid" 2>/dev/null; rm -rf "$work"' EXIT

cli=src/LanScatter.Cli
. bench/publish.sh  # the plain, composite and AOT builds as the other bench scripts make them
BUILD=jit publish_cli "$PWD" "$work/plain"
# Only here: the framework-dependent ReadyToRun publish. Precompiled images of an earlier publish of
# the other kind (composite or not) would be reused as they are.
rm -rf "$cli"/obj/Release/*/linux-x64/R2R
dotnet publish "$cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/r2r" >/dev/null
BUILD=r2r publish_cli "$PWD" "$work/composite"
BUILD=aot publish_cli "$PWD" "$work/aot"

mkdir -p "$work/master"; echo hello > "$work/master/a.txt"
"$work/r2r/lanscatter" master "$work/master" --port 0 --bind 127.0.0.1 2> "$work/master.log" &
mpid=$!
port=""
for _ in $(seq 100); do
  port=$(sed -n 's/.* on port \([0-9]*\);.*/\1/p' "$work/master.log" | head -1)
  [ -n "$port" ] && break; sleep 0.1
done
[ -n "$port" ] || { echo "bench/startup.sh: the master did not start" >&2; cat "$work/master.log" >&2; exit 1; }

peer() {  # build dir, peer dir, extra env...
  local bin=$1 dir=$2; shift 2
  rm -rf "$dir"
  env "$@" "$bin/lanscatter" peer "$dir" "127.0.0.1:$port" --once --port 0 --bind 127.0.0.1 --advertise 127.0.0.1 >/dev/null 2>&1
}

echo "| build | wall (s) | CPU (s) | CPU vs plain | methods compiled at run time |"
echo "|---|---:|---:|---:|---:|"
plain_cpu=""
for build in plain r2r composite aot; do
  bin="$work/$build"
  peer "$bin" "$work/warm"  # first run warms the page cache for this build's files
  : > "$work/times"
  for i in $(seq "$runs"); do
    rm -rf "$work/p"
    /usr/bin/time -a -o "$work/times" -f "%e %U %S" "$bin/lanscatter" peer "$work/p" "127.0.0.1:$port" --once --port 0 \
      --bind 127.0.0.1 --advertise 127.0.0.1 >/dev/null 2>&1
  done
  read -r wall cpu < <(awk '{w+=$1; c+=$2+$3} END {printf "%.2f %.2f\n", w/NR, c/NR}' "$work/times")
  rm -f "$work/jit.txt"
  peer "$bin" "$work/p" DOTNET_JitStdOutFile="$work/jit.txt" DOTNET_JitDisasmSummary=1
  methods=0  # the NativeAOT build has no JIT: it writes no list
  [ -f "$work/jit.txt" ] && methods=$(grep -c "JIT compiled" "$work/jit.txt" || true)
  [ -n "$plain_cpu" ] || plain_cpu=$cpu
  printf "| %s | %s | %s | %.2f | %s |\n" "$build" "$wall" "$cpu" "$(echo "$cpu / $plain_cpu" | bc -l)" "$methods"
done
