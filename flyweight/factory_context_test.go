package flyweight_test

// GetContext and NewFactoryContext: a caller leaves when its context ends,
// the build goes on for the others and is cancelled when all have left, and
// Stats counts what happened. No goroutine outlives a test (gctest.NoLeaks).

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
	"github.com/seed5da3ae9a/flyweight/internal/misuse"
	"github.com/seed5da3ae9a/flyweight/weakcache"
)

type requestID struct{}

// slowBackend is a build function of NewFactoryContext that reports each
// context it gets on contexts and answers when release is closed, or gives
// up when its context ends.
func slowBackend(contexts chan<- context.Context, release <-chan struct{}) func(context.Context, string) (*style, error) {
	return func(ctx context.Context, k string) (*style, error) {
		contexts <- ctx
		select {
		case <-release:
			return &style{Font: k}, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// lineUpGets starts GetContext(ctxs[i], k) for each i, the first alone until
// its build runs, and waits until the others wait for that build. Each
// outcome goes to its channel in results.
func lineUpGets(t *testing.T, f *flyweight.Factory[string, style], k string, ctxs []context.Context) (results []chan error, instances []*style, wg *sync.WaitGroup) {
	t.Helper()
	wg = new(sync.WaitGroup)
	results = make([]chan error, len(ctxs))
	instances = make([]*style, len(ctxs))
	start := func(i int) {
		results[i] = make(chan error, 1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			instances[i], err = f.GetContext(ctxs[i], k)
			results[i] <- err
		}()
	}
	start(0)
	gctest.WaitFor(t, "the build to start", func() bool { return f.Stats().Builds == 1 })
	for i := 1; i < len(ctxs); i++ {
		start(i)
	}
	gctest.WaitFor(t, "the other callers to wait", func() bool { return f.Stats().Waits == uint64(len(ctxs)-1) })
	return results, instances, wg
}

// TestFactoryGetContextLeaverReturnsOthersWait: a caller whose context ends
// returns its error at once; the build, whose context carries the first
// caller's values and no deadline, goes on for the others.
func TestFactoryGetContextLeaverReturnsOthersWait(t *testing.T) {
	gctest.NoLeaks(t)
	contexts := make(chan context.Context, 1)
	release := make(chan struct{})
	f := flyweight.NewFactoryContext(slowBackend(contexts, release), flyweight.WithStats())
	const n = 4
	ctxs := make([]context.Context, n)
	cancels := make([]context.CancelFunc, n)
	for i := range ctxs {
		ctxs[i], cancels[i] = context.WithTimeout(context.WithValue(context.Background(), requestID{}, i), time.Hour)
		defer cancels[i]()
	}
	results, instances, wg := lineUpGets(t, f, "serif", ctxs)
	bctx := <-contexts
	if id := bctx.Value(requestID{}); id != 0 {
		t.Fatalf("the build's context carries request %v, want the first caller's, 0", id)
	}
	if _, ok := bctx.Deadline(); ok {
		t.Fatal("the build's context has the caller's deadline")
	}
	cancels[0]()
	select {
	case err := <-results[0]:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("the caller that left got %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the caller whose context ended is still waiting")
	}
	if bctx.Err() != nil {
		t.Fatal("the build was cancelled while callers still wait")
	}
	close(release)
	wg.Wait()
	for i := 1; i < n; i++ {
		if err := <-results[i]; err != nil || instances[i] != instances[1] || instances[i].Font != "serif" {
			t.Errorf("caller %d got %p, %v; want the one instance", i, instances[i], err)
		}
	}
	if s, err := f.GetContext(context.Background(), "serif"); s != instances[1] || err != nil {
		t.Fatalf("GetContext after the build = %p, %v; want the cached instance", s, err)
	}
	want := flyweight.FactoryStats{Instances: 1, Hits: 1, Builds: 1, Waits: n - 1, Cancellations: 1}
	if got := f.Stats(); got != want {
		t.Fatalf("Stats = %v, want %v", got, want)
	}
}

// TestFactoryGetContextAllLeaveCancelsBuild: when every caller has left,
// the build's context is cancelled, nothing is cached, and the next call
// builds afresh.
func TestFactoryGetContextAllLeaveCancelsBuild(t *testing.T) {
	gctest.NoLeaks(t)
	contexts := make(chan context.Context, 2)
	release := make(chan struct{})
	f := flyweight.NewFactoryContext(slowBackend(contexts, release))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	results, _, wg := lineUpGets(t, f, "serif", []context.Context{ctx, ctx, ctx})
	bctx := <-contexts
	cancel()
	wg.Wait()
	for i, r := range results {
		if err := <-r; !errors.Is(err, context.Canceled) {
			t.Errorf("caller %d got %v, want context.Canceled", i, err)
		}
	}
	select {
	case <-bctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the build's context was not cancelled after every caller left")
	}
	gctest.WaitFor(t, "the abandoned build to return", func() bool { return f.Stats().Building == 0 })
	if n := f.Len(); n != 0 {
		t.Fatalf("Len = %d after an abandoned build, want 0", n)
	}
	close(release)
	s, err := f.Get("serif")
	if err != nil || s.Font != "serif" {
		t.Fatalf("Get after the abandoned build = %v, %v", s, err)
	}
	if ctx := <-contexts; ctx.Done() != nil {
		t.Fatal("Get gave the build a context that can be cancelled")
	}
	want := flyweight.FactoryStats{Instances: 1, Builds: 2, Waits: 2, Cancellations: 3, Abandoned: 1}
	if got := f.Stats(); got != want {
		t.Fatalf("Stats = %v, want %v", got, want)
	}
}

// TestFactoryGetContextPanicIsError: a build that panics gives every
// caller of GetContext a *weakcache.PanicError, and the Factory stays
// usable; Get's own build propagates its panic, as before.
func TestFactoryGetContextPanicIsError(t *testing.T) {
	gctest.NoLeaks(t)
	var calls atomic.Int32
	f := flyweight.NewFactoryContext(func(_ context.Context, k string) (*style, error) {
		if calls.Add(1) == 1 {
			panic("no fonts")
		}
		return &style{Font: k}, nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := f.GetContext(ctx, "serif")
	var pe *weakcache.PanicError
	if !errors.As(err, &pe) || pe.Value != "no fonts" {
		t.Fatalf("GetContext with a panicking build = %v, want a *weakcache.PanicError", err)
	}
	if s, err := f.GetContext(ctx, "serif"); err != nil || s.Font != "serif" {
		t.Fatalf("GetContext after the panic = %v, %v", s, err)
	}
	if got := f.Stats(); got.Panics != 1 || got.Builds != 2 || got.Instances != 1 {
		t.Fatalf("Stats = %v; want 1 panic, 2 builds, 1 instance", got)
	}
}

// TestFactoryStatsCountHitsOnlyWithStats: a Factory counts its builds,
// failures and cancellations either way, and its hits only WithStats.
func TestFactoryStatsCountHitsOnlyWithStats(t *testing.T) {
	errBusy := errors.New("busy")
	for _, tt := range []struct {
		opts []flyweight.FactoryOption
		hits uint64
	}{{nil, 0}, {[]flyweight.FactoryOption{flyweight.WithStats()}, 2}} {
		f := flyweight.NewFactory(func(k int) (*style, error) {
			if k < 0 {
				return nil, errBusy
			}
			return &style{Size: k}, nil
		}, tt.opts...)
		held, _ := f.Get(1)
		f.Get(1)
		f.Get(-1)
		f.Get(1)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := f.GetContext(ctx, 2); !errors.Is(err, context.Canceled) {
			t.Fatalf("GetContext with an ended context = %v", err)
		}
		want := flyweight.FactoryStats{Instances: 1, Hits: tt.hits, Builds: 2, Failures: 1, Cancellations: 1}
		if got := f.Stats(); got != want {
			t.Errorf("with %d options: Stats = %v, want %v", len(tt.opts), got, want)
		}
		runtime.KeepAlive(held)
	}
}

func TestFactoryStatsStringAndJSON(t *testing.T) {
	var s flyweight.FactoryStats
	v := reflect.ValueOf(&s).Elem()
	for i := range v.NumField() {
		if f := v.Field(i); f.CanInt() {
			f.SetInt(int64(i + 1))
		} else {
			f.SetUint(uint64(i + 1))
		}
	}
	const want = "instances=1 hits=2 builds=3 building=4 waits=5 failures=6 panics=7 cancellations=8 abandoned=9 collected=10"
	if got := s.String(); got != want {
		t.Fatalf("String() =\n%s\nwant\n%s", got, want)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]uint64
	if err := json.Unmarshal(b, &keys); err != nil || len(keys) != v.NumField() {
		t.Fatalf("%s: %v, %d keys, want %d", b, err, len(keys), v.NumField())
	}
	for _, kv := range strings.Fields(want) {
		name, _, _ := strings.Cut(kv, "=")
		if _, ok := keys[name]; !ok {
			t.Errorf("%s has no key %q", b, name)
		}
	}
	var back flyweight.FactoryStats
	if err := json.Unmarshal(b, &back); err != nil || back != s {
		t.Fatalf("round trip of %s = %v, %v", b, back, err)
	}
}

func TestNewFactoryContextBadInput(t *testing.T) {
	misuse.Run(t, []misuse.Case{
		{Name: "NewFactoryContext nil build", Do: func() error { flyweight.NewFactoryContext[int, style](nil); return nil }, Panic: "flyweight: NewFactoryContext with a nil build function"},
		{Name: "zero Factory GetContext", Do: func() error {
			_, err := new(flyweight.Factory[int, style]).GetContext(context.Background(), 1)
			return err
		}, Panic: "flyweight: Factory used without NewFactory"},
		{Name: "zero Factory Stats", Do: func() error { new(flyweight.Factory[int, style]).Stats(); return nil }, Panic: "flyweight: Factory used without NewFactory"},
	})
}

func TestFactoryGetContextHitAllocatesNothing(t *testing.T) {
	f := flyweight.NewFactory(func(k string) (*style, error) { return &style{Font: k}, nil })
	s, _ := f.Get("serif")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if n := testing.AllocsPerRun(100, func() {
		if got, _ := f.GetContext(ctx, "serif"); got != s {
			panic("a second instance")
		}
	}); n != 0 {
		t.Fatalf("GetContext of a live instance: %v allocations", n)
	}
}
