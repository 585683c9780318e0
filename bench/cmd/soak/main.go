// Command soak runs the toolkit as a long-running service does, and prints
// what an operator watches: the live heap and the goroutines before, during
// and after, and the counts that every package's Stats reports.
//
//	GOGC=10 go run ./cmd/soak -d 1m -g 64
//
// Its goroutines mix four kinds of work. They get templates from a
// flyweight.Factory whose build waits on a slow backend, under deadlines
// short enough that many callers leave before the build ends. They intern
// header values and tenant names (intern.String, intern.Bytes, and an
// intern.Pool per batch). They decode batches of JSON Lines in which one
// line in a hundred is bad (truncated, binary, or of the wrong type) and
// another has a key that the Dicts' schema lacks, into flyweight.Records and slotdict.Dicts, skipping the bad
// lines (WithSkipBadLines). And they own a resource per batch through
// finalize.Own, closing all but one in a hundred, which the collector
// releases and reports as a leak.
//
// Every -every it prints the live heap after a collection and the number
// of goroutines; at the end, the same after the workers stop and the
// pending cleanups have run, and each Stats as JSON. It exits 1 if a batch
// lost a good line, or if goroutines outlive the workers.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/seed5da3ae9a/flyweight/finalize"
	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/intern"
	"github.com/seed5da3ae9a/flyweight/slotdict"
)

func main() {
	d := flag.Duration("d", time.Minute, "how long the workers run")
	g := flag.Int("g", 64, "worker goroutines")
	every := flag.Duration("every", 10*time.Second, "how often to print the heap and goroutines")
	flag.Parse()
	if err := run(*d, *g, *every); err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

// template stands for a parsed template, a compiled regexp or a TLS
// config: something worth sharing, built slowly.
type template struct {
	key  int
	body []byte
}

// resource stands for a file or a socket owned through finalize.Own.
type resource struct{ id int }

// counts are the soak's own tallies, to check the toolkit's against.
type counts struct {
	gets, getErrs, cancelled   atomic.Int64
	batches, good, skipped     atomic.Int64
	owned, closed, forgotten   atomic.Int64
	lostLines, interned, pools atomic.Int64
}

func run(d time.Duration, workers int, every time.Duration) error {
	var leaks atomic.Int64
	finalize.SetLeakHook(func(finalize.Report) { leaks.Add(1) }) // a service logs them; here they are counted
	templates := flyweight.NewFactoryContext(func(ctx context.Context, k int) (*template, error) {
		select { // the slow backend
		case <-time.After(time.Duration(rand.IntN(2000)) * time.Microsecond):
			return &template{key: k, body: make([]byte, 256)}, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}, flyweight.WithKeepAlive(64))
	schema := slotdict.NewSchema("tenant", "method", "path", "status", "bytes")

	_ = intern.ReadStats() // hits are counted from the first ReadStats on
	goroutines0 := runtime.NumGoroutine()
	heap0 := liveHeap()
	fmt.Printf("before: heap %s, %d goroutines\n", mib(heap0), goroutines0)

	ctx, stop := context.WithTimeout(context.Background(), d)
	defer stop()
	var c counts
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(ctx, w, templates, schema, &c)
		}()
	}
	start := time.Now()
	tick := time.NewTicker(every)
	for done := false; !done; {
		select {
		case <-tick.C:
			fmt.Printf("%6.0fs: heap %s, %d goroutines, %d batches\n",
				time.Since(start).Seconds(), mib(liveHeap()), runtime.NumGoroutine(), c.batches.Load())
		case <-ctx.Done():
			done = true
		}
	}
	tick.Stop()
	wg.Wait()

	// The forgotten resources are released by the collector: wait for
	// their cleanups, as a service's shutdown would.
	runtime.GC()
	drain, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := finalize.Drain(drain); err != nil {
		return fmt.Errorf("draining the cleanups: %w", err)
	}
	heap1 := liveHeap()
	goroutines1 := runtime.NumGoroutine()
	fmt.Printf("after:  heap %s, %d goroutines\n", mib(heap1), goroutines1)
	fmt.Printf("soak:   %d gets (%d left at their deadline, %d other errors), %d batches (%d good lines, %d skipped), %d owned (%d closed, %d forgotten, %d leak reports)\n",
		c.gets.Load(), c.cancelled.Load(), c.getErrs.Load(), c.batches.Load(), c.good.Load(), c.skipped.Load(),
		c.owned.Load(), c.closed.Load(), c.forgotten.Load(), leaks.Load())
	for _, s := range []struct {
		name  string
		stats any
	}{
		{"flyweight.Factory", templates.Stats()},
		{"intern (process-wide)", intern.ReadStats()},
		{"finalize", finalize.ReadStats()},
	} {
		b, err := json.Marshal(s.stats)
		if err != nil {
			return err
		}
		fmt.Printf("%-22s %s\n", s.name+":", b)
	}
	var errs []error
	if n := c.lostLines.Load(); n > 0 {
		errs = append(errs, fmt.Errorf("%d good lines were lost", n))
	}
	if goroutines1 > goroutines0 {
		errs = append(errs, fmt.Errorf("%d goroutines before, %d after", goroutines0, goroutines1))
	}
	if n := c.getErrs.Load(); n > 0 {
		errs = append(errs, fmt.Errorf("%d gets failed other than by their deadline", n))
	}
	return errors.Join(errs...)
}

