package weakcache_test

import (
	"errors"
	"fmt"
)

// node is the value type of most tests: 64 bytes with a pointer, so never a
// tiny allocation (whose collection the runtime does not promise; see the
// package documentation).
type node struct {
	id   int
	name string
	_    [40]byte
}

func newNode(id int) *node { return &node{id: id, name: fmt.Sprint("node ", id)} }

var errBuild = errors.New("build failed")
