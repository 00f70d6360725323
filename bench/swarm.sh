#!/usr/bin/env bash
# Swarm speed on a simulated switched LAN (network namespaces, every host rate-limited both ways).
#
#   bench/swarm.sh N RATE_MBIT SIZE_MB [SLOW]      (needs root: ip netns, tc)
#
# Builds a LAN of N+1 hosts (bench/lan.sh), writes SIZE_MB MiB of test data (bench/mkdata.sh),
# then distributes it three ways on the same LAN and data, one after the other:
#   lanscatter  - `lanscatter master` on h0, `lanscatter peer --once` on h1..hN
#   bittorrent  - opentracker + aria2c seeding on h0, aria2c on h1..hN (keep seeding until all are done)
#   http        - every peer downloads every file from one HTTP server on h0 (python3 -m http.server)
#   tcp         - no data: iperf3 streams between all hosts at once, the ceiling any TCP tool can reach here
# With SLOW=1, peer h1's link is a tenth of RATE_MBIT; the others are judged without it and the
# slow one against its own link (slow_seconds, slow_efficiency on lanscatter's summary line).
# Prints per contender: seconds (peers' start until the last is byte-identical), ideal_seconds
# (= bytes × 8 / rate), efficiency (= ideal / actual), CPU use of the master and the peers, and
# CPU-seconds per GiB (a peer's, its uploads included, and the master's; for tcp, iperf3's own
# CPU at both ends per GiB moved: the floor).
# `lanscatter` is the NativeAOT build README.md tells servers to install; BUILD=r2r or BUILD=jit
# (bench/publish.sh) runs another build instead; BIN=DIR runs the lanscatter published in DIR. ONLY=lanscatter,bittorrent (any of
# lanscatter, bittorrent, http, tcp, comma-separated) runs only those contenders; MASTER_ARGS / PEER_ARGS add options to
# `lanscatter master` / `lanscatter peer`. MIXED=1 also runs lanscatter on a mixed folder of the same
# total (20,000 files of 1-64 KiB plus large files, `bench/mkdata.sh DIR SIZE_MB 8 20000`) and prints
# its efficiency against the big-file run's. The peers' folders are on a tmpfs when they fit
# (PEERS_ON_DISK=1: on disk). Traffic stays inside the namespaces.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
n=${1:?N peers}; rate=${2:?RATE_MBIT}; size_mb=${3:?SIZE_MB}; slow=${4:-0}
work=${SWARM_WORK:-/tmp/lanscatter-swarm}
only=${ONLY:-}
[ "$(id -u)" = 0 ] || { echo "bench/swarm.sh needs root (network namespaces)" >&2; exit 1; }

need() { command -v "$1" >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq "$2" >/dev/null; }; }
need ip iproute2; need tc iproute2; need openssl openssl; need curl curl; need bc bc
need aria2c aria2; need opentracker opentracker; need mktorrent mktorrent; need /usr/bin/time time; need iperf3 iperf3

mkdir -p "$work"
rm -rf "$work/bin"
if [ -n "${BIN:-}" ]; then  # a build made beforehand (e.g. of another commit, to compare in one invocation)
  cp -r "$BIN" "$work/bin"
else
  . "$repo/bench/publish.sh"
  publish_cli "$repo" "$work/bin"
fi
lan() { LSB_PREFIX=lsb- "$repo/bench/lan.sh" "$@"; }
hostip() { lan ip "$1"; }
inns() { local h=$1; shift; ip netns exec "lsb-h$h" "$@"; }

# Everything is stopped by process id, never by name: on a shared host another user's aria2c or
# iperf3 is none of this script's business. A contender runs below the pid this script started
# (a subshell for `inns`, then `ip netns exec`, then GNU time, which does not pass signals on), so a
# stop signals the leaves of that tree: the program itself, and time then reports its CPU.
pids=()
leaves_of() { local kids; kids=$(pgrep -P "$1" 2>/dev/null); if [ -z "$kids" ]; then echo "$1"; else for k in $kids; do leaves_of "$k"; done; fi; }
signal_leaves() { local l; for l in $(leaves_of "$2"); do kill "-$1" "$l" 2>/dev/null || true; done; }
signal_tree() { local k; for k in $(pgrep -P "$2" 2>/dev/null); do signal_tree "$1" "$k"; done; kill "-$1" "$2" 2>/dev/null || true; }
cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && signal_tree TERM "$p"; done
  for f in "$work"/iperf3.*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  lan down >/dev/null 2>&1 || true
  if mountpoint -q "$work/mem"; then umount "$work/mem" || true; fi
}
trap cleanup EXIT

