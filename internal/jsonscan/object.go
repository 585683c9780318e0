package jsonscan

// The members of an object are walked in steps rather than through a
// callback or an iterator, so that the caller keeps its own loop: it can
// decode each value its own way (or skip it), stop at the first error with
// the key at hand, and allocate nothing.

// OpenObject checks that the object starts at i. If it has members, it
// returns the position of the first key and more = true; if it is empty,
// the position after its closing '}' and more = false.
func (s *Scanner) OpenObject(i int) (next int, more bool, err error) {
	if i >= len(s.Data) || s.Data[i] != '{' {
		return 0, false, s.unexpected(i, "looking for beginning of a JSON object")
	}
	if i = s.Space(i + 1); i < len(s.Data) && s.Data[i] == '}' {
		return i + 1, false, nil
	}
	return i, true, nil
}

// Member scans the key of the member at i (a position that OpenObject or
// NextMember returned with more = true) and the ':' after it. It returns the
// key and the position of the first byte of the value, which the caller
// scans before it calls NextMember. It is [Scanner.Key] and [Scanner.Colon].
func (s *Scanner) Member(i int) (key String, value int, err error) {
	if key, err = s.Key(i); err != nil {
		return String{}, 0, err
	}
	value, err = s.Colon(key.End)
	return key, value, err
}

// Key scans the key of the member at i, for a decoder that looks at the key
// (for a duplicate, say) before the ':' after it, as the order of the
// document has it; [Scanner.Colon] then scans the ':'.
func (s *Scanner) Key(i int) (String, error) {
	if i >= len(s.Data) || s.Data[i] != '"' {
		return String{}, s.unexpected(i, "looking for beginning of object key string")
	}
	return s.Quoted(i)
}

// Colon scans the ':' that follows a key ending at i, and returns the
// position of the first byte of the value.
func (s *Scanner) Colon(i int) (int, error) {
	if i = s.Space(i); i >= len(s.Data) || s.Data[i] != ':' {
		return 0, s.unexpected(i, "after object key")
	}
	return s.Space(i + 1), nil
}

// NextMember scans what follows a member's value that ends at i: a ','
// (more = true, next is the position of the next key) or the closing '}'
// (more = false, next is the position after it).
func (s *Scanner) NextMember(i int) (next int, more bool, err error) {
	switch i = s.Space(i); {
	case i < len(s.Data) && s.Data[i] == ',':
		return s.Space(i + 1), true, nil
	case i < len(s.Data) && s.Data[i] == '}':
		return i + 1, false, nil
	default:
		return 0, false, s.unexpected(i, "after object key:value pair")
	}
}

// Object returns nil if the value at i, depth levels deep, starts an
// object. Otherwise it returns the syntax error of the value, or, for a
// valid value of another kind, an error matching ErrNotObject that names
// the kind found, at the value's offset.
func (s *Scanner) Object(i, depth int) error {
	if i < len(s.Data) && s.Data[i] == '{' {
		return nil
	}
	if _, err := s.Value(i, depth); err != nil {
		return err
	}
	kind := "a number"
	switch s.Data[i] {
	case '[':
		kind = "an array"
	case '"':
		kind = "a string"
	case 't', 'f':
		kind = "a boolean"
	case 'n':
		kind = "null"
	}
	return Errorf(s.Base+int64(i), ErrNotObject, "found %s", kind)
}
