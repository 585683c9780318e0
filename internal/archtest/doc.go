// Package archtest holds the architecture test of the module: the layering of
// the design document ("Layout and layering"), written down as the layers map
// in arch_test.go and checked against what
// `go list` reports, so that a forbidden import fails the build's tests rather
// than a review. It has no code of its own.
package archtest
