package finalize_test

import (
	"context"
	"encoding/json"
	"errors"
	"expvar"
	"fmt"
	"log"
	"log/slog"
	"maps"
	"os"
	"path"
	"runtime"
	"slices"
	"strings"

	"github.com/seed5da3ae9a/flyweight/finalize"
)

// File is a file-like resource: what must be released is its descriptor,
// which the cleanup gets as its argument, never the File itself.
type File struct {
	fd     *descriptor
	closer *finalize.Handle
}

type descriptor struct{ name string }

func closeDescriptor(d *descriptor) { fmt.Printf("descriptor of %s closed\n", d.name) }

func Open(name string) *File {
	f := &File{fd: &descriptor{name: name}}
	f.closer = finalize.Register(f, closeDescriptor, f.fd)
	return f
}

// Close releases the descriptor now; the GC then has nothing left to do.
// f must stay reachable until Run has claimed the handle: otherwise the GC
// could find f dead during the call and run the cleanup as a leak first.
func (f *File) Close() error {
	defer runtime.KeepAlive(f)
	if !f.closer.Run() {
		return errors.New("already closed")
	}
	return nil
}

// A File closed explicitly, and one the program forgot, released by the GC
// and reported as a leak.
func ExampleRegister() {
	prev := finalize.SetLeakHook(func(r finalize.Report) {
		fmt.Println("leak: a File was not closed; its cleanup", path.Base(r.Func), "ran")
	})
	defer func() { finalize.SetLeakHook(prev) }()

	a := Open("a.txt")
	a.Close()
	fmt.Println("second Close:", a.Close())

	Open("b.txt") // dropped without Close

	finalize.Drain(context.Background())
	// Output:
	// descriptor of a.txt closed
	// second Close: already closed
	// descriptor of b.txt closed
	// leak: a File was not closed; its cleanup finalize_test.closeDescriptor ran
}

// With tracing on, a leak report says where the leaked resource came from.
func ExampleSetTracing() {
	defer finalize.SetTracing(finalize.SetTracing(true))
	prev := finalize.SetLeakHook(func(r finalize.Report) {
		caller, _, _ := strings.Cut(r.Registered, "\n")
		fmt.Println("leak: opened by", path.Base(caller))
	})
	defer func() { finalize.SetLeakHook(prev) }()

	Open("c.txt")

	finalize.Drain(context.Background())
	// Output:
	// descriptor of c.txt closed
	// leak: opened by finalize_test.Open
}

// session is a resource whose release needs all of it.
type session struct {
	user    string
	pending []string
}

// errUnreachable is what the session's server says when a flush fails.
var errUnreachable = errors.New("server unreachable")

// flush is the session's release function: it needs the whole resource, as
// it is when released, and it can fail.
func (s *session) flush() error {
	fmt.Printf("flushing %d writes for %s\n", len(s.pending), s.user)
	if s.user == "bob" {
		return errUnreachable
	}
	return nil
}

// Own gives the release function the whole resource, and Close returns the
// release function's error, once.
func ExampleOwn() {
	s := finalize.Own(&session{user: "ada"}, (*session).flush)
	s.Value().pending = append(s.Value().pending, "x", "y")
	fmt.Println(s.Close())
	fmt.Println(s.Close())

	t := finalize.Own(&session{user: "bob"}, (*session).flush)
	err := t.Close()
	fmt.Println(err, errors.Is(err, errUnreachable))
	fmt.Println(t.Close())
	// Output:
	// flushing 2 writes for ada
	// <nil>
	// finalize: resource already closed
	// flushing 0 writes for bob
	// server unreachable true
	// finalize: resource already closed
}

// A release error of a resource that was never closed goes to the leak
// report, since no Close returns it.
func ExampleOwn_leak() {
	prev := finalize.SetLeakHook(func(r finalize.Report) {
		fmt.Printf("leak: a %v was not closed; its release failed: %v\n", r.Type, r.Err)
	})
	defer func() { finalize.SetLeakHook(prev) }()

	finalize.Own(&session{user: "bob"}, (*session).flush) // dropped without Close

	finalize.Drain(context.Background())
	// Output:
	// flushing 0 writes for bob
	// leak: a finalize_test.session was not closed; its release failed: server unreachable
}

// RunAll releases at exit what the GC would never get to, newest first.
func ExampleRunAll() {
	var objs []*object
	for _, name := range []string{"log", "lock", "tmp dir"} {
		obj := &object{name: name}
		objs = append(objs, obj)
		finalize.Register(obj, func(name string) { fmt.Println("released", name) }, name, finalize.WithAtExit())
	}

	n, _ := finalize.RunAll()
	fmt.Println(n, "released at exit")
	runtime.KeepAlive(objs) // reachable until here: the GC would have run nothing

	// Output:
	// released tmp dir
	// released lock
	// released log
	// 3 released at exit
}

// An operator's view: the statistics, published with expvar (served at
// /debug/vars by a program that imports expvar and serves HTTP).
func ExampleReadStats() {
	expvar.Publish("finalize", expvar.Func(func() any { return finalize.ReadStats() }))
	// This program counts its leaks rather than logging them.
	prev := finalize.SetLeakHook(nil)
	defer func() { finalize.SetLeakHook(prev) }()

	before := finalize.ReadStats()
	f := Open("d.txt")
	f.Close()
	Open("e.txt") // dropped without Close: a leak
	finalize.Drain(context.Background())
	after := finalize.ReadStats()
	fmt.Printf("registered %d, run %d, leaked %d\n",
		after.Registered-before.Registered, after.Run-before.Run, after.Leaked-before.Leaked)

	var published map[string]uint64
	json.Unmarshal([]byte(expvar.Get("finalize").String()), &published)
	fmt.Println("published:", slices.Sorted(maps.Keys(published)))
	// Output:
	// descriptor of d.txt closed
	// descriptor of e.txt closed
	// registered 2, run 2, leaked 1
	// published: [cancelled leaked panicked pending registered run]
}

// By default a leak is logged with log/slog at Warn, its report's fields as
// attributes (with tracing on, also where and how long ago the resource was
// registered).
func ExampleSetLeakHook() {
	prev, out, flags := slog.Default(), log.Writer(), log.Flags()
	defer func() {
		slog.SetDefault(prev)
		log.SetOutput(out)
		log.SetFlags(flags)
	}()
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	})))

	Open("f.txt") // dropped without Close

	finalize.Drain(context.Background())
	// Output:
	// descriptor of f.txt closed
	// level=WARN msg="finalize: cleanup run by the GC: the object was dropped without being closed" type=finalize_test.File func=github.com/seed5da3ae9a/flyweight/finalize_test.closeDescriptor collected=true
}
