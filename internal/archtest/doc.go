// Package archtest holds the architecture test of the module: the layering of
// ../shared/DESIGN.md ("Layout and layering"), checked against what
// `go list` reports, so that a forbidden import fails the build's tests rather
// than a review. It has no code of its own.
package archtest
