package jsonscan_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/seed5da3ae9a/flyweight/internal/jsonscan"
)

func TestDecodeErrorMessages(t *testing.T) {
	typeErr := &json.UnmarshalTypeError{Value: "string", Type: reflect.TypeFor[int](), Offset: 7}
	for _, tt := range []struct {
		err  error
		want string
	}{
		{scanValue(`[1 2]`, 40), `invalid JSON at byte offset 43: invalid character '2' after array element`},
		{jsonscan.WithKey(scanValue(`[1 2]`, 40), "k"), `invalid JSON at byte offset 43 in the value of key "k": invalid character '2' after array element`},
		{&jsonscan.DecodeError{Offset: 3, Key: "nmae", Err: jsonscan.ErrUnknownKey}, `unknown key "nmae" at byte offset 3`},
		{&jsonscan.DecodeError{Offset: 9, Key: "a", Err: jsonscan.ErrDuplicateKey}, `duplicate key "a" at byte offset 9`},
		{jsonscan.Errorf(0, jsonscan.ErrNotObject, "found %s", "an array"), `not a JSON object at byte offset 0: found an array`},
		{&jsonscan.DecodeError{Offset: 5, Key: "n", Err: typeErr}, `cannot decode the value of key "n" at byte offset 5: ` + typeErr.Error()},
		{&jsonscan.DecodeError{Offset: 5, Err: typeErr}, `cannot decode the value at byte offset 5: ` + typeErr.Error()},
		{jsonscan.KeyDecodeError(2, 5, "k", errors.New("not a number")), `cannot decode key "k" at byte offset 2: not a number`},
	} {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestDecodeErrorUnwrapsToItsErr(t *testing.T) {
	err := scanValue(`[1 2]`, 0)
	if !errors.Is(err, jsonscan.ErrSyntax) || errors.Is(err, jsonscan.ErrUnknownKey) {
		t.Errorf("a syntax error unwraps to %v", errors.Unwrap(err))
	}
	typeErr := &json.UnmarshalTypeError{Value: "string", Type: reflect.TypeFor[int]()}
	var te *json.UnmarshalTypeError
	if err := error(&jsonscan.DecodeError{Err: typeErr}); !errors.As(err, &te) || te != typeErr {
		t.Errorf("a value's error is not unwrapped: %v", err)
	}
}

func TestWithKeyCopiesTheKeyAndKeepsAnEarlierOne(t *testing.T) {
	buf := []byte("key")
	err := jsonscan.WithKey(scanValue(`x`, 0), string(buf))
	buf[0] = 'X'
	var de *jsonscan.DecodeError
	if !errors.As(err, &de) || de.Key != "key" {
		t.Fatalf("WithKey: %v", err)
	}
	if got := jsonscan.WithKey(err, "outer"); got.(*jsonscan.DecodeError).Key != "key" {
		t.Errorf("WithKey replaced the key of the innermost value: %v", got)
	}
	empty := jsonscan.WithKey(jsonscan.KeyError(4, "", jsonscan.ErrDuplicateKey), "outer")
	if de := empty.(*jsonscan.DecodeError); de.Key != "" || de.Error() != `duplicate key "" at byte offset 4` {
		t.Errorf("WithKey replaced an empty key, which is a key: %v", empty)
	}
	plain := errors.New("read error")
	if jsonscan.WithKey(plain, "k") != plain || jsonscan.WithKey(nil, "k") != nil {
		t.Error("WithKey changed an error that is not a *DecodeError")
	}
}
