// Package options gives each package's options to another package's
// functions, for TestOptionsAreTypedAtCompileTime: every line marked
// "mismatch" must fail to type-check, and nothing else. It is never built.
package options

import (
	"io"

	"github.com/seed5da3ae9a/flyweight/finalize"
	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/intern"
	"github.com/seed5da3ae9a/flyweight/slotdict"
	"github.com/seed5da3ae9a/flyweight/weakcache"
)

func options(r io.Reader, s *slotdict.Schema[string], obj *int) {
	_, _ = slotdict.DecodeAll[string, any](r, s, slotdict.WithUseNumber())
	_, _ = slotdict.DecodeAll[string, any](r, s, flyweight.WithUseNumber()) // mismatch
	_, _ = flyweight.DecodeRecords[any](r, flyweight.WithNestedRecords())
	_, _ = flyweight.DecodeRecords[any](r, slotdict.WithSkipUnknown())                   // mismatch
	_, _ = flyweight.DecodeRecords[any](r, flyweight.Option(slotdict.WithSkipUnknown())) // mismatch
	_, _ = flyweight.DecodeFrame(r, flyweight.WithUseNumber(), flyweight.WithSkipBadLines(nil))
	_, _ = flyweight.DecodeFrame(r, slotdict.WithUseNumber()) // mismatch
	_, _ = flyweight.DecodeFrame(r, intern.WithMaxLen(1))     // mismatch
	_ = weakcache.New[int, int](weakcache.WithKeepAlive(1))
	_ = weakcache.New[int, int](intern.WithMaxLen(1)) // mismatch
	_ = flyweight.NewFactory(func(int) (*int, error) { return nil, nil }, flyweight.WithKeepAlive(1))
	_ = flyweight.NewFactory(func(int) (*int, error) { return nil, nil }, weakcache.WithStats()) // mismatch
	_ = intern.NewPool(intern.WithMaxLen(1))
	_ = finalize.Register(obj, func(int) {}, 1, finalize.WithAtExit())
	_ = finalize.Register(obj, func(int) {}, 1, weakcache.WithKeepAlive(1)) // mismatch
}
