package flyweight

// Capacity exposes capacity to the tests.
var Capacity = capacity

// SetMaxFrameRows lowers the most rows a Frame holds, for the test of the
// limit, and returns the function that restores it.
func SetMaxFrameRows(n int) (restore func()) {
	old := maxFrameRows
	maxFrameRows = n
	return func() { maxFrameRows = old }
}
