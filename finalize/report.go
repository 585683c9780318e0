package finalize

import (
	"log/slog"
	"reflect"
	"runtime"
	"strconv"
	"time"
)

// A Report describes one run of a cleanup function, for the hooks set with
// [SetLeakHook] and [SetPanicHook]. The default hooks, [LogLeak] and
// [LogPanic], log it with [log/slog], one attribute per field that is set,
// named as the field in lower case (PanicStack as panic_stack).
type Report struct {
	// Type is the type of the object the cleanup was registered on: T of
	// [Register], or the resource's type T of [Own].
	Type reflect.Type
	// Func is the cleanup function's name as the runtime knows it, such as
	// "example.com/pkg.closeFD" or "example.com/pkg.open.func1" for a
	// function literal.
	Func string
	// Collected is true when the cleanup ran because its object was
	// collected, and false when [Handle.Run], [Owned.Close] or [RunAll] ran it.
	Collected bool
	// Registered is the call stack of the [Register] or [Own] call, innermost
	// frame first, one "function\n\tfile:line\n" pair per frame, if tracing
	// was on when the handle was registered (see [SetTracing]), and "" if not.
	Registered string
	// Age is the time from registration to this run, if tracing was on
	// when the handle was registered, and zero if not.
	Age time.Duration
	// Err is the error the release function of [Own] returned, nil if it
	// returned nil or panicked, and always nil for [Register]. In a leak
	// report it is the only place the error goes: no Close returns it.
	Err error
	// Panic is the value the cleanup function panicked with, or nil if it
	// returned normally.
	Panic any
	// PanicStack is the stack of the goroutine that panicked, at the panic,
	// as [runtime/debug.Stack] formats it; nil if the function did not panic.
	PanicStack []byte
}

// report builds the Report of h's run, which returned err or panicked with
// p. It is called before h is released.
func (h *Handle) report(byGC bool, err error, p *recovered) Report {
	r := Report{Type: h.fn.objType(), Func: funcName(h.fn.pc()), Collected: byGC, Err: err}
	if h.flags&traced != 0 {
		if tr, ok := traces.Load(h); ok {
			tr := tr.(*trace)
			r.Registered = formatStack(tr.pcs)
			r.Age = time.Since(tr.at)
		}
	}
	if p != nil {
		r.Panic, r.PanicStack = p.value, p.stack
	}
	return r
}

// funcName returns the name of the function at pc, or pc in hexadecimal if
// the runtime knows no function there.
func funcName(pc uintptr) string {
	if f := runtime.FuncForPC(pc); f != nil {
		return f.Name()
	}
	return "0x" + strconv.FormatUint(uint64(pc), 16)
}

// LogValue returns r as a [log/slog] group of the attributes that the
// default hooks log, so that a hook of one's own can log a report whole,
// as slog.Any("cleanup", r).
func (r Report) LogValue() slog.Value { return slog.GroupValue(r.attrs()...) }

// attrs returns the fields of r that are set, as [log/slog] attributes named
// as the fields in lower case.
func (r Report) attrs() []slog.Attr {
	a := make([]slog.Attr, 0, 8)
	if r.Type != nil {
		a = append(a, slog.String("type", r.Type.String()))
	}
	a = append(a, slog.String("func", r.Func))
	if r.Collected {
		a = append(a, slog.Bool("collected", true))
	}
	if r.Registered != "" {
		a = append(a, slog.String("registered", r.Registered))
	}
	if r.Age != 0 {
		a = append(a, slog.Duration("age", r.Age))
	}
	if r.Err != nil {
		a = append(a, slog.Any("err", r.Err))
	}
	if r.Panic != nil {
		a = append(a, slog.Any("panic", r.Panic), slog.String("panic_stack", string(r.PanicStack)))
	}
	return a
}
