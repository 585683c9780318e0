package finalize_test

import (
	"log/slog"
	"os"
	"os/exec"
	"reflect"
	"runtime/pprof"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/finalize"
)

// TestDefaultsOfAFreshProcess checks, in a process of its own that nothing
// has configured, that leaks are logged by LogLeak and that the pending
// profile is not there until tracing is first turned on.
func TestDefaultsOfAFreshProcess(t *testing.T) {
	if os.Getenv("FINALIZE_FRESH_PROCESS") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestDefaultsOfAFreshProcess$", "-test.v")
		cmd.Env = append(os.Environ(), "FINALIZE_FRESH_PROCESS=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS") {
			t.Fatalf("the child process: %v\n%s", err, out)
		}
		return
	}

	l := captureSlog(t, slog.LevelDebug)
	leakFailing()
	drain(t)
	if recs := l.all(); len(recs) != 1 || recs[0].level != slog.LevelWarn || recs[0].attrs["type"].String() != "finalize_test.conn" {
		t.Errorf("by default a leak logged %+v, want one Warn", recs)
	}
	prev := finalize.SetLeakHook(nil)
	if prev == nil || reflect.ValueOf(prev).Pointer() != reflect.ValueOf(finalize.LogLeak).Pointer() {
		t.Error("the default leak hook is not LogLeak")
	}
	if prev := finalize.SetPanicHook(nil); prev != nil {
		t.Error("the default panic hook is not nil (for LogPanic)")
	}

	if pprof.Lookup(finalize.PendingProfile) != nil {
		t.Fatal("the profile is registered before tracing was turned on")
	}
	finalize.SetTracing(false)
	if pprof.Lookup(finalize.PendingProfile) != nil {
		t.Fatal("SetTracing(false) registered the profile")
	}
	finalize.SetTracing(true)
	if pprof.Lookup(finalize.PendingProfile) == nil {
		t.Fatal("SetTracing(true) did not register the profile")
	}
	finalize.SetTracing(false)
}
