package slotdict_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// modelSizes are the schema sizes the model test draws from; see dictSizes.
var modelSizes = []int{0, 1, 2, 3, 8, 9, 20, 63, 64, 65, 100, 130}

// TestDictModel checks every Dict operation against a plain map, for string
// keys with int values and for int keys with string values.
func TestDictModel(t *testing.T) {
	t.Run("string-int", func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) {
			runDictModel(t, rapid.StringN(0, 6, -1), func(i int) string { return fmt.Sprint("pad", i) }, rapid.Int())
		})
	})
	t.Run("int-string", func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) {
			runDictModel(t, rapid.IntRange(-50, 50), func(i int) int { return 1_000_000 + i }, rapid.String())
		})
	})
}

// runDictModel draws a schema of a size from modelSizes (a few drawn keys,
// padded with pad(i) keys, in a drawn order), then a sequence of operations
// on a Dict over it, a few clones of it and their models.
func runDictModel[K, V comparable](t *rapid.T, keyGen *rapid.Generator[K], pad func(int) K, valGen *rapid.Generator[V]) {
	n := rapid.SampledFrom(modelSizes).Draw(t, "size")
	drawn := rapid.SliceOfNDistinct(keyGen, 0, min(n, 6)+3, rapid.ID[K]).Draw(t, "keys")
	inSchema := min(len(drawn), n)
	keys := slices.Clone(drawn[:inSchema])
	for i := 0; len(keys) < n; i++ {
		keys = append(keys, pad(i))
	}
	keys = rapid.Permutation(keys).Draw(t, "order")
	outside := append(slices.Clone(drawn[inSchema:]), pad(n+1), pad(n+2))
	s := slotdict.NewSchema(keys...)
	anyKey := func(t *rapid.T) K {
		if len(keys) > 0 && rapid.IntRange(0, 3).Draw(t, "known") > 0 {
			return rapid.SampledFrom(keys).Draw(t, "key")
		}
		return rapid.SampledFrom(outside).Draw(t, "unknown key")
	}

	type pair struct {
		d *slotdict.Dict[K, V]
		m map[K]V
	}
	main := pair{slotdict.New[K, V](s), map[K]V{}}
	clones := []pair{}
	pick := func(t *rapid.T) pair {
		if len(clones) == 0 || rapid.Bool().Draw(t, "main") {
			return main
		}
		return rapid.SampledFrom(clones).Draw(t, "clone")
	}

	t.Repeat(map[string]func(*rapid.T){
		"Set": func(t *rapid.T) {
			p, k, v := pick(t), anyKey(t), valGen.Draw(t, "value")
			err := p.d.Set(k, v)
			if s.Has(k) {
				if err != nil {
					t.Fatalf("Set(%#v): %v", k, err)
				}
				p.m[k] = v
			} else if !errors.Is(err, slotdict.ErrUnknownKey) || !strings.Contains(err.Error(), fmt.Sprintf("%#v", k)) {
				t.Fatalf("Set(%#v) of an unknown key: %v", k, err)
			}
		},
		"Get": func(t *rapid.T) {
			p, k := pick(t), anyKey(t)
			v, ok := p.d.Get(k)
			if w, wok := p.m[k]; v != w || ok != wok || p.d.Has(k) != wok {
				t.Fatalf("Get(%#v) = %v, %v, Has %v; want %v, %v", k, v, ok, p.d.Has(k), w, wok)
			}
		},
		"Delete": func(t *rapid.T) {
			p, k := pick(t), anyKey(t)
			_, want := p.m[k]
			if got := p.d.Delete(k); got != want {
				t.Fatalf("Delete(%#v) = %v, want %v", k, got, want)
			}
			delete(p.m, k)
		},
		"Clear": func(t *rapid.T) {
			p := pick(t)
			p.d.Clear()
			clear(p.m)
		},
		"Clone": func(t *rapid.T) {
			if len(clones) == 3 {
				t.Skip("enough clones")
			}
			p := pick(t)
			clones = append(clones, pair{p.d.Clone(), maps.Clone(p.m)})
		},
		"FromMap": func(t *rapid.T) {
			p := pick(t)
			d, err := slotdict.FromMap(s, p.m)
			if err != nil || !slotdict.Equal(d, p.d) {
				t.Fatalf("FromMap(%v) = %v, %v; want %v", p.m, d, err, p.d)
			}
		},
		"Equal": func(t *rapid.T) {
			a, b := pick(t), pick(t)
			if got, want := slotdict.Equal(a.d, b.d), maps.Equal(a.m, b.m); got != want {
				t.Fatalf("Equal(%v, %v) = %v, want %v", a.d, b.d, got, want)
			}
		},
		"JSON round trip": func(t *rapid.T) {
			p := pick(t)
			b, err := p.d.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			var m map[K]V // encoding/json reads what we write as a map
			if err := json.Unmarshal(b, &m); err != nil || !maps.Equal(m, p.m) {
				t.Fatalf("encoding/json decodes %s as %v, %v; want %v", b, m, err, p.m)
			}
			want := maps.Clone(p.m)
			into := pick(t) // decoding replaces the contents
			if err := into.d.UnmarshalJSON(b); err != nil {
				t.Fatalf("UnmarshalJSON(%s): %v", b, err)
			}
			clear(into.m)
			maps.Copy(into.m, want)
		},
		"bad JSON leaves it unchanged": func(t *rapid.T) {
			p, src := pick(t), pick(t)
			b, _ := src.d.MarshalJSON()
			cut := rapid.IntRange(0, len(b)-1).Draw(t, "cut")
			before := p.d.Clone()
			if err := p.d.UnmarshalJSON(b[:cut]); !errors.Is(err, slotdict.ErrSyntax) {
				t.Fatalf("UnmarshalJSON(%q): %v, want ErrSyntax", b[:cut], err)
			}
			if !slotdict.Equal(p.d, before) {
				t.Fatalf("a failed UnmarshalJSON changed %v to %v", before, p.d)
			}
		},
		"delete while iterating": func(t *rapid.T) {
			p := pick(t)
			drop := rapid.SliceOf(rapid.Bool()).Draw(t, "drop")
			i := 0
			for k := range p.d.Keys() {
				if i < len(drop) && drop[i] {
					p.d.Delete(k)
					delete(p.m, k)
				}
				i++
			}
		},
		"": func(t *rapid.T) {
			for _, p := range append([]pair{main}, clones...) {
				if p.d.Len() != len(p.m) {
					t.Fatalf("Len = %d, want %d", p.d.Len(), len(p.m))
				}
				var want []K
				for _, k := range keys {
					if _, ok := p.m[k]; ok {
						want = append(want, k)
					}
				}
				var got []K
				for k, v := range p.d.All() {
					got = append(got, k)
					if v != p.m[k] {
						t.Fatalf("All yields %#v: %v, want %v", k, v, p.m[k])
					}
				}
				if !slices.Equal(got, want) {
					t.Fatalf("All yields keys %v, want %v (schema order)", got, want)
				}
				if got := slices.Collect(p.d.Keys()); !slices.Equal(got, want) {
					t.Fatalf("Keys yields %v, want %v (schema order)", got, want)
				}
				var wantVals []V
				for _, k := range want {
					wantVals = append(wantVals, p.m[k])
				}
				if got := slices.Collect(p.d.Values()); !slices.Equal(got, wantVals) {
					t.Fatalf("Values yields %v, want %v (schema order)", got, wantVals)
				}
				if p.d.Schema() != s {
					t.Fatal("the schema changed")
				}
			}
		},
	})
}

