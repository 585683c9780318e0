package keyindex_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"unsafe"

	"pgregory.net/rapid"

	"github.com/seed5da3ae9a/flyweight/internal/keyindex"
)

// TestViewsFindTheirKeysOnlyProperty: a family grown key by key, and one
// made at once, give views that find each of their keys at its position
// and none of the keys after them, for strings and for ints, across the
// size where the linear search gives way to the table.
func TestViewsFindTheirKeysOnlyProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		keys := rapid.SliceOfNDistinct(rapid.StringN(0, 12, -1), 0, 80, rapid.ID).Draw(t, "keys")
		var grown keyindex.Family[string]
		views := make([]keyindex.Index[string], len(keys)+1)
		views[0] = grown.View(0)
		for i, k := range keys {
			if x, ok := grown.Extend(i, k); !ok {
				t.Fatalf("Extend(%d, %q) refused on a family of %d keys", i, k, grown.Len())
			} else {
				views[i+1] = x
			}
		}
		whole, dup := keyindex.NewFamily(append([]string(nil), keys...))
		if dup >= 0 {
			t.Fatalf("NewFamily found a duplicate at %d among distinct keys", dup)
		}
		for n, x := range views {
			y := whole.View(n)
			for i, k := range keys {
				want := i
				if i >= n {
					want = -1
				}
				if got := x.Position(k); got != want {
					t.Fatalf("grown view of %d: Position(%q) = %d, want %d", n, k, got, want)
				}
				if got := y.Position(k); got != want {
					t.Fatalf("made view of %d: Position(%q) = %d, want %d", n, k, got, want)
				}
			}
			if x.Position("not a key, too long to be drawn") != -1 {
				t.Fatalf("view of %d finds a key it does not have", n)
			}
		}
		ints := make([]int, len(keys))
		for i := range ints {
			ints[i] = i * 7919
		}
		fi, _ := keyindex.NewFamily(ints)
		for i, k := range ints {
			if x := fi.View(len(ints)); x.Position(k) != i || x.Position(k+1) != -1 {
				t.Fatalf("ints: Position(%d) = %d", k, x.Position(k))
			}
		}
	})
}

func TestNewFamilyFindsTheSecondOccurrence(t *testing.T) {
	for _, n := range []int{3, 8, 9, 100} {
		keys := make([]string, n)
		for i := range keys {
			keys[i] = fmt.Sprint("k", i)
		}
		keys = append(keys, "k1", "k2")
		if _, dup := keyindex.NewFamily(keys); dup != n {
			t.Errorf("%d keys then k1 again: duplicate at %d, want %d", n, dup, n)
		}
	}
}

// TestExtendBranchesOnce: only the family's longest view may be extended;
// another key after a shorter one is refused, and concurrent extensions of
// one length let exactly one through.
func TestExtendBranchesOnce(t *testing.T) {
	var f keyindex.Family[int]
	for i := range 20 {
		f.Extend(i, i)
	}
	if _, ok := f.Extend(10, 99); ok {
		t.Fatal("Extend of a view that is not the longest succeeded")
	}
	var wg sync.WaitGroup
	var won [8]bool
	for g := range won {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, won[g] = f.Extend(20, 100+g)
		}()
	}
	wg.Wait()
	n := 0
	for _, w := range won {
		if w {
			n++
		}
	}
	if n != 1 || f.Len() != 21 {
		t.Fatalf("%d concurrent Extends succeeded, family of %d", n, f.Len())
	}
}

// TestViewsSurviveGrowthWhileRead: views of a family are read while the
// family grows past the sizes where its arrays and table are replaced (run
// under -race).
func TestViewsSurviveGrowthWhileRead(t *testing.T) {
	var f keyindex.Family[string]
	keys := make([]string, 2000)
	for i := range keys {
		keys[i] = fmt.Sprint("key-", i)
	}
	for i := range 20 {
		f.Extend(i, keys[i])
	}
	x := f.View(20)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 20; i < len(keys); i++ {
			f.Extend(i, keys[i])
		}
	}()
	for range 200 {
		for i, k := range keys {
			want := i
			if i >= 20 {
				want = -1
			}
			if got := x.Position(k); got != want {
				t.Fatalf("Position(%q) = %d while growing, want %d", k, got, want)
			}
		}
	}
	<-done
}

func TestResetEmptiesAFamilyForReuse(t *testing.T) {
	var f keyindex.Family[string]
	for i := range 50 {
		f.Add(fmt.Sprint("a", i))
	}
	f.Reset()
	for i := range 30 {
		f.Add(fmt.Sprint("b", i))
	}
	x := f.View(f.Len())
	if x.Position("a3") != -1 || x.Position("b29") != 29 || f.Len() != 30 {
		t.Fatalf("after Reset: Position(a3) = %d, Position(b29) = %d, Len %d", x.Position("a3"), x.Position("b29"), f.Len())
	}
}

// TestOwnCopiesStringKeys: after Own, and for keys added by Extend, a
// family's string keys are equal to the caller's but in memory of the
// family's own, so that later changes to the caller's bytes change nothing.
func TestOwnCopiesStringKeys(t *testing.T) {
	buf := []byte("alphabetagamma")
	view := func(i, j int) string { return unsafe.String(&buf[i], j-i) }
	f, _ := keyindex.NewFamily([]string{view(0, 5), view(5, 9)})
	f.Own(0)
	f.Extend(2, view(9, 14))
	copy(buf, "XXXXXXXXXXXXXX")
	x := f.View(f.Len())
	if got := x.Keys; !slices.Equal(got, []string{"alpha", "beta", "gamma"}) {
		t.Fatalf("keys %q after the caller's bytes changed", got)
	}
	for i, k := range []string{"alpha", "beta", "gamma"} {
		if x.Position(k) != i {
			t.Fatalf("Position(%q) = %d", k, x.Position(k))
		}
	}
}

// TestResetFamilyFindsEveryKeyOfTheNext: after a Reset, a sequence that
// outgrows the linear search finds its first keys too, through the table a
// longer sequence before it left.
func TestResetFamilyFindsEveryKeyOfTheNext(t *testing.T) {
	var f keyindex.Family[string]
	for _, first := range []int{20, 9, 64, 3} {
		f.Reset()
		for i := range first {
			f.Add(fmt.Sprint("a", i))
		}
		f.Reset()
		for i := range 12 {
			f.Add(fmt.Sprint("b", i))
		}
		x := f.View(f.Len())
		for i := range 12 {
			if p := x.Position(fmt.Sprint("b", i)); p != i {
				t.Fatalf("after a sequence of %d: Position(b%d) = %d", first, i, p)
			}
		}
	}
}
