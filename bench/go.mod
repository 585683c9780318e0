module github.com/seed5da3ae9a/flyweight/bench

go 1.26.0

replace github.com/seed5da3ae9a/flyweight => ../

require (
	github.com/goccy/go-json v0.10.5
	github.com/josharian/intern v1.0.0
	github.com/puzpuzpuz/xsync/v3 v3.5.1
	github.com/seed5da3ae9a/flyweight v0.0.0-00010101000000-000000000000
	go4.org/intern v0.0.0-20230525184215-6c62f75575cb
)

require (
	github.com/aclements/go-moremath v0.0.0-20210112150236-f10218a38794 // indirect
	go.uber.org/goleak v1.3.0 // indirect
	go4.org/unsafe/assume-no-moving-gc v0.0.0-20230525183740-e7c30c78aeb2 // indirect
	golang.org/x/perf v0.0.0-20260908200009-22c9c6c9d4da // indirect
)

tool golang.org/x/perf/cmd/benchstat
