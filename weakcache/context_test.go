package weakcache_test

// LoadOrComputeContext lets a caller stop waiting when its context ends,
// keeps the build going for the callers still waiting, cancels the build's
// own context only when every caller has left (and then stores nothing), and
// turns a panic of the build into an error for every caller. No goroutine
// outlives a test (gctest.NoLeaks).

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed5da3ae9a/flyweight/internal/gctest"
	"github.com/seed5da3ae9a/flyweight/weakcache"
)

type ctxKey struct{}

// contextBuild returns a build function that counts its calls, sends the
// context it got on got (if not nil, buffered), and waits for release, or
// for its context to end if honour is set, before it returns result() (or
// the context's error).
func contextBuild(calls *atomic.Int32, got chan<- context.Context, release <-chan struct{}, honour bool, result func() (*node, error)) func(context.Context) (*node, error) {
	return func(ctx context.Context) (*node, error) {
		calls.Add(1)
		if got != nil {
			got <- ctx
		}
		var ended <-chan struct{}
		if honour {
			ended = ctx.Done()
		}
		select {
		case <-release:
			return result()
		case <-ended:
			return nil, ctx.Err()
		}
	}
}

type outcome struct {
	v   *node
	err error
}

// TestLoadOrComputeContextStaggeredDeadlines: of 100 callers of one key,
// the 50 whose deadlines pass while the build runs return
// context.DeadlineExceeded, each as its deadline passes (the build goes on
// until all 50 have returned), and the other 50 get the build's value. The
// build's context has none of the deadlines and is never cancelled.
func TestLoadOrComputeContextStaggeredDeadlines(t *testing.T) {
	gctest.NoLeaks(t)
	c := weakcache.New[int, node]()
	const n, short = 100, 50
	var calls, returned atomic.Int32
	halfGone := make(chan struct{})
	buildCtx := make(chan context.Context, 1)
	build := contextBuild(&calls, buildCtx, halfGone, true, func() (*node, error) { return newNode(1), nil })

	base := time.Now().Add(20 * time.Millisecond)
	results := make([]outcome, n)
	var wg sync.WaitGroup
	call := func(i int) {
		// Callers 0..49 have deadlines 1ms apart, the others an hour
		// and more away, also staggered; the last starts the build.
		deadline := base.Add(time.Duration(i) * time.Millisecond)
		if i >= short {
			deadline = deadline.Add(time.Hour)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithDeadline(context.Background(), deadline)
			defer cancel()
			results[i].v, results[i].err = c.LoadOrComputeContext(ctx, 1, build)
			returned.Add(1)
		}()
	}
	call(n - 1)
	gctest.WaitFor(t, "the build to start", func() bool { return calls.Load() == 1 })
	for i := range n - 1 {
		call(i)
	}
	gctest.WaitFor(t, "the short-deadline callers to give up", func() bool { return returned.Load() == short })
	bctx := <-buildCtx
	if bctx.Err() != nil {
		t.Fatalf("the build's context ended (%v) while 50 callers waited", bctx.Err())
	}
	if _, ok := bctx.Deadline(); ok {
		t.Fatal("the build's context has a deadline")
	}
	close(halfGone)
	wg.Wait()

	for i, r := range results {
		switch {
		case i < short && (r.v != nil || !errors.Is(r.err, context.DeadlineExceeded)):
			t.Errorf("caller %d (deadline passed) got %v, %v; want nil, DeadlineExceeded", i, r.v, r.err)
		case i >= short && (r.v == nil || r.v != results[n-1].v || r.err != nil):
			t.Errorf("caller %d got %p, %v; want the one value %p", i, r.v, r.err, results[n-1].v)
		}
	}
	if calls.Load() != 1 {
		t.Fatalf("%d builds, want 1", calls.Load())
	}
	if v, ok := c.Load(1); !ok || v != results[n-1].v {
		t.Fatalf("Load = %p, %v; want the built value", v, ok)
	}
	s := c.Stats()
	if s.Builds != 1 || s.Building != 0 || s.Cancellations != short || s.Abandoned != 0 || s.Stores != 1 {
		t.Fatalf("Stats = %v; want 1 build, none running, 50 cancellations, none abandoned, 1 store", s)
	}
}

