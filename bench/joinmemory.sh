#!/usr/bin/env bash
# A master's memory while peers join it at once (a huge folder: its manifest is hundreds of MB).
# usage: bench/joinmemory.sh MASTER_DIR [PEERS] [BIN]   (default 3 peers; BIN: a lanscatter publish,
#        default bench/publish.sh's of this checkout)
# Starts `lanscatter master` on MASTER_DIR with a swarm secret, waits until it serves, starts PEERS
# peers into empty folders at once, waits until each follows the manifest, and prints the master's
# resident memory when serving and its peak (VmHWM) after the joins. Everything it starts is
# stopped by process id; the peers' folders are deleted.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?MASTER_DIR}; peers=${2:-3}; bin=${3:-}
work=$(mktemp -d /var/tmp/lanscatter-join.XXXXXX)
pids=()
trap 'for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"' EXIT
if [ -z "$bin" ]; then
  . bench/publish.sh
  publish_cli "$PWD" "$work/bin"
  bin=$work/bin
fi
export LANSCATTER_SECRET="joinmemory bench secret"
port=18741
"$bin/lanscatter" master "$dir" --port $port --bind 127.0.0.1 >/dev/null 2>"$work/master.err" & master=$!
pids+=("$master")
for _ in $(seq 1 600); do grep -q "master: serving" "$work/master.err" && break; sleep 1; done
grep -q "master: serving" "$work/master.err" || { echo "the master did not start serving" >&2; exit 1; }
serving=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$master/status)
for i in $(seq 1 "$peers"); do
  "$bin/lanscatter" peer "$work/p$i" 127.0.0.1:$port --port 0 --bind 127.0.0.1 >/dev/null 2>"$work/peer$i.err" &
  pids+=("$!")
done
followed=0
for _ in $(seq 1 900); do
  followed=$( (grep -l "following manifest" "$work"/peer*.err 2>/dev/null || true) | wc -l)
  [ "$followed" -ge "$peers" ] && break
  sleep 1
done
peak=$(awk '/VmHWM/ {print int($2/1024)}' /proc/$master/status)
echo "master serving: ${serving} MB resident; peak after $followed of $peers peers joined: ${peak} MB"
