module github.com/seed5da3ae9a/flyweight

go 1.24.0

require (
	github.com/puzpuzpuz/xsync/v3 v3.5.1
	go.uber.org/goleak v1.3.0
	pgregory.net/rapid v1.3.0
)
