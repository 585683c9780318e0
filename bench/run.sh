#!/usr/bin/env bash
# Runs every benchmark of the toolkit (the packages' own, beside their
# baselines) and of this module (beside the peers), COUNT samples of each
# for benchstat, writes the raw results and benchstat's summary to
# bench/results/, and rewrites the tables of bench/README.md from them, and
# the chart docs/memreport.svg from the main job (on the GeoNames cities
# file named by FLYWEIGHT_CITIES_JSON, or its -demo without it). The records
# benchmarks (DecodeFile) also read the folder that FLYWEIGHT_STATE_CITIES
# names; see CONTRIBUTING.md for both.
#
#   bench/run.sh                 # everything, 6 samples (about 40 minutes)
#   COUNT=3 BENCH=Intern bench/run.sh   # a quicker, narrower run
#   COUNT=3 BENCH=DecodeFile bench/run.sh   # the records table's speed half
#
# A narrower run (BENCH set) rewrites only the tables it has results for, and
# writes its results to bench/results/partial/, keeping the full run's.
#
# Memory benchmarks (named Memory) measure once per run (-benchtime=1x);
# speed benchmarks use the default benchtime.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${COUNT:-6}
filter=${BENCH:-.}
out=bench/results
partial=""
if [ "$filter" != . ]; then
	partial=-partial
	out=$out/partial
fi
mkdir -p "$out"

# speed runs the speed benchmarks count times, in rounds of -count 1 over
# all of them, rather than with -count, which repeats each benchmark at once:
# this shared VM has slow spells lasting minutes, and rounds spread each
# benchmark's samples over the whole run, so that a spell skews a minority of
# them and the medians hold. -p 1: go test runs the test binaries of several
# packages at once (as many as there are CPUs), which would make one
# package's benchmarks compete with another's for the cores.
speed() {
	for _ in $(seq "$count"); do
		go test -p 1 -run '^$' -bench "$filter" -skip Memory -benchmem -count 1 "$@"
	done
}
# A narrower run measures memory only if its filter names Memory, and then
# every memory benchmark: they are quick, and their filter must not pick up
# speed benchmarks, which -benchtime=1x would time wrongly.
memory() {
	if [ -n "$partial" ] && [[ "$filter" != *Memory* ]]; then
		return 0
	fi
	go test -p 1 -run '^$' -bench Memory -benchtime=1x -count "$count" "$@"
}

{ speed ./...; memory ./...; } | tee "$out/module.txt"
(cd bench && { speed .; memory .; }) | tee "$out/peers.txt"

# The README's chart: memreport on the public GeoNames cities file when
# FLYWEIGHT_CITIES_JSON names it (see CONTRIBUTING.md), else its -demo.
if [ -z "$partial" ]; then
	mkdir -p docs
	if [ -n "${FLYWEIGHT_CITIES_JSON:-}" ] && [ -f "$FLYWEIGHT_CITIES_JSON" ]; then
		go run ./cmd/memreport -svg docs/memreport.svg "$FLYWEIGHT_CITIES_JSON" | tee "$out/memreport.txt"
	else
		echo "FLYWEIGHT_CITIES_JSON does not name the cities file: charting memreport -demo instead" >&2
		go run ./cmd/memreport -demo -svg docs/memreport.svg | tee "$out/memreport.txt"
	fi
fi

(cd bench && go tool benchstat -col /impl ../$out/module.txt ../$out/peers.txt) > "$out/benchstat.txt"
(cd bench && go run ./cmd/benchtable $partial -readme README.md -date "$(date -u +%Y-%m-%d), $(go env GOVERSION)" ../$out/module.txt ../$out/peers.txt)
echo "rewrote bench/README.md's tables; benchstat's summary is in $out/benchstat.txt"
