package finalize

import (
	"runtime"
	"strconv"
)

// A Report describes one run of a cleanup function, for the hooks set with
// [SetLeakHook] and [SetPanicHook].
type Report struct {
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
	// Panic is the value the cleanup function panicked with, or nil if it
	// returned normally.
	Panic any
	// PanicStack is the stack of the goroutine that panicked, at the panic,
	// as [runtime/debug.Stack] formats it; nil if the function did not panic.
	PanicStack []byte
}

// report builds the Report of h's run. It is called before h is released.
func (h *Handle) report(byGC bool, p *recovered) Report {
	r := Report{Func: funcName(h.fn.pc()), Collected: byGC}
	if h.flags&traced != 0 {
		if pcs, ok := traces.Load(h); ok {
			r.Registered = formatStack(pcs.([]uintptr))
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
