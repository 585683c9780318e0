// Package baseline holds the plain-Go structures that the toolkit's
// benchmarks and memory tests measure it against, and the loops of its
// interning benchmarks, written once for the packages' own tests and the
// bench module alike.
//
// The package is for tests and benchmarks only (it imports testing, and the
// architecture test keeps it out of every non-test file, so that none of it
// is linked into a program).
package baseline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
)

// MutexInterner is the interner everybody writes first: a map behind a
// mutex. It is safe for concurrent use; use [NewMutexInterner] to make one.
type MutexInterner struct {
	mu sync.Mutex
	m  map[string]string
}

// NewMutexInterner returns an empty MutexInterner.
func NewMutexInterner() *MutexInterner {
	return &MutexInterner{m: map[string]string{}}
}

// String returns the interner's copy of s, which is s itself the first time.
func (p *MutexInterner) String(s string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.m[s]; ok {
		return c
	}
	p.m[s] = s
	return s
}

// SyncMapInterner is the same on a [sync.Map]. It is safe for concurrent
// use; the zero value is empty and ready, and must not be copied after first
// use.
type SyncMapInterner struct{ m sync.Map }

// String returns the interner's copy of s, which is s itself the first time.
func (p *SyncMapInterner) String(s string) string {
	if c, ok := p.m.Load(s); ok {
		return c.(string)
	}
	c, _ := p.m.LoadOrStore(s, s)
	return c.(string)
}

// DecodeMaps decodes a JSON array of objects, or a stream of objects such as
// JSON lines, into maps, as encoding/json users do. Its errors name the byte
// offset where decoding stopped.
func DecodeMaps(data []byte) ([]map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if trimmed := bytes.TrimLeft(data, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '[' {
		var out []map[string]any
		return out, offsetError(dec.Decode(&out), dec)
	}
	var out []map[string]any
	for {
		var m map[string]any
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return nil, offsetError(err, dec)
		}
		out = append(out, m)
	}
}

// offsetError adds the byte offset to an error of encoding/json.
func offsetError(err error, dec *json.Decoder) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("byte offset %d: %w", dec.InputOffset(), err)
}
