package finalize_test

import (
	"errors"
	"fmt"
	"runtime"
	"testing"

	"github.com/seed5da3ae9a/flyweight/finalize"
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
func release(c *conn) {
	c.closed = true
	c.log.add(fmt.Sprintf("%s: fd %d closed after flushing %q", c.name, c.fd, c.pending))
}

func TestOwnCloseRunsFinOnceWithWholeResource(t *testing.T) {
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
		t.Error("Close returned before fin ran")
	}
	o = nil
	drain(t)
	want := []string{`db: fd 3 closed after flushing "bye"`}
	if got := log.all(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("fin calls %q, want %q", got, want)
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

func TestOwnDroppedWrapperRunsFinWithWholeResource(t *testing.T) {
	r := hooks(t)
	var log counter
	useAndDrop(&log)
	drain(t)
	want := []string{`cache: fd 4 closed after flushing "dirty"`}
	if got := log.all(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("fin calls %q, want %q", got, want)
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
		t.Errorf("fin calls %q, want one", got)
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
