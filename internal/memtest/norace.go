//go:build !race

package memtest

// raceEnabled reports whether the binary was built with -race.
const raceEnabled = false
