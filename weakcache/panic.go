package weakcache

import (
	"fmt"
	"runtime/debug"
)

// A PanicError is the error that [Cache.LoadOrComputeContext] returns, to
// every caller waiting for the build, when the build function panicked
// instead of returning (or returned a nil value with a nil error, or called
// runtime.Goexit). Nothing was stored; the next caller builds again.
type PanicError struct {
	// Key is the key whose build panicked.
	Key any
	// Value is the value the build panicked with, nil if it called
	// runtime.Goexit.
	Value any
	// Stack is the stack trace of the goroutine that ran the build, taken
	// when the panic was recovered.
	Stack []byte
}

func newPanicError(k, v any) *PanicError {
	return &PanicError{Key: k, Value: v, Stack: debug.Stack()}
}

func (e *PanicError) Error() string {
	if e.Value == nil {
		return fmt.Sprintf("weakcache: the build of key %v called runtime.Goexit", e.Key)
	}
	return fmt.Sprintf("weakcache: the build of key %v panicked: %v", e.Key, e.Value)
}

// Unwrap returns the panic value if it is an error, so that errors.Is and
// errors.As see through a build that panicked with an error.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}
