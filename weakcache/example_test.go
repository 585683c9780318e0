package weakcache_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"time"

	"github.com/seed5da3ae9a/flyweight/weakcache"
)

// Node is a vertex of a graph that lives in a database.
type Node struct {
	ID    int
	Name  string
	Edges []int // IDs of the neighbours
}

// ErrNoNode is the error of a lookup of a node that does not exist.
var ErrNoNode = errors.New("no such node")

// graphDB stands in for the database: every Get decodes a new copy of a node.
type graphDB struct {
	rows  map[int]Node
	reads int
}

func newGraphDB() *graphDB {
	return &graphDB{rows: map[int]Node{
		1: {ID: 1, Name: "Ada", Edges: []int{2, 3}},
		2: {ID: 2, Name: "Grace", Edges: []int{1}},
		3: {ID: 3, Name: "Barbara", Edges: []int{1, 2}},
	}}
}

func (db *graphDB) Get(id int) (*Node, error) {
	db.reads++
	row, ok := db.rows[id]
	if !ok {
		return nil, fmt.Errorf("node %d: %w", id, ErrNoNode)
	}
	row.Edges = slices.Clone(row.Edges)
	return &row, nil
}

// A coherency cache of graph nodes by ID: while any part of the program holds
// a node, every lookup of its ID returns that very node, so an update made
// through one reference is seen through all of them, and the node is read from
// the database once. Nodes that nobody holds any more are collected, and their
// entries disappear with them.
func Example() {
	db := newGraphDB()
	nodes := weakcache.New[int, Node]()
	get := func(id int) (*Node, error) {
		return nodes.LoadOrCompute(id, func() (*Node, error) { return db.Get(id) })
	}

	ada, _ := get(1)
	var friends []*Node
	for _, id := range ada.Edges {
		n, _ := get(id)
		friends = append(friends, n)
		fmt.Printf("%s knows %s\n", ada.Name, n.Name)
	}

	// Grace's own edge leads back to the node already in memory.
	grace := friends[0]
	back, _ := get(grace.Edges[0])
	fmt.Println("same node:", back == ada)
	back.Name = "Ada Lovelace"
	fmt.Println("renamed:", ada.Name)

	_, err := get(99)
	fmt.Println(errors.Is(err, ErrNoNode), err)
	fmt.Println("database reads:", db.reads)
	// Output:
	// Ada knows Grace
	// Ada knows Barbara
	// same node: true
	// renamed: Ada Lovelace
	// true node 99: no such node
	// database reads: 4
}

// A failed build is not cached: the next call tries again.
func ExampleCache_LoadOrCompute() {
	nodes := weakcache.New[int, Node]()
	attempts := 0
	load := func() (*Node, error) {
		attempts++
		if attempts == 1 {
			return nil, errors.New("database unavailable")
		}
		return &Node{ID: 7, Name: "Edsger"}, nil
	}

	_, err := nodes.LoadOrCompute(7, load)
	fmt.Println("first call:", err)
	n, err := nodes.LoadOrCompute(7, load)
	fmt.Println("second call:", n.Name, err)
	again, _ := nodes.LoadOrCompute(7, load)
	fmt.Println("third call, same node:", again == n, "attempts:", attempts)
	// Output:
	// first call: database unavailable
	// second call: Edsger <nil>
	// third call, same node: true attempts: 2
}

// Hits and misses are counted only by a cache made WithStats; stores,
// collected values and builds (and their failures) always are.
func ExampleWithStats() {
	counting := weakcache.New[int, Node](weakcache.WithStats())
	plain := weakcache.New[int, Node]()
	ada := &Node{ID: 1, Name: "Ada"}
	for _, nodes := range []*weakcache.Cache[int, Node]{counting, plain} {
		nodes.Store(1, ada)
		nodes.Load(1) // a hit
		nodes.Load(2) // a miss
		_, err := nodes.LoadOrCompute(3, func() (*Node, error) { return nil, ErrNoNode })
		s := nodes.Stats()
		fmt.Printf("hits=%d misses=%d stores=%d failures=%d (%v)\n", s.Hits, s.Misses, s.Stores, s.Failures, err)
	}
	runtime.KeepAlive(ada)
	// Output:
	// hits=1 misses=2 stores=1 failures=1 (no such node)
	// hits=0 misses=0 stores=1 failures=1 (no such node)
}

func ExampleCache_All() {
	nodes := weakcache.New[int, Node]()
	held := []*Node{{ID: 3, Name: "Barbara"}, {ID: 1, Name: "Ada"}, {ID: 2, Name: "Grace"}}
	for _, n := range held {
		nodes.Store(n.ID, n)
	}
	live := maps.Collect(nodes.All())
	runtime.KeepAlive(held) // until here: the cache alone would not keep them
	for _, id := range slices.Sorted(maps.Keys(live)) {
		fmt.Println(id, live[id].Name)
	}
	// Output:
	// 1 Ada
	// 2 Grace
	// 3 Barbara
}

// NodeStore holds its Cache in place, as a field with no constructor: the
// zero Cache is ready to use. A NodeStore is then used by pointer, since a
// Cache must not be copied.
type NodeStore struct {
	db    *graphDB
	nodes weakcache.Cache[int, Node]
}

func (s *NodeStore) Get(id int) (*Node, error) {
	return s.nodes.LoadOrCompute(id, func() (*Node, error) { return s.db.Get(id) })
}

func ExampleCache_inPlace() {
	store := &NodeStore{db: newGraphDB()}
	a, _ := store.Get(1)
	b, _ := store.Get(1)
	fmt.Println(a.Name, "same node:", a == b, "database reads:", store.db.reads)
	// Output: Ada same node: true database reads: 1
}

// A request whose deadline passes stops waiting for a slow backend. Since it
// was the only caller, the build is abandoned (its context is cancelled) and
// nothing is stored; the next request builds afresh.
func ExampleCache_LoadOrComputeContext() {
	type Profile struct{ Name string }
	profiles := weakcache.New[string, Profile]()
	answer := make(chan struct{}) // the backend answers once this is closed
	fetch := func(ctx context.Context) (*Profile, error) {
		select {
		case <-answer:
			return &Profile{Name: "Ada"}, nil
		case <-ctx.Done(): // every caller has left
			return nil, ctx.Err()
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err := profiles.LoadOrComputeContext(ctx, "ada", fetch)
	fmt.Println("impatient request:", err)

	close(answer)
	p, err := profiles.LoadOrComputeContext(context.Background(), "ada", fetch)
	fmt.Println("next request:", p.Name, err)
	s := profiles.Stats()
	fmt.Printf("builds=%d cancellations=%d abandoned=%d stores=%d\n", s.Builds, s.Cancellations, s.Abandoned, s.Stores)
	// Output:
	// impatient request: context deadline exceeded
	// next request: Ada <nil>
	// builds=2 cancellations=1 abandoned=1 stores=1
}