// work runs one worker until ctx ends.
func work(ctx context.Context, w int, templates *flyweight.Factory[int, template], schema *slotdict.Schema[string], c *counts) {
	r := rand.New(rand.NewPCG(uint64(w), 1))
	var held [8]*template // what a handler holds for a while
	var buf []byte
	for i := 0; ctx.Err() == nil; i++ {
		switch n := r.IntN(10); {
		case n < 5:
			getCtx, cancel := context.WithTimeout(ctx, time.Duration(r.IntN(3000))*time.Microsecond)
			t, err := templates.GetContext(getCtx, r.IntN(4096))
			cancel()
			c.gets.Add(1)
			switch {
			case err == nil:
				held[i%len(held)] = t
			case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
				c.cancelled.Add(1)
			default:
				c.getErrs.Add(1)
			}
		case n < 8:
			buf = internSome(r, buf, c)
		default:
			buf = decodeBatch(r, buf, schema, c)
		}
	}
}

// headers are the values a service sees again and again.
var headers = []string{"GET", "POST", "application/json", "text/html; charset=utf-8", "gzip, deflate, br", "keep-alive", "no-cache"}

// internSome interns a header value and a tenant name, of 100,000.
func internSome(r *rand.Rand, buf []byte, c *counts) []byte {
	_ = intern.String(headers[r.IntN(len(headers))])
	buf = strconv.AppendInt(append(buf[:0], "tenant-"...), int64(r.IntN(100_000)), 10)
	_ = intern.Bytes(buf)
	c.interned.Add(2)
	return buf
}

// decodeBatch decodes a batch of 100 JSON Lines, one in a hundred bad, into
// Records and into Dicts, and checks that every good line arrives:
// the lines with an unknown key are good for a Record, not for a Dict.
func decodeBatch(r *rand.Rand, buf []byte, schema *slotdict.Schema[string], c *counts) []byte {
	const lines = 100
	buf = buf[:0]
	good, unknown := 0, 0 // lines good for a Dict; lines with an unknown key, good for a Record
	pool := intern.NewPool()
	for i := range lines {
		tenant := "tenant-" + strconv.Itoa(r.IntN(1000))
		line := fmt.Sprintf(`{"tenant":%q,"method":%q,"path":"/v1/items/%d","status":"200","bytes":"%d"}`,
			tenant, headers[r.IntN(2)], i, r.IntN(1<<20))
		switch r.IntN(100) {
		case 0:
			line = corrupt(r, line)
		case 1:
			line = `{"tenant":"t","unknown":"u"}` // a key that the Dicts' schema lacks
			unknown++
		default:
			good++
		}
		buf = append(append(buf, line...), '\n')
	}
	var skipped atomic.Int64
	skip := func(*flyweight.DecodeError) { skipped.Add(1) }
	recs, err := flyweight.DecodeRecords[string](bytes.NewReader(buf), flyweight.WithSkipBadLines(skip))
	if err != nil || len(recs) != good+unknown {
		c.lostLines.Add(int64(good + unknown - len(recs)))
	}
	dicts, err := slotdict.DecodeAll[string, string](bytes.NewReader(buf), schema,
		slotdict.WithSkipBadLines(func(*slotdict.DecodeError) { skipped.Add(1) }),
		slotdict.WithIntern(pool.Bytes))
	if err != nil || len(dicts) != good {
		c.lostLines.Add(int64(good - len(dicts)))
	}
	c.batches.Add(1)
	c.good.Add(int64(good))
	c.skipped.Add(skipped.Load())
	c.pools.Add(int64(pool.Len()))

	// The batch's output file: closed, except one in a hundred that the
	// handler forgets.
	c.owned.Add(1)
	out := finalize.Own(&resource{id: r.Int()}, func(*resource) error { return nil })
	if r.IntN(100) == 0 {
		c.forgotten.Add(1)
	} else if out.Close() == nil {
		c.closed.Add(1)
	}
	return buf
}

// corrupt spoils a line in one of three ways.
func corrupt(r *rand.Rand, line string) string {
	switch r.IntN(3) {
	case 0:
		return line[:r.IntN(len(line)-1)] // truncated
	case 1:
		b := make([]byte, 1+r.IntN(32))
		for i := range b {
			b[i] = byte(r.IntN(256))
			if b[i] == '\n' {
				b[i] = 0
			}
		}
		if b[0] == '[' {
			// A stream whose first byte opens an array is read as one JSON
			// array, which cannot resynchronise after a syntax error.
			b[0] = 0
		}
		return string(b) // binary garbage
	default:
		return `{"tenant":42,"method":"GET"}` // a number where strings are decoded
	}
}

// liveHeap returns the heap in use after a collection, plus the runtime's
// own records (weak handles, cleanups: OtherSys; GC metadata: GCSys).
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc + m.OtherSys + m.GCSys
}

func mib(n uint64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
