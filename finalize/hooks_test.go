package finalize_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/finalize"
)

var errBoom = errors.New("boom")

func boom(string) { panic(errBoom) }

func TestPanicInRunIsRecoveredAndReported(t *testing.T) {
	r := hooks(t)
	obj := &object{}
	h := finalize.Register(obj, boom, "x")
	if !h.Run() {
		t.Fatal("Run of a panicking fn returned false")
	}
	if h.Pending() || h.Run() {
		t.Error("a handle whose fn panicked can run again")
	}
	leaks, panics := r.snapshot()
	if len(leaks) != 0 || len(panics) != 1 {
		t.Fatalf("got %d leak and %d panic reports, want 0 and 1", len(leaks), len(panics))
	}
	p := panics[0]
	if p.Panic != errBoom || p.Collected || p.Func != "github.com/seed5da3ae9a/flyweight/finalize_test.boom" {
		t.Errorf("panic report %+v", p)
	}
	// The stack is the panicking goroutine's, at the panic.
	if !bytes.Contains(p.PanicStack, []byte("finalize_test.boom(")) {
		t.Errorf("panic stack does not show the panicking function:\n%s", p.PanicStack)
	}
	runtime.KeepAlive(obj)
}

func TestPanicInGCRunIsRecoveredAndReported(t *testing.T) {
	r := hooks(t)
	finalize.Register(&object{}, boom, "x")
	drain(t)
	leaks, panics := r.snapshot()
	if len(leaks) != 1 || len(panics) != 1 {
		t.Fatalf("got %d leak and %d panic reports, want 1 and 1", len(leaks), len(panics))
	}
	for _, rep := range []finalize.Report{leaks[0], panics[0]} {
		if rep.Panic != errBoom || !rep.Collected {
			t.Errorf("report %+v, want Collected with Panic %v", rep, errBoom)
		}
	}
}

func TestDefaultPanicHookLogsError(t *testing.T) {
	hooks(t)
	finalize.SetPanicHook(nil)
	l := captureSlog(t, slog.LevelDebug)
	obj := &object{}
	finalize.Register(obj, boom, "x").Run()
	runtime.KeepAlive(obj)
	rec := l.only(t, slog.LevelError)
	for key, want := range map[string]string{
		"type":  "finalize_test.object",
		"func":  "github.com/seed5da3ae9a/flyweight/finalize_test.boom",
		"panic": "boom",
	} {
		if got := rec.attrs[key].String(); got != want {
			t.Errorf("attribute %s = %q, want %q", key, got, want)
		}
	}
	if !strings.Contains(rec.attrs["panic_stack"].String(), "finalize_test.boom(") {
		t.Errorf("panic_stack does not show the panicking function: %v", rec.attrs["panic_stack"])
	}
	if _, ok := rec.attrs["collected"]; ok {
		t.Error("an explicit run is logged as collected")
	}
}

// errFlush is the error of a release function that fails.
var errFlush = errors.New("flush failed")

// leakFailing owns a resource whose release fails, and drops it unclosed.
func leakFailing() {
	finalize.Own(&conn{name: "failing"}, func(*conn) error { return errFlush })
}

func TestDefaultLeakHookLogsWarnWithTypeStackAgeAndError(t *testing.T) {
	hooks(t)
	finalize.SetLeakHook(finalize.LogLeak)
	defer finalize.SetTracing(finalize.SetTracing(true))
	l := captureSlog(t, slog.LevelDebug)
	leakFailing()
	drain(t)
	rec := l.only(t, slog.LevelWarn)
	if got := rec.attrs["type"].String(); got != "finalize_test.conn" {
		t.Errorf("type = %q, want finalize_test.conn (the resource's)", got)
	}
	if got := rec.attrs["func"].String(); !strings.HasSuffix(got, "finalize_test.leakFailing.func1") {
		t.Errorf("func = %q, want the release function", got)
	}
	if !rec.attrs["collected"].Bool() {
		t.Error("a leak is not logged as collected")
	}
	if reg := rec.attrs["registered"].String(); !strings.HasPrefix(reg, "github.com/seed5da3ae9a/flyweight/finalize_test.leakFailing\n") {
		t.Errorf("registered does not start at the function that called Own:\n%s", reg)
	}
	if age := rec.attrs["age"]; age.Kind() != slog.KindDuration || age.Duration() <= 0 {
		t.Errorf("age = %v, want a positive duration", age)
	}
	if err, _ := rec.attrs["err"].Any().(error); !errors.Is(err, errFlush) {
		t.Errorf("err = %v, want the release function's error", rec.attrs["err"])
	}
}

