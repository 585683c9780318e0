// Package slotdict stores records whose key set is known up front as one
// shared key layout, a [Schema], plus a compact value array per record, a
// [Dict]. It is Go's answer to Python's __slots__ and to the "maps" (hidden
// classes) of PyPy and JavaScript engines: the keys are stored once per
// schema, not once per record.
//
// A Dict costs its header, its values and a presence bitmap; a map with the
// same keys costs its keys, their hashes and its buckets besides, several
// times as much (TestBytesPerDictVsMap and BenchmarkBuild measure both).
// Lookups on schemas of up to eight keys compare keys in order (string keys
// by a fingerprint first); bigger schemas use a compact hash index shared by
// all their Dicts, which costs about what a map lookup costs
// (BenchmarkGet). Setting a key outside the schema is an error
// ([ErrUnknownKey]), never a silent insert.
//
// Schemas are interned, weakly: [NewSchema] returns the same *Schema for the
// same key sequence while it is in use, so schemas compare with ==, and a
// schema nobody uses is garbage collected. [Schema.With] and
// [Schema.Without] move between schemas through cached transitions, for
// records that gain or lose keys; With takes amortized constant time and
// memory however long the schema.
//
// # JSON
//
// A Dict marshals as an object of its present keys in schema order, and
// decodes from one ([Dict.DecodeJSON]) by scanning the input once, matching
// keys against the schema without allocating key strings. A whole JSON
// array or JSON Lines stream decodes into Dicts over one schema with
// [DecodeAll] or a [Decoder]. The zero Dict adopts the keys of the object it
// decodes as its schema, so a Dict can be a field of a struct that
// encoding/json decodes. JSON carries key names only, so data written by
// one process is read by any other.
//
// The rules are those of all the module's JSON decoders (flyweight's
// Records decode by them too):
//
//   - Values decode as encoding/json decodes the elements of a map: a V =
//     any holds map[string]any, []any, string, float64 (json.Number with
//     [WithUseNumber]), bool or nil.
//   - A key that occurs twice in an object, at any depth of a V = any, is an
//     error matching [ErrDuplicateKey], as in encoding/json/v2: a document
//     that two decoders would read differently is refused. With
//     [WithAllowDuplicates] the last value wins, as in encoding/json. (The
//     values of unknown keys skipped with [WithSkipUnknown] are validated
//     only, not decoded, and a duplicate inside one is not looked for.)
//   - Every error of the input is a *[DecodeError], the one type of the
//     module (intern and flyweight export it too), with the byte offset at
//     which the offending token or value starts, from the start of the
//     input or stream, and the key being decoded. Errors come in the order of the
//     document: the first offending token is the one reported. A limit, such
//     as a schema's [MaxKeys], is an error matching [ErrLimit], never a
//     panic. On an error the receiver is unchanged. (The other errors are a
//     reader's, and, before any input is read, a key type's that has no
//     JSON names: see [Dict.MarshalJSON].)
//   - A stream returns what it decoded before an error, with the error; a
//     [Decoder]'s errors are final, and give the line of their offset
//     ([DecodeError].Line). With [WithSkipBadLines] a stream skips its bad
//     records instead, reporting each: every bad line of JSON Lines, and
//     the elements of a JSON array that are valid JSON of the wrong shape.
//
// # When to use it
//
// Use slotdict for many records with the same, or a few, key sets: decoded
// rows, events, configuration objects, records built from a fixed set of
// fields at run time. Do not use it when every record has its own keys (each
// record would get its own schema, with nothing to share), when keys are
// unbounded input such as user-chosen names (use a map), or when the fields
// are known at compile time (use a struct: smaller and faster still).
//
// # Concurrency and copying
//
// Schemas and everything in this package that is not a Dict or a Decoder
// are safe for concurrent use. A Dict is like a map: concurrent reads are
// safe, a write must not be concurrent with any other access. A Dict is a
// header: its copies share its contents, as a map's do; a Schema must not be
// copied (go vet reports copies), and is used through its pointer.
package slotdict
