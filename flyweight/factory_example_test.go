package flyweight_test

import (
	"context"
	"fmt"
	"runtime"
	"time"

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

// A service parses each template once, on the first request that needs it,
// with the request's context: a request that gives up stops waiting, and
// the parse goes on for the requests still waiting for it.
func ExampleFactory_GetContext() {
	type Template struct{ Name, Body string }
	type tenant struct{}
	templates := flyweight.NewFactoryContext(func(ctx context.Context, name string) (*Template, error) {
		// ctx carries the values of the first request's context (not its
		// deadline), and is cancelled only if every request has left.
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return &Template{Name: name, Body: "<html>" + ctx.Value(tenant{}).(string) + "</html>"}, nil
	})

	ctx, cancel := context.WithTimeout(context.WithValue(context.Background(), tenant{}, "acme"), time.Minute)
	defer cancel()
	t, err := templates.GetContext(ctx, "home")
	fmt.Println(t.Body, err)

	gone, leave := context.WithCancel(ctx)
	leave()
	_, err = templates.GetContext(gone, "about") // not built: the request has gone
	fmt.Println(err)
	fmt.Println(templates.Stats())
	runtime.KeepAlive(t) // held: one instance
	// Output:
	// <html>acme</html> <nil>
	// context canceled
	// instances=1 hits=0 builds=1 building=0 waits=0 failures=0 panics=0 cancellations=1 abandoned=0 collected=0
}
