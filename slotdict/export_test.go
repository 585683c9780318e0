package slotdict

// RegistryLen returns the number of schemas of key type K in the registry,
// collected ones whose cleanup has not run yet included.
func RegistryLen[K comparable]() int {
	return registryFor[K]().schemas.Len()
}

// TransitionCacheLen returns the number of entries, live or dead, in the
// With and Without caches of s.
func TransitionCacheLen[K comparable](s *Schema[K]) int {
	x := s.extras()
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.with.len() + x.without.len()
}
