package contract_test

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// checkMarkedLines runs the go command with args on the package in
// testdata/dir, which must fail, and checks that it reports a finding on
// every line of file that ends in "// "+mark and on no other line, each
// finding's text containing want.
func checkMarkedLines(t *testing.T, dir, mark, want string, args ...string) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the go command; skipped in -short mode")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	file := "testdata/" + dir + "/" + dir + ".go"
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var marked []int
	sc := bufio.NewScanner(bytes.NewReader(src))
	for line := 1; sc.Scan(); line++ {
		if strings.HasSuffix(sc.Text(), "// "+mark) {
			marked = append(marked, line)
		}
	}
	if len(marked) == 0 {
		t.Fatalf("%s marks no line %q", file, mark)
	}
	out, err := exec.Command(goTool, append(args, "./testdata/"+dir)...).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("go %s: %v, want it to fail with its findings:\n%s", strings.Join(args, " "), err, out)
	}
	var reported []int
	finding := regexp.MustCompile(`^(?:\./)?` + regexp.QuoteMeta(file) + `:(\d+):\d+: (.*)$`)
	for _, l := range strings.Split(string(out), "\n") {
		m := finding.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		line, _ := strconv.Atoi(m[1])
		if !strings.Contains(m[2], want) {
			t.Errorf("line %d: %s; want a finding about %q", line, m[2], want)
		}
		if !slices.Contains(reported, line) {
			reported = append(reported, line)
		}
	}
	if !slices.Equal(reported, marked) {
		t.Errorf("go %s found lines %v, want %v:\n%s", strings.Join(args, " "), reported, marked, out)
	}
}

// TestVetReportsCopies: go vet's copylocks check reports every copy of the
// types that must not be copied (Table, Pool, Cache, Schema, Handle,
// Owned), and no copy of those whose copies share their contents (Dict,
// Record, Frame, Factory).
func TestVetReportsCopies(t *testing.T) {
	checkMarkedLines(t, "copies", "copy", "lock", "vet", "-copylocks")
}

// TestOptionsAreTypedAtCompileTime: each package's options are its own
// type, so an option given to another package's function does not compile.
func TestOptionsAreTypedAtCompileTime(t *testing.T) {
	checkMarkedLines(t, "options", "mismatch", "cannot ", "build", "-gcflags=-e", "-o", os.DevNull)
}
