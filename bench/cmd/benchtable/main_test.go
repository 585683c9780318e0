package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sample = `goos: linux
goarch: amd64
pkg: github.com/seed5da3ae9a/flyweight/intern
cpu: AMD EPYC
BenchmarkStringHit/impl=intern.String/serial-2         	 1000	        10.0 ns/op	       0 B/op	       0 allocs/op
BenchmarkStringHit/impl=intern.String/serial-2         	 1000	        12.0 ns/op	       0 B/op	       0 allocs/op
BenchmarkStringHit/impl=intern.String/serial-2         	 1000	        30.0 ns/op	       0 B/op	       0 allocs/op
BenchmarkStringHit/impl=intern.String/parallel-2       	 1000	         5.0 ns/op	       0 B/op	       0 allocs/op
BenchmarkStringHit/impl=unique.Make/serial-2           	 1000	        40.0 ns/op	       0 B/op	       0 allocs/op
BenchmarkStringHit/impl=unique.Make/parallel-2         	 1000	        20.0 ns/op	       0 B/op	       1 allocs/op
BenchmarkMemory/Strings/impl=Pool-2                    	    1	         7 ns/op	        58.0 B/entry
BenchmarkMemory/Strings/impl=map-2                     	    1	         7 ns/op	        68.5 B/entry
PASS
`

const readme = `# Title
<!-- bench-env -->
Measured an old run.
text
<!-- bench pkg=intern family=StringHit base=unique.Make metrics=ns/op,allocs/op -->
| old table |
<!-- /bench -->
<!-- bench pkg=intern family=Memory/Strings base=map metrics=B/entry -->
<!-- /bench -->
end`

func TestRewrite(t *testing.T) {
	r := newResults()
	if err := r.parse(strings.NewReader(sample)); err != nil {
		t.Fatal(err)
	}
	got, err := rewrite(readme, r, "2026-11-22", false)
	if err != nil {
		t.Fatal(err)
	}
	want := `# Title
<!-- bench-env -->
Measured 2026-11-22, linux, amd64, AMD EPYC.
text
<!-- bench pkg=intern family=StringHit base=unique.Make metrics=ns/op,allocs/op -->
| impl | serial ns/op | × unique.Make | serial allocs/op | parallel ns/op | × unique.Make | parallel allocs/op |
|---|---|---|---|---|---|---|
| ` + "`intern.String`" + ` | 12.0 | 0.30× | 0 | 5.00 | 0.25× | 0 |
| ` + "`unique.Make`" + ` | 40.0 | 1.00× | 0 | 20.0 | 1.00× | 1 |
<!-- /bench -->
<!-- bench pkg=intern family=Memory/Strings base=map metrics=B/entry -->
| impl | B/entry | × map |
|---|---|---|
| ` + "`Pool`" + ` | 58.0 | 0.85× |
| ` + "`map`" + ` | 68.5 | 1.00× |
<!-- /bench -->
end`
	if got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestRewriteErrors(t *testing.T) {
	r := newResults()
	if err := r.parse(strings.NewReader(sample)); err != nil {
		t.Fatal(err)
	}
	for _, doc := range []string{
		"<!-- bench pkg=intern family=StringHit base=unique.Make metrics=ns/op -->\nno end",
		"<!-- bench pkg=intern family=Nope base=x metrics=ns/op -->\n<!-- /bench -->",
		"<!-- bench pkg=intern family=StringHit base=absent metrics=ns/op -->\n<!-- /bench -->",
		"<!-- bench pkg=intern family=StringHit metrics=ns/op -->\n<!-- /bench -->",
		"<!-- bench pkg=intern family=StringHit base=x metrics=ns/op color=red -->\n<!-- /bench -->",
	} {
		if _, err := rewrite(doc, r, "", false); err == nil {
			t.Errorf("rewrite(%q) succeeded", doc)
		}
	}
}

func TestRewritePartialKeepsBlocks(t *testing.T) {
	r := newResults()
	if err := r.parse(strings.NewReader(sample)); err != nil {
		t.Fatal(err)
	}
	doc := "<!-- bench pkg=intern family=Nope base=x metrics=ns/op -->\n| kept |\n<!-- /bench -->"
	got, err := rewrite(doc, r, "", true)
	if err != nil || got != doc {
		t.Fatalf("rewrite with partial = %q, %v; want the block unchanged", got, err)
	}
}

// TestRunWithoutResults: results that hold no benchmark (a filter that
// matched nothing) are an error, and the README is left as it was.
func TestRunWithoutResults(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "README.md")
	res := filepath.Join(dir, "empty.txt")
	if err := os.WriteFile(doc, []byte(readme), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(res, []byte("PASS\nok  \tpkg\t0.01s\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := run(doc, "2026-01-01", true, []string{res})
	if err == nil || !strings.Contains(err.Error(), "no benchmark results") {
		t.Fatalf("run = %v, want a no benchmark results error", err)
	}
	if got, _ := os.ReadFile(doc); string(got) != readme {
		t.Errorf("README changed to %q", got)
	}
}

// TestJoinedFamilies: a marker of two families joined by + makes one table
// of both, a metric that both report taken from the first one.
func TestJoinedFamilies(t *testing.T) {
	const results = `pkg: github.com/seed5da3ae9a/flyweight/bench
BenchmarkDecode/impl=a/f1-2       	 10	        10.0 ns/op
BenchmarkDecode/impl=b/f1-2       	 10	        30.0 ns/op
BenchmarkDecodeMemory/impl=a/f1-2 	  1	      9999 ns/op	   100 B/record
BenchmarkDecodeMemory/impl=b/f1-2 	  1	      9999 ns/op	    50.0 B/record
`
	r := newResults()
	if err := r.parse(strings.NewReader(results)); err != nil {
		t.Fatal(err)
	}
	got, err := rewrite("<!-- bench pkg=bench family=Decode+DecodeMemory base=a metrics=ns/op,B/record -->\n<!-- /bench -->", r, "", false)
	if err != nil {
		t.Fatal(err)
	}
	want := "<!-- bench pkg=bench family=Decode+DecodeMemory base=a metrics=ns/op,B/record -->\n" +
		"| impl | f1 ns/op | × a | f1 B/record | × a |\n|---|---|---|---|---|\n" +
		"| `b` | 30.0 | 3.00× | 50.0 | 0.50× |\n" +
		"| `a` | 10.0 | 1.00× | 100 | 1.00× |\n<!-- /bench -->"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
