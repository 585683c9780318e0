// Package copies copies each type of the module in the ways a program
// might, for TestVetReportsCopies: go vet must report every line marked
// "copy", and nothing else. The types that hold a lock or an atomic (Table,
// Pool, Cache, Schema, Handle, Owned) must not be copied; Dict, Record,
// Frame and Factory are headers whose copies share their contents, and may
// be. It is never built into a binary.
//
// go vet does not report a copy of a dereferenced call result, such as
// *finalize.Register(...) or *weakcache.New(...): a copied Handle's methods
// panic instead, and a copied Cache shares its state.
package copies

import (
	"github.com/seed5da3ae9a/flyweight/finalize"
	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/intern"
	"github.com/seed5da3ae9a/flyweight/slotdict"
	"github.com/seed5da3ae9a/flyweight/weakcache"
)

type resource struct {
	name string
	next *resource
}

type locked struct {
	t intern.Table[string]
	p intern.Pool
	c weakcache.Cache[string, resource]
	h finalize.Handle
	o finalize.Owned[resource]
}

type shared struct {
	d slotdict.Dict[string, int]
	r flyweight.Record[int]
	g flyweight.Frame
	f flyweight.Factory[string, resource]
}

func takeTable(t intern.Table[string])           {} // copy
func takePool(p intern.Pool)                     {} // copy
func takeCache(c weakcache.Cache[int, resource]) {} // copy
func takeSchema(s slotdict.Schema[string])       {} // copy
func takeHandle(h finalize.Handle)               {} // copy
func takeOwned(o finalize.Owned[resource])       {} // copy

func takeDict(d slotdict.Dict[string, int])             {}
func takeRecord(r flyweight.Record[int])                {}
func takeFrame(g flyweight.Frame)                       {}
func takeFactory(f flyweight.Factory[string, resource]) {}

func copies(r *resource) (locked, *shared) {
	x := new(locked)
	x.h = *finalize.Register(r, func(string) {}, "x") // not reported
	takeTable(x.t)                                    // copy
	takePool(x.p)                                     // copy
	takeSchema(*slotdict.NewSchema("a"))              // not reported
	takeHandle(x.h)                                   // copy
	takeOwned(x.o)                                    // copy
	y := *x                                           // copy
	for _, h := range []finalize.Handle{} {           // copy
		_ = &h
	}
	s := shared{d: *slotdict.New[string, int](slotdict.NewSchema("a"))}
	t := s
	takeDict(t.d)
	takeRecord(t.r)
	takeFrame(t.g)
	takeFrame(*new(flyweight.Frame))
	takeFactory(t.f)
	return y, &s // copy
}

// inPlace holds them as their docs say: by pointer, or in place.
func inPlace(r *resource) {
	x := new(locked)
	x.t.ID("a")
	x.p.String("a")
	x.c.Store("a", r)
	x.h.Cancel()
	_ = x.o.Close()
	c := weakcache.New[int, resource]()
	c.Store(1, r)
}
