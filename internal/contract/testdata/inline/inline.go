// Package inline calls the functions whose speed depends on the compiler
// inlining them, for TestHotPathsAreInlined, which compiles it with
// -gcflags=-m. It is never built into a binary.
package inline

import (
	"github.com/seed5da3ae9a/flyweight/intern"
	"github.com/seed5da3ae9a/flyweight/weakcache"
)

type value struct{ _ [16]byte }

func hot(c *weakcache.Cache[int, value], t *intern.Table[string]) (*value, string) {
	v, _ := c.Load(1)
	return v, t.Value(1)
}
