#!/usr/bin/env bash
# The planner's targets in the simulator, in one run. usage: bench/simulate.sh
# Prints a Markdown table: configuration, efficiency (worst peer), median, wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build src/LanScatter.Cli -c Release -o "$work/bin" >/dev/null

run() {
  local label=$1 target=$2; shift 2
  local start end out line
  start=$(date +%s.%N)
  out=$(dotnet "$work/bin/lanscatter.dll" simulate --quiet "$@")
  end=$(date +%s.%N)
  line=$(echo "$out" | tail -1)
  echo "| $label | \`lanscatter simulate $*\` | ${line#efficiency=} | $target | $(echo "$end - $start" | bc -l | xargs printf '%.1f') s |" | sed 's/ efficiency_median=/ | /'
}

echo "| configuration | command | efficiency (worst peer) | median | target | wall |"
echo "|---|---|---:|---:|---|---:|"
run "16 peers, 256 chunks" "≥ 0.92" --peers 16 --chunks 256
run "16 peers, 1 in 16 20× slower, 2% failures" "≥ 0.85" --peers 16 --chunks 256 --slow 0.0625 --fail 0.02
run "64 peers, 256 chunks" "≥ 0.90" --peers 64 --chunks 256
run "8 peers, 256 chunks" "—" --peers 8 --chunks 256
run "16 peers, 25% churn" "—" --peers 16 --chunks 256 --churn 0.25
run "8 peers, 1 of them 20× slower, 200 Mbit/s" "completes" --peers 8 --chunks 260 --rate 200 --slow 0.125
run "1000 peers, 1000 chunks" "wall < 60 s" --peers 1000 --chunks 1000