// TestSchemaSharingProperty walks random With/Without transitions and
// checks every schema against NewSchema of a plain slice of keys.
func TestSchemaSharingProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		alphabet := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"}
		model := rapid.SliceOfDistinct(rapid.SampledFrom(alphabet), rapid.ID).Draw(t, "start")
		s := slotdict.NewSchema(model...)
		for step := range rapid.IntRange(0, 30).Draw(t, "steps") {
			k := rapid.SampledFrom(alphabet).Draw(t, "key")
			prev := s
			if rapid.Bool().Draw(t, "with") {
				s = s.With(k)
				if !slices.Contains(model, k) {
					model = append(model, k)
					if s.Without(k) != prev {
						t.Fatalf("step %d: With(%q).Without(%q) is not the schema it started from", step, k, k)
					}
				} else if s != prev {
					t.Fatalf("step %d: With(%q) of a present key changed the schema", step, k)
				}
			} else {
				s = s.Without(k)
				if i := slices.Index(model, k); i >= 0 {
					model = slices.Delete(model, i, i+1)
				} else if s != prev {
					t.Fatalf("step %d: Without(%q) of an absent key changed the schema", step, k)
				}
			}
			if want := slotdict.NewSchema(slices.Clone(model)...); s != want {
				t.Fatalf("step %d: transitions reached %v, NewSchema gives another schema %v", step, s, want)
			}
			if got := slices.Collect(s.Keys()); !slices.Equal(got, model) {
				t.Fatalf("step %d: keys %q, want %q", step, got, model)
			}
			for i, key := range model {
				if j, ok := s.Index(key); !ok || j != i {
					t.Fatalf("step %d: Index(%q) = %d, %v; want %d", step, key, j, ok, i)
				}
			}
		}
	})
}