# The peers' folders. On a real LAN each host writes to a disk of its own at its link's rate; here
# all peers share one disk, which wrote 114 MB/s (dd, 2026-12-03) against 8 peers × 25 MB/s, so
# once the page cache's dirty limit was reached the runs measured that disk. They go on a tmpfs
# when they fit in the available memory with 4 GiB to spare (16 peers of 1 GiB fit in 24 GiB);
# PEERS_ON_DISK=1 keeps them on disk.
peers="$work/peers"
need_mb=$(( n * size_mb * 11 / 10 + 256 ))
avail_mb=$(awk '/MemAvailable/ {print int($2 / 1024)}' /proc/meminfo)
if [ "${PEERS_ON_DISK:-0}" != 1 ] && [ "$need_mb" -lt $(( avail_mb - 4096 )) ]; then
  mkdir -p "$work/mem"
  mountpoint -q "$work/mem" || mount -t tmpfs -o "size=${need_mb}m" lanscatter-peers "$work/mem"
  peers="$work/mem/peers"
  echo "peers' folders: tmpfs of $need_mb MiB" >&2
else
  echo "peers' folders: on disk ($work/peers)" >&2
fi

if [ "$slow" = 1 ]; then export LAN_HOST_RATES="1:$(( rate / 10 ))"; fi
lan up "$n" "$rate" >/dev/null
data="$work/data"
use_data() {  # the folder the contenders distribute, and the ideal time for it
  data=$1
  bytes=$(find "$data" -type f -not -path '*/.lanscatter/*' -printf '%s\n' | awk '{s+=$1} END {print s}')
  ideal=$(echo "$bytes * 8 / ($rate * 1000000)" | bc -l)
  ideal_slow=$(echo "$ideal * 10" | bc -l)
}
"$repo/bench/mkdata.sh" "$work/data" "$size_mb" 8 >/dev/null
use_data "$work/data"

# seconds from start to the latest done-file among the given peers
finish_of() { local start=$1; shift; local last=0 t; for i in "$@"; do t=$(cat "$work/done.$i"); last=$(echo "if ($t > $last) $t else $last" | bc -l); done; echo "$last - $start" | bc -l; }
fast_peers() { if [ "$slow" = 1 ]; then seq 2 "$n"; else seq 1 "$n"; fi; }
verify() { for i in $(seq 1 "$n"); do diff -r -q --exclude=.lanscatter "$data" "$1/$i${2:-}" >/dev/null || { echo "peer $i differs from the master" >&2; exit 1; }; done; }
cpu_of() { awk '{printf "%.0f", ($2 + $3) * 100 / ($1 > 0 ? $1 : 1)}' "$1"; }  # % of one core over its run
cpu_seconds() { awk '{printf "%.2f", $2 + $3}' "$1"; }  # user + system
# CPU-seconds per GiB of the folder: the master's, and a peer's (mean; it receives the folder once,
# its uploads to other peers included).
cpu_per_gib() {
  local gib; gib=$(echo "$bytes / 1073741824" | bc -l)
  local peer_cpu; peer_cpu=$(for i in $(seq 1 "$n"); do cpu_seconds "$work/cpu.$i"; echo; done | awk '{s+=$1} END {printf "%.3f", s/NR}')
  printf "cpu_s_per_gib_peer=%.2f cpu_s_per_gib_master=%.2f" "$(echo "$peer_cpu / $gib" | bc -l)" "$(echo "$(cpu_seconds "$work/cpu.master" 2>/dev/null || echo 0) / $gib" | bc -l)"
}
report() {
  local name=$1 start=$2 cpu_master=$3 cpu_peers=$4
  local t_fast; t_fast=$(finish_of "$start" $(fast_peers))
  local line; line=$(printf "| %s | %d | %.0f Mbit/s | %d MiB | %.1f | %.1f | %.2f |" "$name" "$n" "$rate" "$size_mb" "$t_fast" "$ideal" "$(echo "$ideal / $t_fast" | bc -l)")
  local slow_figures=""
  if [ "$slow" = 1 ]; then
    local t_slow e_slow; t_slow=$(finish_of "$start" 1); e_slow=$(echo "$ideal_slow / $t_slow" | bc -l)
    line+=$(printf " %.2f |" "$e_slow")
    # Three decimals: the slow peer's target (0.95) sits within a few seconds of TCP's own goodput.
    slow_figures=$(printf " slow_seconds=%.1f slow_ideal_seconds=%.1f slow_efficiency=%.3f" "$t_slow" "$ideal_slow" "$e_slow")
  else
    line+=" — |"
  fi
  echo "$line $cpu_master% | $cpu_peers% |"
  echo "$name: seconds=$(printf %.1f "$t_fast") ideal_seconds=$(printf %.1f "$ideal") efficiency=$(printf %.2f "$(echo "$ideal / $t_fast" | bc -l)") $(cpu_per_gib)$slow_figures" >&2
  last_efficiency=$(echo "$ideal / $t_fast" | bc -l)
}

