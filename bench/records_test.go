package bench

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/bytedance/sonic"
	gojson "github.com/goccy/go-json"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/internal/baseline"
	"github.com/seed5da3ae9a/flyweight/internal/memsize"
	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// The records benchmarks decode whole real files into what a Go user
// would hold them in: a slice of a struct declared for the data, by
// goccy/go-json (impl=goccy, the base: what a Go user who can write the
// struct does), by bytedance/sonic and by encoding/json; maps by
// encoding/json; Apache Arrow's record batch, by its JSON reader with a
// hand-written schema of plain columns (arrow) and of dictionary columns
// for the low-cardinality keys (arrow-dict), reading the file as JSON
// Lines made from it once, outside the timer (the reader takes no JSON
// array), into one batch; Dicts over one schema by slotdict.DecodeAll;
// Records by flyweight.DecodeRecords; and a Frame by flyweight.DecodeFrame.
// The files are GeoNames cities (a JSON array of six string fields, from
// $FLYWEIGHT_CITIES_JSON), the cities of @countrystatecity/countries (a
// JSON array of eleven keys mixing ids, strings, a null and an object,
// from $FLYWEIGHT_STATE_CITIES), both skipped when their variable is
// unset, the output of `go list -json -deps std` (concatenated objects
// with strings, booleans, arrays and a map), and arm64asm's inst.json (an
// array of six string fields) from GOROOT.

type inst struct {
	Name   string `json:"Name"`
	Bits   string `json:"Bits"`
	Arch   string `json:"Arch"`
	Syntax string `json:"Syntax"`
	Code   string `json:"Code"`
	Alias  string `json:"Alias"`
}

// goPackage has every field that `go list -json -deps std` writes.
type goPackage struct {
	Dir, ImportPath, Name, Doc, Root string
	Match                            []string
	Goroot, Standard, Stale          bool
	StaleReason                      string
	GoFiles, IgnoredGoFiles, SFiles  []string
	Imports, Deps                    []string
	TestGoFiles, XTestGoFiles        []string
	XTestImports, TestImports        []string
	IgnoredOtherFiles, HFiles        []string
	CgoFiles, CFiles, SysoFiles      []string
	CgoCFLAGS, CgoLDFLAGS            []string
	ImportMap                        map[string]string
	EmbedPatterns, EmbedFiles        []string
	TestEmbedPatterns                []string
	XTestEmbedPatterns               []string
}

// A decoder decodes a whole file and returns what holds its records, and
// how many there are.
type decoder func(data []byte) (held any, n int, err error)

// An impl is one way to decode a file: a row of the tables.
type impl struct {
	name   string
	decode decoder
	// lines marks a decoder that reads the file as JSON Lines.
	lines bool
	// weak marks a decoder that makes weak pointers (the schema
	// registries): the runtime's records of them count with its memory.
	weak bool
}

// recordFile is one file of the benchmarks and the ways to decode it.
type recordFile struct {
	name  string
	data  []byte
	lines []byte // data as JSON Lines, one compact record a line
	impls []impl
}

// input returns what im reads of f.
func (f *recordFile) input(im impl) []byte {
	if im.lines {
		return f.lines
	}
	return f.data
}

// implsOf returns every way to decode a file of records of the struct T
// (a JSON array, or concatenated objects if stream) whose keys are those of
// T, V being the value type of the toolkit's decoders; dictKeys are the
// low-cardinality keys, dictionary columns in Arrow's second schema, and
// Arrow's rows are left out unless withArrow.
func implsOf[T, V any](stream, withArrow bool, dictKeys ...string) []impl {
	goccy, fast, std := sliceOf[T](gojson.Unmarshal), sliceOf[T](sonicCopy.Unmarshal), sliceOf[T](json.Unmarshal)
	if stream {
		goccy, fast, std = streamOf[T](gojson.NewDecoder), streamOf[T](sonicCopy.NewDecoder), streamOf[T](json.NewDecoder)
	}
	impls := []impl{
		{name: "goccy", decode: goccy},
		{name: "sonic", decode: fast},
		{name: "encoding-json", decode: std},
		{name: "encoding-json-maps", decode: maps},
	}
	if withArrow {
		impls = append(impls,
			impl{name: "arrow", decode: arrowOf(arrowSchema[T]()), lines: true},
			impl{name: "arrow-dict", decode: arrowOf(arrowSchema[T](dictKeys...)), lines: true})
	}
	return append(impls,
		impl{name: "slotdict.DecodeAll", decode: dictsOf[V](jsonKeys[T]()), weak: true},
		impl{name: "flyweight.DecodeRecords", decode: recordsOf[V], weak: true},
		impl{name: "flyweight.DecodeFrame", decode: frameOf})
}

