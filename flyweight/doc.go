// Package flyweight shares state among many objects, three ways.
//
// [Factory] is the classic flyweight pattern: one shared instance per key
// (a font, a style, a parsed template, a node of a graph), built once even
// when many goroutines ask at the same time, and reclaimed by the garbage
// collector once nobody holds it. It is a thin layer over weakcache.
// [NewFactory] takes [FactoryOption]s: [WithKeepAlive] holds the n most
// recently used instances strongly, so that hot ones survive collections. A
// Factory is safe to copy (copies share its instances); its zero value is
// not usable, since a Factory needs its build function.
//
// [Record] is PyPy's "maps" (V8's hidden classes) for Go: an object with
// dynamic string keys whose key layout is a shared slotdict.Schema. Records
// that gain the same keys in the same order share one schema, so a million
// records with the keys {x, y, z} store those keys once and pay per record
// only for a schema pointer and their values. The zero Record is ready to
// use. Records decode from JSON ([Record.DecodeJSON], [DecodeRecords]),
// including JSON Lines and heterogeneous streams, with each key stored once
// in the schemas and equal string values of one decode sharing one copy.
// Decoding follows the rules of all the module's JSON decoders, set out in
// slotdict's documentation: values as encoding/json decodes them into a
// map[string]any, duplicate keys refused unless [WithAllowDuplicates] is
// given, the one *[DecodeError] with the offset of the offending token, and
// limits that are errors, never panics. The [Option]s of decoding are
// [WithUseNumber], [WithAllowDuplicates], [WithNestedRecords] and, for
// streams that must survive bad input, [WithSkipBadLines].
//
// [Frame] holds many records decoded from JSON ([DecodeFrame],
// [Frame.Decode]: a JSON array of objects, or JSON Lines) in columns, each
// encoded by its data: a dictionary of its distinct values with a 1-, 2-
// or 4-byte id per row, strings packed into one slab, numbers as int64 or
// float64 when that gives their text back exactly, nulls and missing keys
// as bits ([Frame.Columns] names each column's encoding). Rows share their
// key layouts as Records do. A row answers [Frame.Get] as the
// map[string]any that encoding/json would decode, [Frame.String] reads a
// string without allocating, and [Frame.AppendJSON] writes a row back in
// its own key order. A Frame is for many records that are read, not
// changed: it is smaller than a slice of structs of the same fields.
//
// When to use a Record: data whose key sets are not known when the program
// is written or vary from record to record (decoded JSON, configuration,
// dynamic attributes), where the alternative is a map[string]V per record.
// When not to: if the key set is known and fixed, a struct is smaller and
// faster still, and a slotdict.Dict over one Schema gives map-like access with
// a locked key set and rejects unknown keys; if records gain keys in many
// different orders or have very many distinct key sets, they share little and
// each distinct order costs a schema of its own. When a Frame rather than
// Records: many records that are decoded once and read; a Frame's records
// cannot be changed, and reading a value costs a little more than a
// Record's (a layout lookup, then the column's decoding).
package flyweight
