package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/seed5da3ae9a/flyweight"

// layers says which packages of this module each package may import, by path
// relative to the module root; an entry ending in "/" covers every package
// below it. "*" allows the whole module. A package not covered here is itself
// a violation: a new package must be placed in the layering on purpose.
var layers = map[string][]string{
	"intern":    {"internal/"},
	"slotdict":  {"internal/"},
	"weakcache": {"internal/"},
	"finalize":  {"internal/"},
	"flyweight": {"intern", "slotdict", "weakcache", "internal/"},
	"internal/": {"internal/"},
	// The tests of what all packages promise alike import them all.
	"internal/contract": {"*"},
	"fuzz":              {"*"},
	"cmd/":              {"*"},
}

// thirdParty lists the modules outside the standard library that a package's
// non-test code may import. Everything else may use the standard library only.
var thirdParty = map[string][]string{
	"weakcache": {"github.com/puzpuzpuz/xsync/v3"},
}

// testOnly may be imported by _test.go files of any package and by the
// testPackages, and by nothing else.
var testOnly = []string{"pgregory.net/rapid", "go.uber.org/goleak"}

// testPackages are the module's packages for tests, by path relative to the
// module root: only _test.go files and other test packages may import them,
// and only they may import the testing package outside _test.go files, so
// that no test helper is linked into a program.
var testPackages = []string{"internal/baseline", "internal/gctest", "internal/misuse"}

// requires is every module the root go.mod may list: the runtime dependency
// and the test libraries. Peers for comparison belong in bench/go.mod.
var requires = []string{"github.com/puzpuzpuz/xsync/v3", "pgregory.net/rapid", "go.uber.org/goleak"}

type pkg struct {
	ImportPath   string
	Imports      []string
	TestImports  []string
	XTestImports []string
	// Dir and IgnoredGoFiles let addIgnoredImports read the files that go
	// list leaves out of the lists above: those whose build constraints
	// this build does not satisfy, such as a file for -race only.
	Dir            string
	IgnoredGoFiles []string
}

// addIgnoredImports adds the imports of p's ignored files to p's lists: a
// test file's to TestImports, any other's to Imports. Layering holds for
// every build, not only the one the test runs in.
func addIgnoredImports(p *pkg) error {
	fset := token.NewFileSet()
	for _, name := range p.IgnoredGoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		list := &p.Imports
		if strings.HasSuffix(name, "_test.go") {
			list = &p.TestImports
		}
		for _, imp := range f.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				return fmt.Errorf("%s: import %s: %v", fset.Position(imp.Pos()), imp.Path.Value, err)
			}
			*list = append(*list, path)
		}
	}
	return nil
}

