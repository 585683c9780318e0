package contract_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// hotInlines are the functions whose comments say they must be inlined:
// each can be, and where into names a caller, the call on the hot path
// (testdata/inline reaches into only through Load and Value) is. Their
// speed depends on it (see the comments at each).
var hotInlines = []struct{ fn, into string }{
	{"weakcache.(*Cache).Load", ""},
	{"weakcache.(*state).checkKey", "weakcache.(*Cache).lookup"},
	{"weakcache.(*state).hit", "weakcache.(*Cache).lookup"},
	{"intern.(*set).has", "intern.(*Table).Value"},
}

// TestHotPathsAreInlined compiles testdata/inline, which calls the hot
// paths of the module, with -gcflags=-m, as the Go compiler's own
// inl_test.go does, and checks hotInlines.
func TestHotPathsAreInlined(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command; skipped in -short mode")
	}
	out, err := exec.Command("go", "build", "-gcflags=-m", "-o", os.DevNull, "./testdata/inline").CombinedOutput()
	if err != nil {
		t.Fatalf("go build -gcflags=-m: %v\n%s", err, out)
	}
	canInline := map[string]bool{}
	inlinedInto := map[string]bool{}
	for _, l := range strings.Split(string(out), "\n") {
		_, msg, ok := strings.Cut(l, ": ")
		if !ok {
			continue
		}
		msg = withoutTypeArgs(msg)
		if fn, ok := strings.CutPrefix(msg, "can inline "); ok {
			canInline[fn] = true
		}
		if fn, ok := strings.CutPrefix(msg, "inlining call to "); ok {
			inlinedInto[fn] = true
		}
	}
	for _, h := range hotInlines {
		if !canInline[h.fn] {
			t.Errorf("%s cannot be inlined any more", h.fn)
		}
		if h.into != "" && !inlinedInto[h.fn] {
			t.Errorf("%s is not inlined (into %s)", h.fn, h.into)
		}
	}
}

// withoutTypeArgs removes the bracketed type arguments (and shapes) from a
// function name in the compiler's messages: weakcache.(*Cache[go.shape.int,
// …]).Load becomes weakcache.(*Cache).Load.
func withoutTypeArgs(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '[':
			depth++
		case r == ']':
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}
