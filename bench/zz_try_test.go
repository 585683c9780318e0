package bench

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/bytedance/sonic"
)

func TestZZTry(t *testing.T) {
	var v []struct{ A string `json:"a"` }
	if err := sonic.Unmarshal([]byte(`[{"a":"x"}]`), &v); err != nil {
		t.Fatal(err)
	}
	t.Log(v)
	s := arrow.NewSchema([]arrow.Field{{Name: "a", Type: &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int16, ValueType: arrow.BinaryTypes.String}, Nullable: true}}, nil)
	r := array.NewJSONReader(strings.NewReader("{\"a\":\"x\"}\n{\"a\":\"y\"}\n{\"a\":\"x\"}\n"), s, array.WithAllocator(memory.DefaultAllocator), array.WithChunk(-1))
	for r.Next() {
		t.Log(r.RecordBatch().NumRows(), r.RecordBatch())
	}
	t.Log(r.Err())
}
