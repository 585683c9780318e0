// Package nocopy holds the marker that makes go vet report copies of a
// struct that must not be copied.
package nocopy

// NoCopy, as the first field of a struct (where its zero size costs
// nothing), makes go vet's copylocks check report copies of that struct by
// value, as it does for a sync.Mutex. It has no effect at run time.
type NoCopy struct{}

// Lock and Unlock exist for go vet; they do nothing.
func (*NoCopy) Lock()   {}
func (*NoCopy) Unlock() {}
