// Command mapsonce decodes a file of JSON Lines (or a stream of JSON
// objects) into []map[string]any with encoding/json, once, as a Go user
// would: the baseline that BenchmarkMemreport measures cmd/memreport
// against, in time and in peak memory. It reads through a json.Decoder, so
// that it never holds the whole input, and prints the number of records.
//
// Usage:
//
//	mapsonce FILE
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: mapsonce FILE")
		os.Exit(2)
	}
	n, err := decode(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "mapsonce:", err)
		os.Exit(1)
	}
	fmt.Println(n)
}

func decode(name string) (int, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(f, 1<<20))
	var out []map[string]any
	for {
		var m map[string]any
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return 0, fmt.Errorf("byte offset %d: %w", dec.InputOffset(), err)
		}
		out = append(out, m)
	}
	runtime.KeepAlive(out)
	return len(out), nil
}
