package finalize

// noCopy, as a field of a struct, makes go vet's copylocks check report
// copies of that struct by value, as it does for a struct holding a
// sync.Mutex. It has size zero and does nothing at run time; as a struct's
// first field it adds no padding. [Handle] and [Owned] hold one.
type noCopy struct{}

// Lock and Unlock exist for go vet; they do nothing.
func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}
