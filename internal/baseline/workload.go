package baseline

import (
	"fmt"
	"go/scanner"
	"go/token"
	"hash/maphash"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// GOROOT returns the root of the Go installation that `go env GOROOT`
// names, whose sources the real workloads read: a test binary may run away
// from the toolchain that built it, so runtime.GOROOT is not the answer.
func GOROOT() (string, error) {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOROOT: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// GorootTokens returns GoTokens of GOROOT/src/net/http and GOROOT/src/go:
// the real working set of the interning benchmarks.
func GorootTokens() ([]string, error) {
	root, err := GOROOT()
	if err != nil {
		return nil, err
	}
	src := filepath.Join(root, "src")
	return GoTokens(filepath.Join(src, "net/http"), filepath.Join(src, "go"))
}

// GoTokens returns the identifiers and string literals of the Go sources
// under each of dirs, in source order, each a copy of its own: a real
// working set of short strings, most met many times (interning benchmarks
// use GOROOT/src/net/http and GOROOT/src/go).
func GoTokens(dirs ...string) ([]string, error) {
	var seq []string
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, e os.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.HasSuffix(path, ".go") {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			var s scanner.Scanner
			s.Init(token.NewFileSet().AddFile(path, -1, len(src)), src, nil, 0)
			for {
				_, tok, lit := s.Scan()
				if tok == token.EOF {
					break
				}
				if tok == token.IDENT || tok == token.STRING {
					seq = append(seq, strings.Clone(lit))
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if len(seq) == 0 {
		return nil, fmt.Errorf("no Go tokens under %v", dirs)
	}
	return seq, nil
}

// RandomOrder returns a sequence over n distinct keys of 6 to 21 bytes in
// random order: every key once, then as many random picks as make the
// sequence at least minLen long, all shuffled, each string a copy of its
// own (as from a decoder). The same n gives the same sequence.
func RandomOrder(n, minLen int) []string {
	r := rand.New(rand.NewPCG(uint64(n), 1))
	keys := make([]string, n)
	for i := range keys {
		width := 6 + i%16
		keys[i] = fmt.Sprintf("%0*x", width, r.Uint64()&(1<<(4*min(width, 16))-1)|uint64(i)<<20)
	}
	seq := make([]string, max(n, minLen))
	for i := range seq {
		k := keys[i%n]
		if i >= n {
			k = keys[r.IntN(n)]
		}
		seq[i] = strings.Clone(k)
	}
	r.Shuffle(len(seq), func(i, j int) { seq[i], seq[j] = seq[j], seq[i] })
	return seq
}

// Floor is the least an interner's hit can cost: the hash of the string,
// one load from a table sized for the keys, and one comparison. It is a
// direct-mapped table of strings, so it needs no probing; a collision only
// makes the comparison fail. It is safe for concurrent lookups.
type Floor struct {
	seed  maphash.Seed
	mask  uint64
	slots []string
}

// NewFloor returns a Floor holding copies of keys.
func NewFloor(keys []string) *Floor {
	size := 1
	for size < 2*len(keys) {
		size *= 2
	}
	f := &Floor{seed: maphash.MakeSeed(), mask: uint64(size - 1), slots: make([]string, size)}
	for _, k := range keys {
		f.slots[maphash.String(f.seed, k)&f.mask] = strings.Clone(k)
	}
	return f
}

// Lookup returns the table's copy of s, or s if its slot holds another.
func (f *Floor) Lookup(s string) string {
	if c := f.slots[maphash.String(f.seed, s)&f.mask]; c == s {
		return c
	}
	return s
}