// sonicCopy is sonic with its strings copied out of the input, as the
// other decoders' are: by default its strings point into one copy of the
// whole input that it makes, which the decoded records then keep alive.
var sonicCopy = sonic.Config{CopyString: true}.Froze()

// sliceOf decodes data, a JSON array of T, with unmarshal.
func sliceOf[T any](unmarshal func([]byte, any) error) decoder {
	return func(data []byte) (any, int, error) {
		var out []T
		err := unmarshal(data, &out)
		return out, len(out), err
	}
}

// streamOf decodes data, concatenated JSON values of T, with a decoder.
func streamOf[T any, D interface{ Decode(any) error }](newDecoder func(io.Reader) D) decoder {
	return func(data []byte) (any, int, error) {
		dec := newDecoder(bytes.NewReader(data))
		var out []T
		for {
			var v T
			if err := dec.Decode(&v); err == io.EOF {
				return out, len(out), nil
			} else if err != nil {
				return out, len(out), err
			}
			out = append(out, v)
		}
	}
}

func maps(data []byte) (any, int, error) {
	out, err := baseline.DecodeMaps(data)
	return out, len(out), err
}

func dictsOf[V any](keys []string) decoder {
	s := slotdict.NewSchema(keys...)
	return func(data []byte) (any, int, error) {
		out, err := slotdict.DecodeAll[string, V](bytes.NewReader(data), s)
		return out, len(out), err
	}
}

func recordsOf[V any](data []byte) (any, int, error) {
	out, err := flyweight.DecodeRecords[V](bytes.NewReader(data))
	return out, len(out), err
}

func frameOf(data []byte) (any, int, error) {
	f, err := flyweight.DecodeFrame(bytes.NewReader(data))
	if err != nil {
		return nil, 0, err
	}
	return f, f.Len(), nil
}

// arrowOf decodes JSON Lines with Arrow's JSON reader into one record
// batch of the schema (WithChunk(-1): the whole input at once, the
// columnar layout at its most compact).
func arrowOf(schema *arrow.Schema) decoder {
	return func(data []byte) (any, int, error) {
		r := array.NewJSONReader(bytes.NewReader(data), schema, array.WithChunk(-1), array.WithAllocator(memory.DefaultAllocator))
		defer r.Release()
		var out []arrow.RecordBatch
		n := 0
		for r.Next() {
			rec := r.RecordBatch()
			rec.Retain()
			out = append(out, rec)
			n += int(rec.NumRows())
		}
		return out, n, r.Err()
	}
}

// arrowSchema returns the Arrow schema a data engineer would write for
// records of the struct T: a nullable column per field, of the field's
// type, and a dictionary column (int16 indices) for each of dictKeys.
func arrowSchema[T any](dictKeys ...string) *arrow.Schema {
	t := reflect.TypeFor[T]()
	keys := jsonKeys[T]()
	fields := make([]arrow.Field, t.NumField())
	for i := range fields {
		var typ arrow.DataType
		switch ft := t.Field(i).Type; {
		case ft.Kind() == reflect.String || ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.String:
			typ = arrow.BinaryTypes.String
		case ft.Kind() == reflect.Int64:
			typ = arrow.PrimitiveTypes.Int64
		case ft.Kind() == reflect.Bool:
			typ = arrow.FixedWidthTypes.Boolean
		case ft == reflect.TypeFor[[]string]():
			typ = arrow.ListOf(arrow.BinaryTypes.String)
		case ft == reflect.TypeFor[map[string]string]():
			// The JSON reader reads an Arrow map from a list of
			// key-value objects, not from a JSON object: an object of no
			// keys (every translations of statecities) reads as a struct
			// of no fields, and a file whose objects have keys (go
			// list's ImportMap) gets no Arrow rows.
			typ = arrow.StructOf()
		default:
			panic("arrowSchema: no Arrow type for " + ft.String())
		}
		if slices.Contains(dictKeys, keys[i]) {
			typ = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int16, ValueType: typ}
		}
		fields[i] = arrow.Field{Name: keys[i], Type: typ, Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}

// jsonKeys returns the JSON names of T's fields.
func jsonKeys[T any]() []string {
	t := reflect.TypeFor[T]()
	keys := make([]string, t.NumField())
	for i := range keys {
		keys[i] = t.Field(i).Name
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); tag != "" {
			keys[i] = tag
		}
	}
	return keys
}