run_lanscatter() {  # [NAME]
  rm -rf "$peers" "$work"/done.* "$work"/cpu.* "$data/.lanscatter"; mkdir -p "$peers"
  local mip; mip=$(hostip 0)
  inns 0 /usr/bin/time -f "%e %U %S" -o "$work/cpu.master" "$work/bin/lanscatter" master "$data" --port 10564 ${MASTER_ARGS:-} > "$work/master.log" 2>&1 &
  pids+=($!)
  local mpid=$!
  # The port answers while the folder is being scanned: wait until the master serves.
  for _ in $(seq 600); do inns 1 curl -sf "http://$mip:10564/api/swarm" 2>/dev/null | grep -q '"state":"Serving"' && break; sleep 0.1; done
  local start; start=$(date +%s.%N)
  echo "$start" > "$work/start"  # for analysis beside other recordings (done.N holds each peer's end)
  local ppids=()
  for i in $(seq 1 "$n"); do
    # Done = the peer reports its folder in sync (byte-identical; BitTorrent's hook fires at the same
    # point). A --once peer then still finishes the uploads it is serving before it exits, and says
    # "in sync" once more as it exits: only the first line counts (the last one had counted, which
    # added the time spent serving others, seconds when one of them was a slow peer).
    ( inns "$i" /usr/bin/time -f "%e %U %S" -o "$work/cpu.$i" "$work/bin/lanscatter" peer "$peers/$i" "$mip:10564" \
        --once --advertise "$(hostip "$i")" ${PEER_ARGS:-} 2>&1 |
        while IFS= read -r line; do
          printf '%s\n' "$line"
          case $line in *"is in sync"*) [ -f "$work/done.$i" ] || date +%s.%N > "$work/done.$i" ;; esac
        done > "$work/peer.$i.log"
      [ -f "$work/done.$i" ] || date +%s.%N > "$work/done.$i" ) &
    ppids+=($!)
  done
  for p in "${ppids[@]}"; do wait "$p"; done
  # SIGTERM stops the master cleanly; SIGINT would not reach it when this script runs in the background
  # (background jobs start with SIGINT ignored) and GNU time ignores SIGINT while it waits.
  signal_leaves TERM "$mpid"; wait "$mpid" 2>/dev/null || true
  verify "$peers"
  local peers_cpu; peers_cpu=$(for i in $(seq 1 "$n"); do cpu_of "$work/cpu.$i"; echo; done | awk '{s+=$1} END {printf "%.0f", s/NR}')
  report "${1:-lanscatter}" "$start" "$(cpu_of "$work/cpu.master")" "$peers_cpu"
}

