// Package bench compares the flyweight toolkit with its peers, side by side
// in one run: interners (unique, go4.org/intern, github.com/josharian/intern,
// a mutex map, sync.Map), weak maps (a sync.Map of weak pointers, and
// go4.org/intern, the published weak canonicalizing map that builds here)
// and maps (map[string]V). It is a module of its own, so that the peers never
// enter the toolkit's go.mod. run.sh runs everything and rewrites the tables
// of README.md in this directory.
package bench
