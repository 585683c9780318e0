package keyindex_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/internal/keyindex"
)

// TestStringHashReadsEveryByte hashes strings of every length up to 70
// (each branch of StringHash, and one to four 16-byte rounds) and, for each,
// the strings that differ from it in one byte or in length: all must hash
// differently, and an equal copy the same.
func TestStringHashReadsEveryByte(t *testing.T) {
	for n := range 71 {
		b := []byte(strings.Repeat("field_name_", 7)[:n])
		s := string(b)
		h := keyindex.StringHash(s)
		if got := keyindex.StringHash(string(slices.Clone(b))); got != h {
			t.Fatalf("len %d: a copy hashes to %#x, the string to %#x", n, got, h)
		}
		if n > 0 && keyindex.StringHash(s[:n-1]) == h {
			t.Errorf("len %d: the string without its last byte hashes the same", n)
		}
		for i := range n {
			c := slices.Clone(b)
			c[i] ^= 1
			if keyindex.StringHash(string(c)) == h {
				t.Errorf("len %d: changing byte %d leaves the hash unchanged", n, i)
			}
		}
	}
}
