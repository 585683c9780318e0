package jsonscan

// BufferCap returns the capacity of st's read buffer.
func (st *Stream) BufferCap() int { return cap(st.buf) }

// MinRead is the capacity of a Stream's read buffer at the start.
const MinRead = minRead