// jsonLines returns data, a JSON array of objects or concatenated ones,
// as JSON Lines: one compact record a line.
func jsonLines(data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("[")) {
		if _, err := dec.Token(); err != nil {
			return nil, err
		}
	}
	var out bytes.Buffer
	for dec.More() {
		var m json.RawMessage
		if err := dec.Decode(&m); err != nil {
			return nil, err
		}
		if err := json.Compact(&out, m); err != nil {
			return nil, err
		}
		out.WriteByte('\n')
	}
	return out.Bytes(), nil
}

var (
	golistOnce sync.Once
	golistData []byte
	golistErr  error
)

// golist returns the output of `go list -json -deps std`, run once.
func golist(tb testing.TB) []byte {
	golistOnce.Do(func() {
		golistData, golistErr = exec.Command("go", "list", "-json", "-deps", "std").Output()
	})
	if golistErr != nil {
		tb.Fatalf("go list -json -deps std: %v", golistErr)
	}
	return golistData
}

// recordFiles returns the files that are present, in a fixed order.
func recordFiles(tb testing.TB) []recordFile {
	var files []recordFile
	if data, err := baseline.Cities(); err == nil {
		files = append(files, recordFile{name: "cities", data: data,
			impls: implsOf[baseline.City, string](false, true, "country", "admin1", "admin2")})
	} else {
		tb.Logf("no cities file (set %s to its path): the cities rows are skipped: %v", baseline.CitiesEnv, err)
	}
	if data, err := baseline.StateCities(); err == nil {
		files = append(files, recordFile{name: "statecities", data: data,
			impls: implsOf[baseline.StateCity, any](false, true, "state_code", "country_code", "timezone")})
	} else {
		tb.Logf("no @countrystatecity cities (set %s to their folder): the statecities rows are skipped: %v", baseline.StateCitiesEnv, err)
	}
	files = append(files, recordFile{name: "golist", data: golist(tb),
		impls: implsOf[goPackage, any](true, false)})
	root, err := baseline.GOROOT()
	if err != nil {
		tb.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "src/cmd/vendor/golang.org/x/arch/arm64/arm64asm/inst.json"))
	if err != nil {
		tb.Fatal(err)
	}
	files = append(files, recordFile{name: "inst", data: data,
		impls: implsOf[inst, string](false, true, "Name", "Arch", "Code", "Alias")})
	for i := range files {
		if files[i].lines, err = jsonLines(files[i].data); err != nil {
			tb.Fatalf("%s as JSON Lines: %v", files[i].name, err)
		}
	}
	return files
}

// BenchmarkDecodeFile decodes each whole file, serially, from memory.
func BenchmarkDecodeFile(b *testing.B) {
	for _, f := range recordFiles(b) {
		_, want, err := f.impls[0].decode(f.data)
		if err != nil {
			b.Fatalf("%s: %s: %v", f.name, f.impls[0].name, err)
		}
		for _, im := range f.impls {
			in := f.input(im)
			b.Run("impl="+im.name+"/"+f.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(f.data)))
				for range b.N {
					_, n, err := im.decode(in)
					if err != nil || n != want {
						b.Fatalf("%d records (%v), want %d", n, err, want)
					}
				}
			})
		}
	}
}

// BenchmarkDecodeFileMemory reports the live bytes per record (B/record)
// of what each decoder of BenchmarkDecodeFile holds, the input excluded
// and, for the decoders that make weak pointers, the runtime's records of
// them included; run it with -benchtime=1x.
func BenchmarkDecodeFileMemory(b *testing.B) {
	for _, f := range recordFiles(b) {
		for _, im := range f.impls {
			in := f.input(im)
			b.Run("impl="+im.name+"/"+f.name, func(b *testing.B) {
				for range b.N {
					b.ReportMetric(perRecord(b, im, in), "B/record")
				}
			})
		}
	}
}

// perRecord measures the memory per record of what im decodes from in,
// decoding it again as many times as it takes to hold 100,000 records or
// more, so that the runtime's own noise is a small part of the figure for
// a small file.
func perRecord(b *testing.B, im impl, in []byte) float64 {
	_, n, err := im.decode(in)
	if err != nil {
		b.Fatal(err)
	}
	copies := max(1, 100_000/n)
	heap, rt := memsize.LiveAndRuntime(func() any {
		all := make([]any, copies)
		for i := range all {
			if all[i], _, err = im.decode(in); err != nil {
				b.Fatal(err)
			}
		}
		return all
	})
	if im.weak {
		heap += rt
	}
	return float64(heap) / float64(n*copies)
}
