//go:build race

package gctest

// raceEnabled reports whether the binary was built with -race.
const raceEnabled = true
