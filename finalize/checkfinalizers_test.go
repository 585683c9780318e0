package finalize_test

import (
	"go/version"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/finalize"
)

// misuseEnv makes the test binary, started again by
// TestCheckfinalizersReportsMisuse, commit the misuse instead of testing.
const misuseEnv = "FINALIZE_TEST_COMMIT_MISUSE"

// TestCheckfinalizersReportsMisuse shows the runtime's check that the package
// documentation recommends finding a cleanup that Register cannot reject, a
// function that closes over its object, and stopping the program with a
// report that names it. The misuse is committed in a child process, because
// the check ends the process that it inspects.
func TestCheckfinalizersReportsMisuse(t *testing.T) {
	if os.Getenv(misuseEnv) != "" {
		obj := &object{name: "captured"}
		finalize.Register(obj, func(string) { _ = obj.name }, "never runs")
		runtime.GC() // the check runs at the end of every collection
		return
	}
	if v := runtime.Version(); version.IsValid(v) && version.Compare(v, "go1.25") < 0 {
		t.Skipf("GODEBUG=checkfinalizers needs Go 1.25; this is %s", v)
	}
	if testing.Short() {
		t.Skip("starts the test binary again; skipped in -short mode")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCheckfinalizersReportsMisuse$", "-test.count=1")
	cmd.Env = append(os.Environ(), misuseEnv+"=1", "GODEBUG=checkfinalizers=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the child process survived its misuse:\n%s", out)
	}
	for _, want := range []string{
		"Value of type finalize_test.object at ",
		"is reachable from cleanup or cleanup argument",
		"github.com/seed5da3ae9a/flyweight/finalize.collected()",
		"detected possible issues with cleanups and/or finalizers",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the child's output lacks %q:\n%s", want, out)
		}
	}
}
