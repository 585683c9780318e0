// Package misuse runs the bad-input tables of the module's packages: every
// exported function given bad input either returns an error matching a
// documented sentinel, or panics with a message that starts with the
// package's name, as documented on that function. Nothing else is
// acceptable: not a runtime error, not a silent success.
package misuse

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// A Case is one bad input: Do makes the call. Exactly one of Err (the
// sentinel the error must match) and Panic (the prefix of the panic message,
// "pkg: ...") is set.
type Case struct {
	Name  string
	Do    func() error
	Err   error
	Panic string
}

// Run runs each case as a subtest that fails if [Check] finds a fault.
func Run(t *testing.T, cases []Case) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			if err := Check(c); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// Check makes the call of c and returns what is wrong with its outcome, or
// nil. A case that sets both Err and Panic, or neither (a sentinel still nil,
// say, which any successful call would match), is wrong without a call.
func Check(c Case) error {
	if (c.Err == nil) == (c.Panic == "") {
		return fmt.Errorf("case %q sets Err %v and Panic %q: exactly one must be set", c.Name, c.Err, c.Panic)
	}
	panicked, err := call(c.Do)
	switch {
	case c.Panic != "" && panicked == nil:
		return fmt.Errorf("returned %v, want a panic %q…", err, c.Panic)
	case c.Panic != "":
		msg := fmt.Sprint(panicked)
		if _, isErr := panicked.(error); isErr || !strings.HasPrefix(msg, c.Panic) {
			return fmt.Errorf("panicked with %T %q, want a message starting %q", panicked, msg, c.Panic)
		}
		return nil
	case panicked != nil:
		return fmt.Errorf("panicked with %v, want an error matching %v", panicked, c.Err)
	case !errors.Is(err, c.Err):
		return fmt.Errorf("returned %v, want an error matching %v", err, c.Err)
	}
	return nil
}

func call(do func() error) (panicked any, err error) {
	defer func() { panicked = recover() }()
	return nil, do()
}
