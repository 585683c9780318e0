// Package race reports whether the race detector is on, so that tests whose
// figures it distorts (bytes-per-object ratios, allocation counts) can skip
// themselves under -race; the plain `go test` run still checks them.
package race
