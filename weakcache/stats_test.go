package weakcache_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/weakcache"
)

// statsWithDistinctFields returns a Stats whose every field holds a
// distinct value, so that a field printed or marshalled in another's place
// shows.
func statsWithDistinctFields(t *testing.T) weakcache.Stats {
	t.Helper()
	var s weakcache.Stats
	v := reflect.ValueOf(&s).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		if f.CanInt() {
			f.SetInt(int64(i + 1))
		} else {
			f.SetUint(uint64(i + 1))
		}
	}
	return s
}

func TestStatsStringNamesEveryField(t *testing.T) {
	s := statsWithDistinctFields(t)
	const want = "entries=1 hits=2 misses=3 stores=4 collected=5 builds=6 building=7 waits=8 failures=9 panics=10 cancellations=11 abandoned=12"
	if got := s.String(); got != want {
		t.Fatalf("String() =\n%s\nwant\n%s", got, want)
	}
}

// TestStatsMarshalJSONRoundTrips: Stats marshals as a JSON object with a
// lower-case key per field (what expvar.Func publishes), and decodes back.
func TestStatsMarshalJSONRoundTrips(t *testing.T) {
	s := statsWithDistinctFields(t)
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]uint64
	if err := json.Unmarshal(b, &keys); err != nil {
		t.Fatal(err)
	}
	if n := reflect.TypeFor[weakcache.Stats]().NumField(); len(keys) != n {
		t.Fatalf("%s has %d keys, want %d", b, len(keys), n)
	}
	for _, kv := range strings.Fields(s.String()) {
		name, _, _ := strings.Cut(kv, "=")
		if _, ok := keys[name]; !ok {
			t.Errorf("%s has no key %q", b, name)
		}
	}
	var back weakcache.Stats
	if err := json.Unmarshal(b, &back); err != nil || back != s {
		t.Fatalf("round trip of %s = %v, %v; want %v", b, back, err, s)
	}
}