func TestLeakHookOfItsOwnReplacesTheLog(t *testing.T) {
	r := hooks(t)
	l := captureSlog(t, slog.LevelDebug)
	leakFailing()
	drain(t)
	if recs := l.all(); len(recs) != 0 {
		t.Errorf("with a leak hook set, the default still logged %+v", recs)
	}
	if leaks, _ := r.snapshot(); len(leaks) != 1 || !errors.Is(leaks[0].Err, errFlush) {
		t.Errorf("leak reports %+v, want one with the release function's error", leaks)
	}
}

func TestLeakReportsOffLogNothing(t *testing.T) {
	r := hooks(t)
	finalize.SetLeakHook(nil)
	l := captureSlog(t, slog.LevelDebug)
	before := finalize.ReadStats()
	leakFailing()
	drain(t)
	if recs := l.all(); len(recs) != 0 {
		t.Errorf("with leak reports off, a leak was logged: %+v", recs)
	}
	if leaks, _ := r.snapshot(); len(leaks) != 0 {
		t.Errorf("with leak reports off, the earlier hook was told: %+v", leaks)
	}
	if n := finalize.ReadStats().Leaked - before.Leaked; n != 1 {
		t.Errorf("with leak reports off, Stats.Leaked counted %d leaks, want 1", n)
	}
}

func TestReportLogValueGroupsTheDefaultAttributes(t *testing.T) {
	l := captureSlog(t, slog.LevelDebug)
	r := finalize.Report{Func: "pkg.f", Collected: true, Err: errFlush}
	slog.Info("msg", "cleanup", r)
	recs := l.all()
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	g := recs[0].attrs["cleanup"]
	got := map[string]string{}
	for _, a := range g.Group() {
		got[a.Key] = a.Value.String()
	}
	want := map[string]string{"func": "pkg.f", "collected": "true", "err": errFlush.Error()}
	if g.Kind() != slog.KindGroup || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("cleanup = %v %v, want the group %v", g.Kind(), got, want)
	}
}

func TestPanickingHooksAreRecovered(t *testing.T) {
	hooks(t)
	l := captureSlog(t, slog.LevelDebug)
	finalize.SetPanicHook(func(finalize.Report) { panic("panic hook") })
	finalize.SetLeakHook(func(finalize.Report) { panic("leak hook") })
	finalize.Register(&object{}, boom, "x")
	drain(t)
	var panics []string
	for _, rec := range l.all() {
		if rec.level != slog.LevelError || rec.attrs["func"].String() != "github.com/seed5da3ae9a/flyweight/finalize_test.boom" ||
			!strings.Contains(rec.attrs["panic_stack"].String(), "finalize_test.TestPanickingHooksAreRecovered") {
			t.Errorf("a hook's panic logged as %+v", rec)
		}
		panics = append(panics, rec.attrs["panic"].String())
	}
	if fmt.Sprint(panics) != "[leak hook panic hook]" {
		t.Errorf("logged the panics %q, want the leak hook's then the panic hook's", panics)
	}
}

func TestSetHooksReturnPrevious(t *testing.T) {
	hooks(t)
	var calls []string
	a := func(finalize.Report) { calls = append(calls, "a") }
	b := func(finalize.Report) { calls = append(calls, "b") }
	for name, set := range map[string]func(func(finalize.Report)) func(finalize.Report){
		"SetLeakHook": finalize.SetLeakHook, "SetPanicHook": finalize.SetPanicHook,
	} {
		calls = nil
		set(a)
		set(b)(finalize.Report{})
		set(nil)(finalize.Report{})
		if prev := set(nil); prev != nil {
			t.Errorf("%s(nil) twice: second returned a hook", name)
		}
		if strings.Join(calls, "") != "ab" {
			t.Errorf("%s returned hooks %v, want a then b", name, calls)
		}
	}
}
