package slotdict

import "reflect"

// RegistryLen returns the number of schemas of key type K in the registry,
// collected ones whose cleanup has not run yet included.
func RegistryLen[K comparable]() int {
	r := registryFor[K]()
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, b := range r.buckets {
		n += len(b)
	}
	return n
}

// TransitionCacheLen returns the number of entries, live or dead, in the
// With and Without caches of s.
func TransitionCacheLen[K comparable](s *Schema[K]) int {
	x := s.extras()
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.with.m) + len(x.without.m)
}

// LargeLayoutExtOffset returns the offset of Ext in the storage type of n
// values of type v, as reflect laid it out and as extOffset computes it.
func LargeLayoutExtOffset(v reflect.Type, n int) (reflected, computed uintptr) {
	f, _ := largeLayout(v, n).FieldByName("Ext")
	return f.Offset, extOffset(n, v.Size())
}

// StringHash is the hash of string keys in big schemas' indexes.
var StringHash = stringHash
