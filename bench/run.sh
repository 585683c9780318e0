#!/usr/bin/env bash
# Runs every benchmark of the toolkit (the packages' own, beside their
# baselines) and of this module (beside the peers), with -count for
# benchstat, writes the raw results and benchstat's summary to
# bench/results/, and rewrites the tables of ../README.md from them, and the
# chart docs/memreport.svg from the main job.
#
#   bench/run.sh                 # everything, -count 6 (about 20 minutes)
#   COUNT=3 BENCH=Intern bench/run.sh   # a quicker, narrower run
#
# Memory benchmarks (named Memory) measure once per run (-benchtime=1x);
# speed benchmarks use the default benchtime.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${COUNT:-6}
filter=${BENCH:-.}
out=bench/results
mkdir -p "$out"

speed() { go test -run '^$' -bench "$filter" -skip Memory -benchmem -count "$count" "$@"; }
memory() { go test -run '^$' -bench "Memory" -benchtime=1x -count "$count" "$@"; }

{ speed ./...; memory ./...; } | tee "$out/module.txt"
(cd bench && { speed .; memory .; }) | tee "$out/peers.txt"

mkdir -p docs
go run ./cmd/memreport -svg docs/memreport.svg | tee "$out/memreport.txt"

(cd bench && go tool benchstat -col /impl ../$out/module.txt ../$out/peers.txt) > "$out/benchstat.txt"
partial=""
[ "$filter" != . ] && partial=-partial # a narrower run rewrites only its tables
(cd bench && go run ./cmd/benchtable $partial -readme ../README.md -date "$(date -u +%Y-%m-%d), $(go env GOVERSION)" ../$out/module.txt ../$out/peers.txt)
echo "rewrote the README's tables; benchstat's summary is in $out/benchstat.txt"
