// Package vetcopy copies a Handle and an Owned in the ways a program might,
// for TestVetReportsCopies: go vet must report every line marked "copy", and
// nothing else. It is never built into a binary.
//
// go vet does not report a copy of a dereferenced call result, such as
// *finalize.Register(...); the methods of a copied Handle panic instead
// (TestCopiedHandlePanics).
package vetcopy

import "github.com/seed5da3ae9a/flyweight/finalize"

type resource struct {
	name string
	next *resource
}

type holder struct {
	h finalize.Handle
	o finalize.Owned[resource]
}

func takeHandle(h finalize.Handle) {} // copy

func takeOwned(o finalize.Owned[resource]) {} // copy

func copies(r *resource) (finalize.Handle, *holder) {
	x := new(holder)
	x.h = *finalize.Register(r, func(string) {}, "x") // not reported
	x.o = *finalize.Own(r, func(*resource) {})        // not reported
	takeHandle(x.h)                                   // copy
	takeOwned(x.o)                                    // copy
	y := *x                                           // copy
	for _, h := range []finalize.Handle{} {           // copy
		_ = &h
	}
	return y.h, &y // copy
}

// inPlace holds them as their docs say: by pointer, or in place.
func inPlace(r *resource) {
	h := finalize.Register(r, func(string) {}, "x")
	o := finalize.Own(r, func(*resource) {})
	x := new(holder)
	x.h.Cancel()
	_ = x.o.Close()
	h.Run()
	_ = o.Close()
}
