package slotdict_test

import (
	"testing"

	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// BenchmarkNewSchema looks up an existing schema (the registry path).
func BenchmarkNewSchema(b *testing.B) {
	keys := []string{"id", "name", "email", "status", "score"}
	keep := slotdict.NewSchema(keys...)
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if slotdict.NewSchema(keys...) != keep {
				b.Fatal("not shared")
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if slotdict.NewSchema(keys...) != keep {
					panic("not shared")
				}
			}
		})
	})
}

// BenchmarkWith takes a cached transition, as a record that gains a key
// does.
func BenchmarkWith(b *testing.B) {
	base := slotdict.NewSchema("id", "name")
	keep := base.With("email")
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if base.With("email") != keep {
				b.Fatal("not cached")
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if base.With("email") != keep {
					panic("not cached")
				}
			}
		})
	})
}
