package flyweight_test

import (
	"fmt"
	"runtime"

	"github.com/seed5da3ae9a/flyweight/flyweight"
)

// With WithKeepAlive, the instances of the most recent uses stay alive while
// nothing else holds them, so a hot key is not built again after each
// garbage collection.
func ExampleWithKeepAlive() {
	type Template struct{ Name, Body string }
	builds := 0
	templates := flyweight.NewFactory(func(name string) (*Template, error) {
		builds++
		return &Template{Name: name, Body: "<html>…</html>"}, nil
	}, flyweight.WithKeepAlive(16))
	render := func(name string) {
		t, err := templates.Get(name)
		if err != nil {
			panic(err)
		}
		fmt.Println("rendered", t.Name)
	}
	render("home")
	runtime.GC() // nothing but the factory holds the template now
	render("home")
	fmt.Println("builds:", builds)
	// Output:
	// rendered home
	// rendered home
	// builds: 1
}
