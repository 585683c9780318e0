package main

import (
	"bytes"
	"unique"

	"github.com/seed5da3ae9a/flyweight/intern"
)

// tokenize splits text into the tokens an interner would see: runs of
// characters between white space and the punctuation of Go API listings
// and source code. Tokens are views of text; every approach copies what it
// keeps.
func tokenize(text []byte) [][]byte {
	return bytes.FieldsFunc(text, func(r rune) bool {
		switch r {
		case ' ', '\t', '\n', '\r', ',', '(', ')', '[', ']', '{', '}', ';', '"':
			return true
		}
		return false
	})
}

// internExperiment measures holding tokens as plain copies (the baseline)
// and through each interner of package intern, and unique.Make.
func internExperiment(p *progress, source string, text []byte) (Experiment, error) {
	tokens := tokenize(text)
	distinct := map[string]struct{}{}
	for _, t := range tokens {
		distinct[string(t)] = struct{}{}
	}
	e := Experiment{
		Name: "interning", Source: source, Unit: "token", Objects: len(tokens),
		Facts: []Fact{{"distinct tokens", len(distinct)}},
	}
	err := measure(p, &e, []way{
		{"copies", func() (any, error) {
			out := make([]string, len(tokens))
			for i, t := range tokens {
				out[i] = string(t)
			}
			return out, nil
		}},
		{"intern.String", func() (any, error) {
			out := make([]string, len(tokens))
			for i, t := range tokens {
				out[i] = intern.Bytes(t)
			}
			return out, nil
		}},
		{"intern.Pool", func() (any, error) {
			pool := intern.NewPool()
			out := make([]string, len(tokens))
			for i, t := range tokens {
				out[i] = pool.Bytes(t)
			}
			return []any{pool, out}, nil
		}},
		{"intern.Table", func() (any, error) {
			tab := new(intern.Table[string])
			out := make([]intern.Sym, len(tokens))
			for i, t := range tokens {
				out[i] = tab.ID(string(t))
			}
			return []any{tab, out}, nil
		}},
		{"unique.Make", func() (any, error) {
			out := make([]unique.Handle[string], len(tokens))
			for i, t := range tokens {
				out[i] = unique.Make(string(t))
			}
			return out, nil
		}},
	})
	return e, err
}