func TestLayering(t *testing.T) {
	out := run(t, "go", "list", "-json", module+"/...")
	var pkgs []pkg
	for dec := json.NewDecoder(bytes.NewReader(out)); ; {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decoding go list output: %v", err)
		}
		if err := addIgnoredImports(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 3 {
		t.Fatalf("go list found only %d packages; is the module root right?", len(pkgs))
	}
	for _, v := range check(pkgs) {
		t.Error(v)
	}
}

func TestRootRequires(t *testing.T) {
	var mod struct{ Require []struct{ Path string } }
	if err := json.Unmarshal(run(t, "go", "mod", "edit", "-json"), &mod); err != nil {
		t.Fatal(err)
	}
	for _, r := range mod.Require {
		if !slices.Contains(requires, r.Path) {
			t.Errorf("root go.mod requires %s; only xsync, rapid and goleak may be there", r.Path)
		}
	}
}

// TestCheckReportsViolations shows that check is not vacuous: each kind of
// forbidden import in a made-up module is reported.
func TestCheckReportsViolations(t *testing.T) {
	pkgs := []pkg{
		{ImportPath: module + "/intern", Imports: []string{"sync", module + "/slotdict"}},
		{ImportPath: module + "/slotdict", Imports: []string{"github.com/puzpuzpuz/xsync/v3"}},
		{ImportPath: module + "/weakcache", Imports: []string{"github.com/puzpuzpuz/xsync/v3", "pgregory.net/rapid"}},
		{ImportPath: module + "/internal/memsize", Imports: []string{module + "/flyweight"}},
		{ImportPath: module + "/flyweight", Imports: []string{module + "/finalize"}, XTestImports: []string{module + "/internal/gctest", "pgregory.net/rapid"}},
		{ImportPath: module + "/newpkg"},
		{ImportPath: module + "/finalize", TestImports: []string{module + "/intern"}},
		{ImportPath: module + "/internal/memsize", Imports: []string{module + "/internal/gctest", "testing"}, TestImports: []string{module + "/internal/gctest"}},
		{ImportPath: module + "/internal/gctest", Imports: []string{"testing", module + "/internal/misuse", "go.uber.org/goleak"}},
		{ImportPath: module + "/internal/slab", Imports: []string{"go.uber.org/goleak"}},
	}
	want := []string{
		module + "/intern imports " + module + "/slotdict",
		module + "/slotdict imports github.com/puzpuzpuz/xsync/v3",
		module + "/weakcache imports pgregory.net/rapid",
		module + "/internal/memsize imports " + module + "/flyweight",
		module + "/flyweight imports " + module + "/finalize",
		module + "/newpkg has no layering rule",
		module + "/finalize (tests) imports " + module + "/intern",
		module + "/internal/memsize imports the test package " + module + "/internal/gctest",
		module + "/internal/memsize imports the test package testing",
		module + "/internal/slab imports go.uber.org/goleak",
	}
	got := check(pkgs)
	if len(got) != len(want) {
		t.Fatalf("check found %d violations, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("violation %d = %q, want prefix %q", i, got[i], want[i])
		}
	}
}

// TestIgnoredFilesAreChecked writes a package whose forbidden imports are
// all in files that no build of this test includes, and checks that they are
// reported.
func TestIgnoredFilesAreChecked(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"a.go":           "package a\n\nimport \"sync\"\n",
		"tagged.go":      "//go:build never\n\npackage a\n\nimport \"" + module + "/flyweight\"\n",
		"tagged_test.go": "//go:build never\n\npackage a_test\n\nimport (\n\t\"fmt\"\n\t\"example.com/other\"\n)\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p := pkg{ImportPath: module + "/intern", Imports: []string{"sync"}, Dir: dir, IgnoredGoFiles: []string{"tagged.go", "tagged_test.go"}}
	if err := addIgnoredImports(&p); err != nil {
		t.Fatal(err)
	}
	want := []string{
		module + "/intern imports " + module + "/flyweight",
		module + "/intern (tests) imports example.com/other",
	}
	if got := check([]pkg{p}); !slices.Equal(got, want) {
		t.Errorf("check = %q, want %q", got, want)
	}
}

// check returns one line per forbidden import in pkgs.
func check(pkgs []pkg) []string {
	var out []string
	for _, p := range pkgs {
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		allowed, ok := lookup(layers, rel)
		if !ok {
			out = append(out, fmt.Sprintf("%s has no layering rule in archtest", p.ImportPath))
			continue
		}
		external, _ := lookup(thirdParty, rel)
		if slices.Contains(testPackages, rel) {
			external = slices.Concat(external, testOnly)
		}
		for _, imp := range p.Imports {
			switch {
			case !importOK(p.ImportPath, imp, allowed, external):
				out = append(out, fmt.Sprintf("%s imports %s", p.ImportPath, imp))
			case isTestPackage(imp) && !slices.Contains(testPackages, rel):
				out = append(out, fmt.Sprintf("%s imports the test package %s", p.ImportPath, imp))
			}
		}
		for _, imp := range slices.Concat(p.TestImports, p.XTestImports) {
			if !importOK(p.ImportPath, imp, allowed, slices.Concat(external, testOnly)) {
				out = append(out, fmt.Sprintf("%s (tests) imports %s", p.ImportPath, imp))
			}
		}
	}
	return out
}

// isTestPackage reports whether imp is the testing package or one of
// testPackages.
func isTestPackage(imp string) bool {
	rel, ok := strings.CutPrefix(imp, module+"/")
	return imp == "testing" || ok && slices.Contains(testPackages, rel)
}

func importOK(from, imp string, allowed, external []string) bool {
	switch {
	case imp == from:
		return true // an external test package importing the package under test
	case imp == module || strings.HasPrefix(imp, module+"/"):
		rel := strings.TrimPrefix(strings.TrimPrefix(imp, module), "/")
		return slices.ContainsFunc(allowed, func(a string) bool { return covers(a, rel) })
	case !strings.Contains(strings.Split(imp, "/")[0], "."):
		return true // the standard library
	default:
		return slices.ContainsFunc(external, func(m string) bool { return imp == m || strings.HasPrefix(imp, m+"/") })
	}
}

// lookup finds the rule for a package: an exact entry, or the longest
// "dir/" entry above it.
func lookup(rules map[string][]string, rel string) ([]string, bool) {
	if r, ok := rules[rel]; ok {
		return r, true
	}
	best := ""
	for k := range rules {
		if strings.HasSuffix(k, "/") && strings.HasPrefix(rel, k) && len(k) > len(best) {
			best = k
		}
	}
	r, ok := rules[best]
	return r, ok && best != ""
}

func covers(rule, rel string) bool {
	return rule == "*" || rule == rel || strings.HasSuffix(rule, "/") && strings.HasPrefix(rel, rule)
}

func run(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return out
}
