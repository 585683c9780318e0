package finalize_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestVetReportsCopies checks that go vet's copylocks check reports the
// copies of a Handle and an Owned in testdata/vetcopy, each line marked
// "// copy" and no other.
func TestVetReportsCopies(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet; skipped in -short mode")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	const file = "testdata/vetcopy/copies.go"
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]bool{}
	sc := bufio.NewScanner(bytes.NewReader(src))
	for line := 1; sc.Scan(); line++ {
		if strings.HasSuffix(sc.Text(), "// copy") {
			want[line] = true
		}
	}

	out, err := exec.Command(goTool, "vet", "-copylocks", "./testdata/vetcopy").CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("go vet: %v, want it to exit with its findings:\n%s", err, out)
	}
	got := map[int]bool{}
	report := regexp.MustCompile(`^(?:\./)?` + regexp.QuoteMeta(file) + `:(\d+):\d+: (.*)$`)
	for _, l := range strings.Split(string(out), "\n") {
		m := report.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		line, _ := strconv.Atoi(m[1])
		if !strings.Contains(m[2], "finalize.noCopy") {
			t.Errorf("line %d: %s; want a copylocks report naming finalize.noCopy", line, m[2])
		}
		got[line] = true
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("go vet reported copies on lines %v, want %v:\n%s", keys(got), keys(want), out)
	}
}

func keys(m map[int]bool) []int {
	var ks []int
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
