// Package slotdict stores records whose key set is known up front as one
// shared key layout, a [Schema], plus a compact value array per record, a
// [Dict]. It is Go's answer to Python's __slots__ and to the "maps" (hidden
// classes) of PyPy and JavaScript engines: the keys are stored once per
// schema, not once per record.
//
// A Dict[string, int] over three keys costs 56 bytes, pointer included,
// where a map[string]int with the same keys costs 264; over 100 and 1000
// keys the ratios are about 0.26 and 0.15 (see the package's memory tests).
// Lookups on schemas of up to eight keys compare keys in order (string keys
// by a fingerprint first), which is faster than a map's lookup. Bigger
// schemas use a compact hash index shared by all their Dicts, which makes Get
// under 1.2× a map lookup at a thousand keys (one more pointer to follow,
// and a presence bit to test). Iterating is faster than ranging over a map
// at every size. Setting a key outside the schema is an error
// ([ErrUnknownKey]), never a silent insert.
//
// Schemas are interned, weakly: [NewSchema] returns the same *Schema for the
// same key sequence while it is in use, so schemas compare with ==, and a
// schema nobody uses is garbage collected. [Schema.With] and
// [Schema.Without] move between schemas through cached transitions, for
// records that gain or lose keys.
//
// JSON: a Dict marshals as an object of its present keys in schema order,
// and decodes from one ([Dict.DecodeJSON]) by scanning the input once,
// matching keys against the schema without allocating key strings, and
// rejecting unknown keys with their byte offset. A whole JSON array or JSON
// Lines stream decodes into Dicts over one schema with [DecodeAll] or a
// [Decoder]; with [WithIntern], string values go through a caller-supplied
// interner such as an intern.Pool's Bytes. JSON carries key names only,
// so data written by one process is read by any other.
//
// Use slotdict for many records with the same, or a few, key sets: decoded
// rows, events, configuration objects, records built from a fixed set of
// fields at run time. Do not use it when every record has its own keys (each
// record would get its own schema, with nothing to share), when keys are
// unbounded input such as user-chosen names (use a map), or when the fields
// are known at compile time (use a struct: smaller and faster still).
//
// Concurrency: schemas and everything in this package that is not a Dict or
// a Decoder are safe for concurrent use. A Dict is like a map: concurrent
// reads are safe, a write must not be concurrent with any other access.
package slotdict
