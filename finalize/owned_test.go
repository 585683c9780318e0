package finalize_test

import (
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/seed5da3ae9a/flyweight/finalize"
	"github.com/seed5da3ae9a/flyweight/internal/gctest"
)

// conn is a resource with several fields, all of which its release needs.
type conn struct {
	fd      int
	name    string
	pending []byte // written but not yet flushed
	closed  bool
	log     *counter
}

func (c *conn) Write(p []byte) { c.pending = append(c.pending, p...) }

// release flushes and closes: it needs the whole resource, as it is now.
func release(c *conn) error {
	c.closed = true
	c.log.add(fmt.Sprintf("%s: fd %d closed after flushing %q", c.name, c.fd, c.pending))
	return nil
}

func TestOwnCloseRunsReleaseOnceWithWholeResource(t *testing.T) {
	r := hooks(t)
	var log counter
	o := finalize.Own(&conn{fd: 3, name: "db", log: &log}, release)
	o.Value().Write([]byte("bye"))
	if err := o.Close(); err != nil {
		t.Fatalf("first Close: %v", err)
	}
	if err := o.Close(); !errors.Is(err, finalize.ErrClosed) {
		t.Fatalf("second Close: %v, want ErrClosed", err)
	}
	if !o.Value().closed {
		t.Error("Close returned before release ran")
	}
	o = nil
	drain(t)
	want := []string{`db: fd 3 closed after flushing "bye"`}
	if got := log.all(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("release calls %q, want %q", got, want)
	}
	if leaks, _ := r.snapshot(); len(leaks) != 0 {
		t.Errorf("an explicit Close was reported as a leak: %v", leaks)
	}
}

// useAndDrop writes through the wrapper and drops it without Close.
func useAndDrop(log *counter) {
	o := finalize.Own(&conn{fd: 4, name: "cache", log: log}, release)
	o.Value().Write([]byte("dirty"))
}

func TestOwnDroppedWrapperRunsReleaseWithWholeResource(t *testing.T) {
	r := hooks(t)
	var log counter
	useAndDrop(&log)
	drain(t)
	want := []string{`cache: fd 4 closed after flushing "dirty"`}
	if got := log.all(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("release calls %q, want %q", got, want)
	}
	if leaks, _ := r.snapshot(); len(leaks) != 1 || !leaks[0].Collected {
		t.Errorf("leak reports %+v, want one", leaks)
	}
}

// leakResource returns the resource and drops its wrapper: the misuse the
// documentation of Owned warns about.
func leakResource(log *counter) *conn {
	o := finalize.Own(&conn{fd: 5, name: "leaked", log: log}, release)
	return o.Value()
}

// TestOwnResourceUsedBeyondWrapperIsReleasedEarly demonstrates the documented
// caveat: a resource kept without its wrapper is released while in use.
func TestOwnResourceUsedBeyondWrapperIsReleasedEarly(t *testing.T) {
	hooks(t)
	var log counter
	c := leakResource(&log)
	drain(t)
	if !c.closed {
		t.Fatal("the wrapper was not collected although only the resource was kept")
	}
	c.Write([]byte("too late")) // a use after release: what the caveat is about
	if got := log.all(); len(got) != 1 {
		t.Errorf("release calls %q, want one", got)
	}
	runtime.KeepAlive(c)
}

func TestZeroOwnedOwnsNothing(t *testing.T) {
	var o finalize.Owned[conn]
	if o.Value() != nil {
		t.Error("the zero Owned has a value")
	}
	for i := range 2 {
		if err := o.Close(); !errors.Is(err, finalize.ErrClosed) {
			t.Errorf("Close %d of the zero Owned: %v, want ErrClosed", i+1, err)
		}
	}
	if o.Value() != nil {
		t.Error("the zero Owned has a value after Close")
	}
}

// failing is a release function that counts its calls and fails.
type failing struct{ calls atomic.Int32 }

func (f *failing) release(*conn) error {
	f.calls.Add(1)
	return errFlush
}