run_bittorrent() {
  rm -rf "$peers" "$work"/done.* "$work"/cpu.* "$work/data.torrent" "$work/data/.lanscatter"; mkdir -p "$peers"
  local mip; mip=$(hostip 0)
  local piece=$(( size_mb >= 512 ? 22 : 20 ))  # 4 MiB pieces for big data, 1 MiB otherwise
  mktorrent -a "http://$mip:6969/announce" -l "$piece" -o "$work/data.torrent" "$work/data" >/dev/null
  # Debian's opentracker only tracks whitelisted torrents.
  aria2c -S "$work/data.torrent" | awk -F': ' '/Info Hash/ {print $2}' > "$work/whitelist"
  printf 'listen.tcp_udp 0.0.0.0:6969\naccess.whitelist %s\n' "$work/whitelist" > "$work/opentracker.conf"
  chmod a+r "$work/whitelist" "$work/opentracker.conf"
  inns 0 opentracker -f "$work/opentracker.conf" > "$work/tracker.log" 2>&1 &
  pids+=($!)
  local tpid=$!
  local common=(--enable-dht=false --bt-enable-lpd=false --seed-ratio=0.0 --seed-time=100000 --file-allocation=falloc
                --bt-max-peers=64 --max-upload-limit=0 --summary-interval=0 --console-log-level=warn --bt-tracker-interval=5)
  inns 0 /usr/bin/time -f "%e %U %S" -o "$work/cpu.master" aria2c "${common[@]}" -V --dir="$work" "$work/data.torrent" > "$work/seed.log" 2>&1 &
  pids+=($!)
  local spid=$!
  sleep 3
  local start; start=$(date +%s.%N)
  local lpids=()
  for i in $(seq 1 "$n"); do
    printf '#!/bin/sh\ndate +%%s.%%N > %s\n' "$work/done.$i" > "$work/hook.$i.sh"; chmod +x "$work/hook.$i.sh"
    inns "$i" /usr/bin/time -f "%e %U %S" -o "$work/cpu.$i" aria2c "${common[@]}" --dir="$peers/$i" \
      --on-bt-download-complete="$work/hook.$i.sh" "$work/data.torrent" > "$work/leech.$i.log" 2>&1 &
    lpids+=($!)
  done
  for _ in $(seq 36000); do
    local all=1; for i in $(seq 1 "$n"); do [ -f "$work/done.$i" ] || all=0; done
    [ "$all" = 1 ] && break; sleep 0.1
  done
  for p in "${lpids[@]}" "$spid"; do signal_leaves INT "$p"; done
  for p in "${lpids[@]}" "$spid"; do wait "$p" 2>/dev/null || true; done
  signal_leaves TERM "$tpid"
  verify "$peers" /data
  local peers_cpu; peers_cpu=$(for i in $(seq 1 "$n"); do cpu_of "$work/cpu.$i"; echo; done | awk '{s+=$1} END {printf "%.0f", s/NR}')
  report bittorrent "$start" "$(cpu_of "$work/cpu.master")" "$peers_cpu"
}

run_http() {
  rm -rf "$peers" "$work"/done.* "$work"/cpu.* "$work/data/.lanscatter"; mkdir -p "$peers"
  local mip; mip=$(hostip 0)
  ( cd "$work/data" && exec ip netns exec lsb-h0 /usr/bin/time -f "%e %U %S" -o "$work/cpu.master" python3 -m http.server 8000 --bind 0.0.0.0 ) > "$work/http.log" 2>&1 &
  pids+=($!)
  local hpid=$!
  for _ in $(seq 100); do inns 1 curl -sf "http://$mip:8000/" >/dev/null 2>&1 && break; sleep 0.1; done
  local files; files=$(cd "$work/data" && find . -type f | sed 's|^\./||')
  local start; start=$(date +%s.%N)
  local cpids=()
  for i in $(seq 1 "$n"); do
    ( TIMEFORMAT="%R %U %S"; { time (
        for f in $files; do mkdir -p "$peers/$i/$(dirname "$f")"; inns "$i" curl -sf -o "$peers/$i/$f" "http://$mip:8000/$f"; done
      ) ; } 2> "$work/cpu.$i"; date +%s.%N > "$work/done.$i" ) &
    cpids+=($!)
  done
  for p in "${cpids[@]}"; do wait "$p"; done
  signal_leaves TERM "$hpid"; wait "$hpid" 2>/dev/null || true
  for i in $(seq 1 "$n"); do mkdir -p "$peers/$i/sub/nested"; done
  verify "$peers"
  local peers_cpu; peers_cpu=$(for i in $(seq 1 "$n"); do cpu_of "$work/cpu.$i"; echo; done | awk '{s+=$1} END {printf "%.0f", s/NR}')
  report http "$start" "$(cpu_of "$work/cpu.master" 2>/dev/null || echo 0)" "$peers_cpu"
}

