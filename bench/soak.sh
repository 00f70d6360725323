#!/usr/bin/env bash
# Churn soak: nothing lost, nothing hung, nothing leaking while peers come and go.
# usage: bench/soak.sh [PEERS] [SECONDS]   (default 12 peers, 180 s)
# A master and PEERS peers on loopback (separate `lanscatter` processes). For SECONDS, every second
# or two one thing happens at random: a peer is killed outright (SIGKILL) and started again, a peer
# is stopped (SIGTERM) and started again, or the master's folder changes (a file added, rewritten
# or deleted). Then the churn stops, every peer is stopped and run once more with --once, and each
# folder is compared with the master's. Prints what happened, how many peers ended identical, and
# the master's memory (RSS) and open file descriptors at the start, every 30 s and at the end —
# they must stay flat. Exits 1 when a peer differs, a stop hangs or a --once run fails.
set -euo pipefail
cd "$(dirname "$0")/.."
peers=${1:-12}
seconds=${2:-180}
work=$(mktemp -d)
pids=()
mpid=""
cleanup() {
  for p in "${pids[@]}" $mpid; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build src/LanScatter.Cli -c Release -o "$work/bin" >/dev/null
cli="$work/bin/lanscatter"
RANDOM=${SEED:-42}
# The swarm runs as it should in production: with a secret (every join a challenge-response, every
# message sealed). Given through the environment, as services do; OPEN=1 runs an open swarm.
[ "${OPEN:-0}" = 1 ] || export LANSCATTER_SECRET="$("$cli" secret new)"

# The master's folder: 40 files of 64 KiB to 3 MiB, some in subfolders, some sharing content.
mkdir -p "$work/master/sub/deeper"
for i in $(seq 1 40); do
  dir=$work/master; [ $((i % 3)) -eq 0 ] && dir=$work/master/sub; [ $((i % 7)) -eq 0 ] && dir=$work/master/sub/deeper
  head -c $(( (RANDOM % 48 + 1) * 65536 )) /dev/urandom > "$dir/file$i.bin"
done
cp "$work/master/file1.bin" "$work/master/sub/copy-of-1.bin"

"$cli" master "$work/master" --port 0 --bind 127.0.0.1 --chunk-size 256K 2> "$work/master.log" &
mpid=$!
port=""
for _ in $(seq 200); do
  port=$(sed -n 's/.* on port \([0-9]*\);.*/\1/p' "$work/master.log" | head -1)
  [ -n "$port" ] && break; sleep 0.1
done
[ -n "$port" ] || { echo "bench/soak.sh: the master did not start" >&2; cat "$work/master.log" >&2; exit 1; }

start_peer() {  # index
  "$cli" peer "$work/peer$1" "127.0.0.1:$port" --port 0 --bind 127.0.0.1 --advertise 127.0.0.1 --force \
    --download-limit 200 --upload-limit 200 2>> "$work/peer$1.log" &
  pids[$1]=$!
}

# Stops a peer with SIGTERM; a stop that takes over 15 s is a hang.
stop_peer() {  # index
  local pid=${pids[$1]}
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  echo "bench/soak.sh: peer$1 (pid $pid) still running 15 s after SIGTERM" >&2
  tail -20 "$work/peer$1.log" >&2
  hung=$((hung + 1))
  kill -9 "$pid" 2>/dev/null || true
}

sample() {  # label
  local rss fds
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$mpid/status")
  fds=$(ls "/proc/$mpid/fd" | wc -l)
  printf '| %s | %d | %d |\n' "$1" $((rss / 1024)) "$fds"
}

for i in $(seq 1 "$peers"); do mkdir -p "$work/peer$i"; start_peer "$i"; done
kills=0; stops=0; changes=0; hung=0
samples=$(sample "start")
end=$((SECONDS + seconds)); next_sample=$((SECONDS + 30))
while [ $SECONDS -lt $end ]; do
  sleep "$(( RANDOM % 2 + 1 ))"
  i=$(( RANDOM % peers + 1 ))
  case $(( RANDOM % 3 )) in
    0) kill -9 "${pids[$i]}" 2>/dev/null || true; wait "${pids[$i]}" 2>/dev/null || true; start_peer "$i"; kills=$((kills + 1)) ;;
    1) stop_peer "$i"; start_peer "$i"; stops=$((stops + 1)) ;;
    2) f=$work/master/churn$(( RANDOM % 6 )).bin
       if [ -f "$f" ] && [ $(( RANDOM % 3 )) -eq 0 ]; then rm -f "$f"; else head -c $(( (RANDOM % 16 + 1) * 65536 )) /dev/urandom > "$f"; fi
       changes=$((changes + 1)) ;;
  esac
  if [ $SECONDS -ge $next_sample ]; then samples+=$'\n'$(sample "${SECONDS} s"); next_sample=$((SECONDS + 30)); fi
done

# The folder stops changing; let the master take in the last change before peers finish.
sleep 5
for i in $(seq 1 "$peers"); do stop_peer "$i"; done
samples+=$'\n'$(sample "end")
failed=0; identical=0
for i in $(seq 1 "$peers"); do
  if ! timeout 180 "$cli" peer "$work/peer$i" "127.0.0.1:$port" --once --port 0 --bind 127.0.0.1 --advertise 127.0.0.1 \
      2>> "$work/peer$i.log"; then
    echo "bench/soak.sh: peer$i --once failed" >&2; tail -5 "$work/peer$i.log" >&2; failed=$((failed + 1)); continue
  fi
  if diff -r --exclude=.lanscatter "$work/master" "$work/peer$i" >/dev/null; then identical=$((identical + 1))
  else echo "bench/soak.sh: peer$i differs from the master" >&2; failed=$((failed + 1)); fi
done

kill -TERM "$mpid"; wait "$mpid" || true; mpid=""

echo "soak: $peers peers, ${seconds} s: $kills killed (SIGKILL) and restarted, $stops stopped (SIGTERM) and restarted, $changes changes to the master's folder"
echo "soak: $identical of $peers peers identical to the master after a final --once run; $hung stops hung; $failed failed"
echo
echo "| master at | RSS MiB | open fds |"
echo "|---|---|---|"
echo "$samples"
[ "$failed" -eq 0 ] && [ "$hung" -eq 0 ]
