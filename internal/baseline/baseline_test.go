package baseline_test

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/seed5da3ae9a/flyweight/internal/baseline"
)

// TestInterners: each interner returns its first copy of a string for every
// equal string after it, and different strings stay different.
func TestInterners(t *testing.T) {
	var sm baseline.SyncMapInterner
	for name, intern := range map[string]func(string) string{
		"MutexInterner":   baseline.NewMutexInterner().String,
		"SyncMapInterner": sm.String,
	} {
		first := strings.Clone("key")
		if got := intern(first); unsafe.StringData(got) != unsafe.StringData(first) {
			t.Errorf("%s: the first String did not keep its argument", name)
		}
		if got := intern(strings.Clone("key")); got != "key" || unsafe.StringData(got) != unsafe.StringData(first) {
			t.Errorf("%s: String of an equal string = %q, not the first copy", name, got)
		}
		if got := intern("other"); got != "other" {
			t.Errorf(`%s: String("other") = %q`, name, got)
		}
	}
}
