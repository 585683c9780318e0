package flyweight

// Capacity exposes capacity to the tests.
var Capacity = capacity

// The limits of a Frame, for the tests that reach them: MaxFrameRows,
// the most keys of a Frame, the most entries of a dictionary, and the most
// a column's 32-bit offsets and counts hold.
var (
	FrameRowsLimit  = &maxFrameRows
	FrameKeysLimit  = &maxFrameKeys
	DictionaryLimit = &maxDictionary
	SpanLimit       = &maxSpan
)

// Lower sets the limit *p to n, and returns the function that restores it.
func Lower(p *int, n int) (restore func()) {
	old := *p
	*p = n
	return func() { *p = old }
}

// BlockLen is the number of values in a block of a column's storage.
const BlockLen = blockLen