# What plain TCP carries on this LAN when every host sends and receives at once, as a swarm's hosts
# do: each host sends one long-lived iperf3 stream to each of the next 4 hosts (ring order) for
# ideal_seconds; steady state only (first second omitted). efficiency = a peer's mean goodput over
# the link rate: the ceiling for any TCP tool here (frame and ACK bytes count against the link).
run_tcp() {
  if [ "$slow" = 1 ]; then echo "tcp: skipped with a slow peer (a mesh ceiling has no meaning there)" >&2; return; fi
  local k=$(( n < 4 ? n : 4 )) t; t=$(printf %.0f "$ideal")
  rm -f "$work"/mesh.*.json
  for i in $(seq 0 "$n"); do for j in $(seq 1 "$k"); do inns "$i" iperf3 -s -1 -D -p $((5200 + j)) --pidfile "$work/iperf3.$i.$j.pid" >/dev/null; done; done
  sleep 1
  local mpids=()
  for i in $(seq 0 "$n"); do for j in $(seq 1 "$k"); do
    inns "$i" iperf3 -c "$(hostip $(( (i + j) % (n + 1) )))" -p $((5200 + j)) -t "$t" -O 1 -J > "$work/mesh.$i.$j.json" 2>/dev/null &
    mpids+=($!)
  done; done
  for p in "${mpids[@]}"; do wait "$p" || true; done
  local eff; eff=$(python3 - "$work" "$n" "$k" "$rate" <<'PY'
import json, sys
work, n, k, rate = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
got = [0.0] * (n + 1)
cpu_seconds = received = 0.0
for i in range(n + 1):
    for j in range(1, k + 1):
        end = json.load(open(f"{work}/mesh.{i}.{j}.json"))["end"]
        got[(i + j) % (n + 1)] += end["sum_received"]["bits_per_second"]
        # Both ends' own CPU over the stream: iperf3's floor for moving these bytes.
        cpu = end["cpu_utilization_percent"]
        cpu_seconds += (cpu["host_total"] + cpu["remote_total"]) / 100 * end["sum_received"]["seconds"]
        received += end["sum_received"]["bytes"]
peers = got[1:]
print("%.3f %.3f %.2f" % (sum(peers) / len(peers) / (rate * 1e6), min(peers) / (rate * 1e6), cpu_seconds / (received / 2**30)))
PY
)
  local mean worst floor; read -r mean worst floor <<< "$eff"
  printf "| tcp (iperf3 mesh) | %d | %.0f Mbit/s | — | %.1f | %.1f | %.2f (slowest %.2f) | — | — | — |\n" "$n" "$rate" "$(echo "$ideal / $mean" | bc -l)" "$ideal" "$mean" "$worst"
  echo "tcp: efficiency=$(printf %.2f "$mean") (mean peer goodput / link rate; slowest peer $(printf %.2f "$worst")) cpu_s_per_gib=$floor (iperf3, both ends: the floor)" >&2
}

echo "| contender | peers | rate | data | seconds | ideal_seconds | efficiency | slow peer's efficiency | master CPU | peer CPU (mean) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for c in lanscatter bittorrent http tcp; do
  if [ -z "$only" ] || [[ ",$only," == *",$c,"* ]]; then "run_$c"; fi
  if [ "$c" = lanscatter ]; then big_efficiency=${last_efficiency:-}; fi
done
if [ "${MIXED:-0}" = 1 ]; then
  [ -n "${big_efficiency:-}" ] || run_lanscatter
  big_efficiency=${big_efficiency:-$last_efficiency}
  "$repo/bench/mkdata.sh" "$work/data-mixed" "$size_mb" 8 20000 >/dev/null
  use_data "$work/data-mixed"
  run_lanscatter lanscatter-mixed
  echo "mixed: efficiency=$(printf %.2f "$last_efficiency") big_files_efficiency=$(printf %.2f "$big_efficiency") ratio=$(printf %.2f "$(echo "$last_efficiency / $big_efficiency" | bc -l)")" >&2
fi
