// Package baseline holds the plain-Go structures that the toolkit's
// benchmarks and memory tests measure it against, written once for the
// packages' own tests and the bench module alike.
package baseline

import "sync"

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
