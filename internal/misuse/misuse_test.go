package misuse_test

import (
	"errors"
	"testing"

	"github.com/seed5da3ae9a/flyweight/internal/misuse"
)

var errBad = errors.New("pkg: bad")

// TestRunAcceptsWhatIsDocumented: the cases Run must pass.
func TestRunAcceptsWhatIsDocumented(t *testing.T) {
	misuse.Run(t, []misuse.Case{
		{Name: "sentinel", Do: func() error { return errors.Join(errBad) }, Err: errBad},
		{Name: "panic", Do: func() error { panic("pkg: nil argument") }, Panic: "pkg: "},
	})
}

// TestCheckRejectsTheRest: every other outcome is a fault.
func TestCheckRejectsTheRest(t *testing.T) {
	for _, c := range []misuse.Case{
		{Name: "no error", Do: func() error { return nil }, Err: errBad},
		{Name: "other error", Do: func() error { return errors.New("x") }, Err: errBad},
		{Name: "panic instead of error", Do: func() error { panic("pkg: x") }, Err: errBad},
		{Name: "no panic", Do: func() error { return nil }, Panic: "pkg: "},
		{Name: "error value", Do: func() error { panic(errors.New("pkg: as an error")) }, Panic: "pkg: "},
		{Name: "unprefixed", Do: func() error { panic("nil argument") }, Panic: "pkg: "},
		{Name: "neither Err nor Panic", Do: func() error { return nil }},
		{Name: "both Err and Panic", Do: func() error { panic("pkg: x") }, Err: errBad, Panic: "pkg: "},
	} {
		if misuse.Check(c) == nil {
			t.Errorf("case %q passed; Check must reject it", c.Name)
		}
	}
}