func TestCloseReturnsReleaseErrorOnce(t *testing.T) {
	hooks(t)
	var f failing
	o := finalize.Own(&conn{}, f.release)
	if err := o.Close(); !errors.Is(err, errFlush) {
		t.Errorf("first Close: %v, want the release function's error", err)
	}
	for range 2 {
		if err := o.Close(); !errors.Is(err, finalize.ErrClosed) || errors.Is(err, errFlush) {
			t.Errorf("a later Close: %v, want ErrClosed alone", err)
		}
	}
	if n := f.calls.Load(); n != 1 {
		t.Errorf("release ran %d times, want 1", n)
	}
}

func TestConcurrentClosesReturnReleaseErrorToOne(t *testing.T) {
	hooks(t)
	check := gctest.LeakCheck(t, 1<<20) // no goroutine outlives the test
	defer check()
	var f failing
	o := finalize.Own(&conn{}, f.release)
	const closers = 8
	errs := make([]error, closers)
	var wg sync.WaitGroup
	for i := range closers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = o.Close()
		}()
	}
	wg.Wait()
	failed, closed := 0, 0
	for _, err := range errs {
		switch {
		case errors.Is(err, errFlush):
			failed++
		case errors.Is(err, finalize.ErrClosed):
			closed++
		}
	}
	if failed != 1 || closed != closers-1 || f.calls.Load() != 1 {
		t.Errorf("Close errors %v, release ran %d times; want the release error once and ErrClosed for the rest", errs, f.calls.Load())
	}
}

func TestCloseOfPanickingReleaseReturnsThePanic(t *testing.T) {
	r := hooks(t)
	o := finalize.Own(&conn{}, func(*conn) error { panic(errBoom) })
	err := o.Close()
	if !errors.Is(err, errBoom) || !strings.Contains(err.Error(), "panicked") {
		t.Errorf("Close of a release that panicked: %v, want an error that says so and wraps the panic", err)
	}
	if err := o.Close(); !errors.Is(err, finalize.ErrClosed) {
		t.Errorf("second Close: %v, want ErrClosed", err)
	}
	if _, panics := r.snapshot(); len(panics) != 1 || panics[0].Panic != errBoom {
		t.Errorf("panic reports %+v, want one", panics)
	}
}

func TestLeakReportCarriesReleaseError(t *testing.T) {
	r := hooks(t)
	leakFailing()
	drain(t)
	leaks, _ := r.snapshot()
	if len(leaks) != 1 {
		t.Fatalf("%d leak reports, want 1", len(leaks))
	}
	if l := leaks[0]; !errors.Is(l.Err, errFlush) || !l.Collected || l.Type != reflect.TypeFor[conn]() {
		t.Errorf("leak report %+v, want a collected conn with the release function's error", l)
	}
}

func TestRunAllReturnsReleaseErrorsJoined(t *testing.T) {
	r := hooks(t)
	errA, errB := errors.New("a failed"), errors.New("b failed")
	var c counter
	obj := &object{}
	owned := []*finalize.Owned[conn]{
		finalize.Own(&conn{}, func(*conn) error { return errA }, finalize.WithAtExit()),
		finalize.Own(&conn{}, func(*conn) error { return nil }, finalize.WithAtExit()),
		finalize.Own(&conn{}, func(*conn) error { return errB }, finalize.WithAtExit()),
	}
	finalize.Register(obj, c.add, "registered", finalize.WithAtExit())
	n, err := finalize.RunAll()
	if n != 4 || !errors.Is(err, errA) || !errors.Is(err, errB) {
		t.Errorf("RunAll: %d, %v; want 4 and both release errors", n, err)
	}
	for _, o := range owned {
		if err := o.Close(); !errors.Is(err, finalize.ErrClosed) {
			t.Errorf("Close after RunAll: %v, want ErrClosed", err)
		}
	}
	if n, err := finalize.RunAll(); n != 0 || err != nil {
		t.Errorf("a second RunAll: %d, %v", n, err)
	}
	if leaks, _ := r.snapshot(); len(leaks) != 0 || c.count("registered") != 1 {
		t.Errorf("leak reports %v, registered cleanup ran %d times", leaks, c.count("registered"))
	}
	runtime.KeepAlive(obj)
}