// TestDecodeAllModelProperty writes random records with encoding/json, as an
// array or as JSON lines with random whitespace, fed in random chunk sizes,
// and decodes them with DecodeAll.
func TestDecodeAllModelProperty(t *testing.T) {
	keys := []string{"id", "name", "tags", "score", "a\"quote", "ünï"}
	s := slotdict.NewSchema(keys...)
	value := rapid.OneOf(
		rapid.Map(rapid.String(), func(v string) any { return v }),
		rapid.Map(rapid.Float64Range(-1e6, 1e6), func(v float64) any { return v }),
		rapid.Map(rapid.Bool(), func(v bool) any { return v }),
		rapid.Just[any](nil),
		rapid.Map(rapid.SliceOfN(rapid.String(), 0, 2), func(v []string) any {
			out := make([]any, len(v))
			for i := range v {
				out[i] = v[i]
			}
			return out
		}),
	)
	ws := rapid.SampledFrom([]string{"", " ", "\n", "\r\n", "\t "})
	rapid.Check(t, func(t *rapid.T) {
		records := rapid.SliceOfN(rapid.MapOfN(rapid.SampledFrom(keys), value, 0, len(keys)), 0, 8).Draw(t, "records")
		array := rapid.Bool().Draw(t, "array")
		var b strings.Builder
		if array {
			b.WriteString(ws.Draw(t, "ws") + "[")
		}
		for i, r := range records {
			enc, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			if array && i > 0 {
				b.WriteString(ws.Draw(t, "ws") + ",")
			}
			b.WriteString(ws.Draw(t, "ws"))
			b.Write(enc)
			if !array {
				b.WriteString(rapid.SampledFrom([]string{"\n", " ", ""}).Draw(t, "separator"))
			}
		}
		if array {
			b.WriteString(ws.Draw(t, "ws") + "]")
		}
		b.WriteString(ws.Draw(t, "ws"))
		chunk := rapid.IntRange(1, 64).Draw(t, "chunk")
		var opts []slotdict.Option
		if rapid.Bool().Draw(t, "intern") {
			opts = append(opts, slotdict.WithIntern(newCountingIntern().intern))
		}
		got, err := slotdict.DecodeAll[string, any](&chunkReader{s: b.String(), n: chunk}, s, opts...)
		if err != nil {
			t.Fatalf("DecodeAll(%q): %v", b.String(), err)
		}
		if len(got) != len(records) {
			t.Fatalf("%d records, want %d", len(got), len(records))
		}
		for i, r := range records {
			if fmt.Sprint(maps.Collect(got[i].All())) != fmt.Sprint(r) {
				t.Fatalf("record %d = %v, want %v", i, got[i], r)
			}
		}
	})
}

// chunkReader returns at most n bytes per Read.
type chunkReader struct {
	s string
	n int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.s) == 0 {
		return 0, io.EOF
	}
	k := copy(p[:min(len(p), r.n)], r.s)
	r.s = r.s[k:]
	return k, nil
}
