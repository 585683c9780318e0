package jsonscan_test

import (
	"strings"
	"testing"

	"github.com/seed5da3ae9a/flyweight/internal/jsonscan"
)

// elements walks the array at the start of data with OpenArray and
// NextElement and returns its elements' text.
func elements(data string) ([]string, error) {
	sc := jsonscan.Scanner{Data: []byte(data)}
	var out []string
	i, more, err := sc.OpenArray(0)
	for err == nil && more {
		var end int
		if end, err = sc.Value(i, 1); err != nil {
			break
		}
		out = append(out, data[i:end])
		i, more, err = sc.NextElement(end)
	}
	if err == nil {
		err = sc.End(i)
	}
	return out, err
}

func TestArraySteps(t *testing.T) {
	for in, want := range map[string]string{
		`[]`:                        ``,
		` [ ] `[1:]:                 ``,
		`[1]`:                       `1`,
		`[ "a" , {"b":[2]}, null ]`: `"a"|{"b":[2]}|null`,
	} {
		got, err := elements(in)
		if err != nil || strings.Join(got, "|") != want {
			t.Errorf("elements(%s) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestArrayStepErrors(t *testing.T) {
	for in, want := range map[string]string{
		`{}`:    "invalid JSON at byte offset 0: invalid character '{' looking for beginning of a JSON array",
		``:      "invalid JSON at byte offset 0: unexpected end of input",
		`[1 2]`: "invalid JSON at byte offset 3: invalid character '2' after array element",
		`[1,`:   "invalid JSON at byte offset 3: unexpected end of input",
		`[1`:    "invalid JSON at byte offset 2: unexpected end of input",
	} {
		_, err := elements(in)
		if err == nil || err.Error() != want {
			t.Errorf("elements(%s) error = %v, want %s", in, err, want)
		}
	}
}

func TestNest(t *testing.T) {
	sc := jsonscan.Scanner{Data: []byte("[[]]"), Base: 100}
	if err := sc.Nest(1, 9999); err != nil {
		t.Fatalf("Nest at depth 9999: %v", err)
	}
	err := sc.Nest(1, 10000)
	if err == nil || err.Error() != "invalid JSON at byte offset 101: exceeded max depth" {
		t.Fatalf("Nest at depth 10000: %v", err)
	}
}
