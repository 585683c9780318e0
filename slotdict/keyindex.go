package slotdict

// linearMax is the largest key sequence that keyIndex searches linearly.
// Comparing up to eight keys in order costs less than hashing one key and
// probing a map when the keys differ in length, as field names usually do
// (BenchmarkGet: a Dict beats a map up to 8 keys), and it spares small
// schemas an index map.
const linearMax = 8

// keyIndex finds the position of a key in a sequence of distinct keys: the
// keys of a schema, and their JSON names.
type keyIndex[K comparable] struct {
	keys []K
	pos  map[K]int32 // position of each key; nil when len(keys) <= linearMax
}

// newKeyIndex returns the index of keys, which it keeps (not a copy). If a
// key occurs twice, it returns the position of its second occurrence as dup;
// otherwise dup is -1.
func newKeyIndex[K comparable](keys []K) (x keyIndex[K], dup int) {
	x.keys = keys
	if len(keys) <= linearMax {
		for i, k := range keys {
			for _, prev := range keys[:i] {
				if prev == k {
					return x, i
				}
			}
		}
		return x, -1
	}
	x.pos = make(map[K]int32, len(keys))
	for i, k := range keys {
		if _, ok := x.pos[k]; ok {
			return x, i
		}
		x.pos[k] = int32(i)
	}
	return x, -1
}

// position returns the position of k, or -1.
func (x *keyIndex[K]) position(k K) int {
	if x.pos == nil {
		for i, key := range x.keys {
			if key == k {
				return i
			}
		}
		return -1
	}
	if i, ok := x.pos[k]; ok {
		return int(i)
	}
	return -1
}
