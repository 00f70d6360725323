#!/usr/bin/env bash
# A huge folder: one peer joining it, then one file of it changed.
# usage: bench/hugefolder.sh MASTER_DIR [BIN]   (BIN: a lanscatter publish, default bench/publish.sh's
#        publish of this checkout; MASTER_DIR e.g. 1,000,000 one-line files, RESULTS.md says how)
# 1. A master on MASTER_DIR and a `--once` peer into an empty folder on a tmpfs: prints how the
#    manifest travelled, seconds from the peer's start to following the manifest, both programs'
#    peak memory (VmHWM) at that moment, and the whole run.
# 2. The master again and a lasting peer on the synced folder; once it is in sync, one line is
#    appended to a file of MASTER_DIR: prints seconds to the master's new version, to the peer
#    following it, and to the file identical on the peer. The line is taken out again at the end.
# Everything it starts is stopped by process id; the tmpfs is unmounted. Needs root (mount).
# KEEP_LOGS=DIR keeps the programs' logs (each line stamped with the time it was written) there.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(realpath "${1:?MASTER_DIR}"); bin=${2:-}
work=$(mktemp -d /var/tmp/lanscatter-huge.XXXXXX)
pids=()
changed=""
cleanup() {
  set +e # every step runs, whatever the one before it did
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill -TERM "$p" 2>/dev/null; done
  wait 2>/dev/null || true
  [ -n "$changed" ] && truncate -s "$changed" "$victim"
  [ -n "${KEEP_LOGS:-}" ] && mkdir -p "$KEEP_LOGS" && cp "$work"/*.log "$KEEP_LOGS"/
  mountpoint -q "$work/mem" && umount "$work/mem"
  rm -rf "$work"
}
trap cleanup EXIT
if [ -z "$bin" ]; then
  . bench/publish.sh
  publish_cli "$PWD" "$work/bin"
  bin=$work/bin
fi
mkdir -p "$work/mem" && mount -t tmpfs -o size=8g tmpfs "$work/mem"
port=18760
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }
# Lines stamped with the time they were written (the programs' own stamps are whole seconds).
stamp() { while IFS= read -r line; do echo "$(now) $line"; done; }
hwm() { awk '/VmHWM/ {print int($2/1024) " MB"}' "/proc/$1/status"; }
until_log() { for _ in $(seq 1 "${3:-6000}"); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "timed out waiting for '$2' in $1" >&2; exit 1; }
start_master() {
  "$bin/lanscatter" master "$dir" --port $port --bind 127.0.0.1 --verbose > >(stamp > "$work/$1") 2>&1 & master=$!
  pids+=("$master")
  until_log "$work/$1" "master: serving"
}
stop() { kill -TERM "$1"; wait "$1" 2>/dev/null || true; }

echo "== a peer joins"
start_master master1.log
t0=$(now)
"$bin/lanscatter" peer "$work/mem/p" 127.0.0.1:$port --once --port 0 --bind 127.0.0.1 --verbose > >(stamp > "$work/peer1.log") 2>&1 & peer=$!
pids+=("$peer")
until_log "$work/peer1.log" "following manifest" 
echo "following the manifest after $(since "$t0") s; peer peak $(hwm "$peer"), master peak $(hwm "$master")"
grep -o "fetched the manifest over HTTP.*\|following manifest.*" "$work/peer1.log" | head -2
wait "$peer"
echo "peer --once done after $(since "$t0") s: $(find "$work/mem/p" -type f -not -path '*/.lanscatter/*' | wc -l) files"
stop "$master"

echo "== one file changed"
start_master master2.log
"$bin/lanscatter" peer "$work/mem/p" 127.0.0.1:$port --port 0 --bind 127.0.0.1 --verbose > >(stamp > "$work/peer2.log") 2>&1 & peer=$!
pids+=("$peer")
until_log "$work/peer2.log" " InSync "
victim=$(find "$dir" -type f -not -path '*/.lanscatter/*' -print -quit)
changed=$(stat -c %s "$victim")
relative=${victim#"$dir"/}
t0=$(now)
echo "changed by hugefolder.sh" >> "$victim"
until_log "$work/master2.log" "manifest version 2"
t1=$(now)
until_log "$work/peer2.log" "following manifest version 2"
t2=$(now)
for _ in $(seq 1 6000); do cmp -s "$victim" "$work/mem/p/$relative" && break; sleep 0.1; done
cmp -s "$victim" "$work/mem/p/$relative" || { echo "the changed file never reached the peer" >&2; exit 1; }
echo "master's new version after $(echo "$t1 - $t0" | bc) s; peer following it after $(echo "$t2 - $t0" | bc) s; file identical on the peer after $(since "$t0") s"
