//go:build !race

package gctest_test

const raceEnabled = false
