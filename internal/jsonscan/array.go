package jsonscan

// The elements of an array are walked in steps, like the members of an
// object (see object.go), for decoders that build each element their own way.

// OpenArray checks that the array starts at i. If it has elements, it
// returns the position of the first one and more = true; if it is empty,
// the position after its closing ']' and more = false.
func (s *Scanner) OpenArray(i int) (next int, more bool, err error) {
	if i >= len(s.Data) || s.Data[i] != '[' {
		return 0, false, s.unexpected(i, "looking for beginning of a JSON array")
	}
	if i = s.Space(i + 1); i < len(s.Data) && s.Data[i] == ']' {
		return i + 1, false, nil
	}
	return i, true, nil
}

// NextElement scans what follows an element that ends at i: a ',' (more =
// true, next is the position of the next element) or the closing ']' (more
// = false, next is the position after it).
func (s *Scanner) NextElement(i int) (next int, more bool, err error) {
	switch i = s.Space(i); {
	case i < len(s.Data) && s.Data[i] == ',':
		return s.Space(i + 1), true, nil
	case i < len(s.Data) && s.Data[i] == ']':
		return i + 1, false, nil
	default:
		return 0, false, s.unexpected(i, "after array element")
	}
}

// Nest checks that an object or array starting at i may be entered when
// depth arrays and objects enclose it: a decoder that recurses into nested
// values calls it first, so that it rejects what Value rejects (nesting
// deeper than encoding/json's limit of 10000) before its own stack grows.
func (s *Scanner) Nest(i, depth int) error {
	if depth >= maxDepth {
		return s.syntaxError(i, "exceeded max depth")
	}
	return nil
}
