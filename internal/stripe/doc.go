// Package stripe spreads counters that many goroutines update over several
// cache lines, so that the goroutines rarely write the same line: the striped
// hit counters of intern.Pool and the statistics of weakcache.
package stripe
