package flyweight_test

import (
	"encoding/json"
	"expvar"
	"fmt"
	"maps"
	"slices"

	"github.com/seed5da3ae9a/flyweight/flyweight"
	"github.com/seed5da3ae9a/flyweight/intern"
	"github.com/seed5da3ae9a/flyweight/weakcache"
)

type session struct{ user string }

// A service publishes the numbers of every package with expvar, which
// serves them as JSON at /debug/vars (import expvar and serve HTTP). Each
// Stats type marshals as a JSON object. (finalize's ExampleReadStats
// publishes finalize's numbers the same way.)
func Example_expvar() {
	templates := flyweight.NewFactory(func(name string) (*style, error) { return &style{Font: name}, nil })
	var sessions weakcache.Cache[string, session]
	headers := intern.NewPool()

	expvar.Publish("templates", expvar.Func(func() any { return templates.Stats() }))
	expvar.Publish("sessions", expvar.Func(func() any { return sessions.Stats() }))
	expvar.Publish("headers", expvar.Func(func() any { return headers.Stats() }))
	expvar.Publish("intern", expvar.Func(func() any { return intern.ReadStats() }))

	_, _ = templates.Get("serif")
	_, _ = templates.Get("serif") // the same instance: no second build
	sessions.Store("ada", &session{user: "ada"})
	headers.String("application/json")

	for _, name := range []string{"templates", "sessions", "headers", "intern"} {
		var fields map[string]any
		if err := json.Unmarshal([]byte(expvar.Get(name).String()), &fields); err != nil {
			panic(err)
		}
		fmt.Println(name, slices.Sorted(maps.Keys(fields)))
	}
	fmt.Println(templates.Stats())
	// Output:
	// templates [abandoned building builds cancellations collected failures hits instances panics waits]
	// sessions [abandoned building builds cancellations collected entries failures hits misses panics stores waits]
	// headers [bytes entries hits misses]
	// intern [bytes entries hits misses]
	// instances=1 hits=0 builds=1 building=0 waits=0 failures=0 panics=0 cancellations=0 abandoned=0 collected=0
}