// TestLoadOrComputeContextOneLeavesOthersStay: when one of 100 callers
// leaves (the one that started the build, whose context's values the
// build's context carries, or another), it returns context.Canceled while the
// build is still running, and the build goes on, uncancelled, for the 99
// others, which all get its value.
func TestLoadOrComputeContextOneLeavesOthersStay(t *testing.T) {
	for _, leaver := range []int{0, 57} {
		t.Run(map[int]string{0: "starter", 57: "waiter"}[leaver], func(t *testing.T) {
			gctest.NoLeaks(t)
			c := weakcache.New[int, node]()
			const n = 100
			var calls atomic.Int32
			release := make(chan struct{})
			buildCtx := make(chan context.Context, 1)
			build := contextBuild(&calls, buildCtx, release, true, func() (*node, error) { return newNode(1), nil })
			cancels := make([]context.CancelFunc, n)
			ctxs := make([]context.Context, n)
			for i := range ctxs {
				ctxs[i], cancels[i] = context.WithCancel(context.WithValue(context.Background(), ctxKey{}, i))
				defer cancels[i]()
			}
			results := make([]chan outcome, n)
			for i := range results {
				results[i] = make(chan outcome, 1)
			}
			wg := lineUp(t, c, 1, n, &calls, func(i int) {
				v, err := c.LoadOrComputeContext(ctxs[i], 1, build)
				results[i] <- outcome{v, err}
			})
			bctx := <-buildCtx
			if got := bctx.Value(ctxKey{}); got != 0 {
				t.Fatalf("the build's context carries %v, want the value of the first caller's (0)", got)
			}

			cancels[leaver]()
			select {
			case r := <-results[leaver]:
				if r.v != nil || !errors.Is(r.err, context.Canceled) {
					t.Fatalf("the caller that left got %v, %v; want nil, context.Canceled", r.v, r.err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the caller whose context ended is still waiting")
			}
			if w, building := c.Waiters(1); !building || w != n-1-boolInt(leaver != 0) {
				t.Fatalf("Waiters = %d, %v after one left", w, building)
			}
			if bctx.Err() != nil {
				t.Fatalf("the build's context ended (%v) while 99 callers wait", bctx.Err())
			}
			close(release)
			wg.Wait()
			var want *node
			for i := range results {
				if i == leaver {
					continue
				}
				r := <-results[i]
				if want == nil {
					want = r.v
				}
				if r.v == nil || r.v != want || r.err != nil {
					t.Errorf("caller %d got %p, %v; want the one value %p", i, r.v, r.err, want)
				}
			}
			if v, _ := c.Load(1); v != want || calls.Load() != 1 {
				t.Fatalf("Load = %p after %d builds; want the built value, 1 build", v, calls.Load())
			}
			s := c.Stats()
			if s.Builds != 1 || s.Waits != n-1 || s.Cancellations != 1 || s.Abandoned != 0 {
				t.Fatalf("Stats = %v; want 1 build, 99 waits, 1 cancellation, none abandoned", s)
			}
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestLoadOrComputeContextAllLeaveCancelsBuild: when every caller has left,
// the build's context is cancelled, the build leaves the table at once (the
// next caller starts a fresh one), and whatever the abandoned build returns
// is not stored: its context's error, or a value if it ignores the
// cancellation.
func TestLoadOrComputeContextAllLeaveCancelsBuild(t *testing.T) {
	for _, honour := range []bool{true, false} {
		t.Run(map[bool]string{true: "build returns ctx.Err", false: "build ignores cancellation"}[honour], func(t *testing.T) {
			gctest.NoLeaks(t)
			c := weakcache.New[int, node]()
			const n = 10
			var calls atomic.Int32
			release := make(chan struct{})
			buildCtx := make(chan context.Context, 1)
			build := contextBuild(&calls, buildCtx, release, honour, func() (*node, error) { return newNode(1), nil })
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			errs := make([]error, n)
			wg := lineUp(t, c, 1, n, &calls, func(i int) {
				_, errs[i] = c.LoadOrComputeContext(ctx, 1, build)
			})
			bctx := <-buildCtx
			cancel()
			wg.Wait()
			for i, err := range errs {
				if !errors.Is(err, context.Canceled) {
					t.Errorf("caller %d got %v, want context.Canceled", i, err)
				}
			}
			select {
			case <-bctx.Done():
			case <-time.After(10 * time.Second):
				t.Fatal("the build's context was not cancelled after every caller left")
			}
			if n := c.Flights(); n != 0 {
				t.Fatalf("the abandoned build is still in the table (%d flights)", n)
			}

			// A fresh build for the next caller, while the abandoned
			// one may still run.
			fresh := newNode(1)
			v, err := c.LoadOrComputeContext(context.Background(), 1, func(context.Context) (*node, error) { return fresh, nil })
			if v != fresh || err != nil {
				t.Fatalf("the next caller got %p, %v; want a fresh build's %p", v, err, fresh)
			}
			c.Delete(1)
			close(release)
			gctest.WaitFor(t, "the abandoned build to return", func() bool { return c.Stats().Building == 0 })
			if v, ok := c.Load(1); ok {
				t.Fatalf("the abandoned build's value %p was stored", v)
			}
			s := c.Stats()
			if s.Builds != 2 || s.Abandoned != 1 || s.Cancellations != n || s.Stores != 1 || s.Failures != 0 {
				t.Fatalf("Stats = %v; want 2 builds, 1 abandoned, %d cancellations, 1 store, no failure", s, n)
			}
			runtime.KeepAlive(fresh)
		})
	}
}

// TestLoadOrComputeContextPanicIsEveryCallersError: a build that panics
// (in the caller's goroutine or in its own), or returns neither a value nor
// an error, gives every caller waiting for it a *PanicError, stores nothing,
// and leaves the cache usable: the next caller builds.
func TestLoadOrComputeContextPanicIsEveryCallersError(t *testing.T) {
	contexts := map[string]func() (context.Context, context.CancelFunc){
		"cannot be cancelled": func() (context.Context, context.CancelFunc) { return context.Background(), func() {} },
		"can be cancelled":    func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) },
	}
	results := map[string]struct {
		fn   func() (*node, error)
		want string
	}{
		"panic":     {func() (*node, error) { panic(boom{1}) }, "weakcache: the build of key 1 panicked: {1}"},
		"nil, nil":  {func() (*node, error) { return nil, nil }, "weakcache: the build of key 1 panicked: weakcache: LoadOrComputeContext(1): build returned a nil value and a nil error"},
		"error val": {func() (*node, error) { panic(errBuild) }, "weakcache: the build of key 1 panicked: build failed"},
	}
	for cname, mk := range contexts {
		for rname, res := range results {
			t.Run(cname+"/"+rname, func(t *testing.T) {
				gctest.NoLeaks(t)
				c := weakcache.New[int, node]()
				const n = 5
				var calls atomic.Int32
				release := make(chan struct{})
				build := contextBuild(&calls, nil, release, false, res.fn)
				errs := make([]error, n)
				wg := lineUp(t, c, 1, n, &calls, func(i int) {
					ctx, cancel := mk()
					defer cancel()
					_, errs[i] = c.LoadOrComputeContext(ctx, 1, build)
				})
				close(release)
				wg.Wait()
				for i, err := range errs {
					var pe *weakcache.PanicError
					if !errors.As(err, &pe) || pe.Key != 1 || err.Error() != res.want || len(pe.Stack) == 0 {
						t.Errorf("caller %d got %v, want a *PanicError %q with a stack", i, err, res.want)
					}
				}
				if rname == "error val" && !errors.Is(errs[0], errBuild) {
					t.Errorf("errors.Is does not see the error the build panicked with: %v", errs[0])
				}
				if c.Len() != 0 || c.Flights() != 0 {
					t.Fatalf("after the panic: Len = %d, %d flights; want 0, 0", c.Len(), c.Flights())
				}
				if s := c.Stats(); s.Panics != 1 || s.Building != 0 || s.Stores != 0 {
					t.Fatalf("Stats = %v; want 1 panic, nothing running or stored", s)
				}
				v, err := c.LoadOrComputeContext(context.Background(), 1, func(context.Context) (*node, error) { return newNode(1), nil })
				if err != nil || v.id != 1 {
					t.Fatalf("LoadOrComputeContext after the panic = %v, %v", v, err)
				}
			})
		}
	}
}

// TestLoadOrComputeContextFailureIsEveryCallersError: a build that fails
// stores nothing, and every caller waiting for it gets its error.
func TestLoadOrComputeContextFailureIsEveryCallersError(t *testing.T) {
	gctest.NoLeaks(t)
	c := weakcache.New[int, node]()
	const n = 8
	var calls atomic.Int32
	release := make(chan struct{})
	build := contextBuild(&calls, nil, release, true, func() (*node, error) { return nil, errBuild })
	errs := make([]error, n)
	wg := lineUp(t, c, 1, n, &calls, func(i int) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
		defer cancel()
		_, errs[i] = c.LoadOrComputeContext(ctx, 1, build)
	})
	close(release)
	wg.Wait()
	for i, err := range errs {
		if !errors.Is(err, errBuild) {
			t.Errorf("caller %d got %v, want %v", i, err, errBuild)
		}
	}
	if s := c.Stats(); c.Len() != 0 || s.Stores != 0 || s.Failures != 1 || s.Builds != 1 {
		t.Fatalf("after a failed build: Len = %d, Stats = %v", c.Len(), s)
	}
}

// TestLoadOrComputeContextEndedContext: a caller whose context has already
// ended gets a live value, but starts no build and joins none.
func TestLoadOrComputeContextEndedContext(t *testing.T) {
	gctest.NoLeaks(t)
	c := weakcache.New[int, node]()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	v := newNode(1)
	c.Store(1, v)
	never := func(context.Context) (*node, error) { panic("build called") }
	if got, err := c.LoadOrComputeContext(ctx, 1, never); got != v || err != nil {
		t.Fatalf("hit with an ended context = %p, %v; want %p, nil", got, err, v)
	}
	if got, err := c.LoadOrComputeContext(ctx, 2, never); got != nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("miss with an ended context = %v, %v; want nil, context.Canceled", got, err)
	}
	if s := c.Stats(); s.Builds != 0 || s.Cancellations != 1 || c.Flights() != 0 {
		t.Fatalf("Stats = %v, %d flights", s, c.Flights())
	}
	runtime.KeepAlive(v)
}

// TestLoadOrComputeContextGoroutineOnlyWhenCancellable: with a context that
// can never be cancelled, the build runs in the caller's goroutine (no
// goroutine is started for it); with one that can, in a goroutine of its
// own, so that the caller can leave.
func TestLoadOrComputeContextGoroutineOnlyWhenCancellable(t *testing.T) {
	gctest.NoLeaks(t)
	c := weakcache.New[int, node]()
	inCaller := func(ctx context.Context) bool {
		var inline bool
		_, err := c.LoadOrComputeContext(ctx, 1, func(context.Context) (*node, error) {
			pcs := make([]uintptr, 64)
			frames := runtime.CallersFrames(pcs[:runtime.Callers(1, pcs)])
			for f, more := frames.Next(); more; f, more = frames.Next() {
				inline = inline || strings.HasSuffix(f.Function, ".TestLoadOrComputeContextGoroutineOnlyWhenCancellable")
			}
			return nil, errBuild // store nothing: the next call builds too
		})
		if !errors.Is(err, errBuild) {
			t.Fatal(err)
		}
		return inline
	}
	if !inCaller(context.WithValue(context.Background(), ctxKey{}, 1)) {
		t.Error("with a context that cannot be cancelled, the build ran in another goroutine")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if inCaller(ctx) {
		t.Error("with a context that can be cancelled, the build ran in the caller's goroutine")
	}
}

// TestLoadOrComputeWaiterKeepsContextBuild: a LoadOrCompute caller waiting
// for a build that LoadOrComputeContext started never leaves, so the build
// goes on, uncancelled, after the caller that started it has left.
func TestLoadOrComputeWaiterKeepsContextBuild(t *testing.T) {
	gctest.NoLeaks(t)
	c := weakcache.New[int, node]()
	var calls atomic.Int32
	release := make(chan struct{})
	buildCtx := make(chan context.Context, 1)
	build := contextBuild(&calls, buildCtx, release, true, func() (*node, error) { return newNode(1), nil })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got outcome
	var startErr error
	wg := lineUp(t, c, 1, 2, &calls, func(i int) {
		if i == 0 {
			_, startErr = c.LoadOrComputeContext(ctx, 1, build)
			return
		}
		got.v, got.err = c.LoadOrCompute(1, func() (*node, error) { panic("a second build") })
	})
	bctx := <-buildCtx
	cancel()
	gctest.WaitFor(t, "the starter to leave", func() bool { return c.Stats().Cancellations == 1 })
	if bctx.Err() != nil {
		t.Fatal("the build was cancelled while a LoadOrCompute caller waits for it")
	}
	close(release)
	wg.Wait()
	if !errors.Is(startErr, context.Canceled) || got.v == nil || got.err != nil {
		t.Fatalf("starter got %v; LoadOrCompute got %v, %v", startErr, got.v, got.err)
	}
}

// TestZeroCacheLoadOrComputeContext: the zero Cache is ready for
// LoadOrComputeContext too.
func TestZeroCacheLoadOrComputeContext(t *testing.T) {
	gctest.NoLeaks(t)
	var c weakcache.Cache[int, node]
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	v, err := c.LoadOrComputeContext(ctx, 1, func(context.Context) (*node, error) { return newNode(1), nil })
	if err != nil || v.id != 1 {
		t.Fatalf("LoadOrComputeContext on a zero Cache = %v, %v", v, err)
	}
	if got, ok := c.Load(1); got != v || !ok {
		t.Fatalf("Load = %p, %v; want %p, true", got, ok, v)
	}
}
