package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// memreportRecords is how many records BenchmarkMemreport feeds: the size
// at which memreport must finish in a few times a single decode into maps,
// although it decodes once per approach, and hold one representation at a
// time.
const memreportRecords = 1_000_000

// cityLines writes n records shaped like GeoNames cities (six string
// fields: a name and coordinates mostly distinct, a country of 250 values,
// a region of 700 and a district of 20,000) as JSON Lines, the same ones
// every time.
func cityLines(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		fmt.Fprintf(w, `{"name":"Place %d %c%c","lat":"%.5f","lng":"%.5f","country":"%c%c","admin1":"%02d","admin2":"%d"}`+"\n",
			i, 'a'+rng.IntN(26), 'a'+rng.IntN(26), rng.Float64()*180-90, rng.Float64()*360-180,
			'A'+rng.IntN(10), 'A'+rng.IntN(25), rng.IntN(700)%100, rng.IntN(20000))
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// memreportSetup builds cmd/memreport and cmd/mapsonce and writes the
// records, once per process.
var memreportSetup = sync.OnceValues(func() (dir string, err error) {
	dir, err = os.MkdirTemp("", "memreport-bench")
	if err != nil {
		return "", err
	}
	for _, pkg := range []string{"github.com/seed5da3ae9a/flyweight/cmd/memreport", "./cmd/mapsonce"} {
		cmd := exec.Command("go", "build", "-o", dir, pkg)
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
		}
	}
	return dir, cityLines(filepath.Join(dir, "cities.jsonl"), memreportRecords)
})

// runPeak runs a command and returns how long it took, its peak resident
// memory, and its standard output.
func runPeak(name string, args ...string) (time.Duration, int64, []byte, error) {
	cmd := exec.Command(name, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	t0 := time.Now()
	out, err := cmd.Output()
	elapsed := time.Since(t0)
	if err != nil {
		return 0, 0, nil, fmt.Errorf("%s: %v: %s", name, err, stderr.String())
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, 0, nil, fmt.Errorf("%s: no resource usage on this system", name)
	}
	return elapsed, ru.Maxrss << 10, out, nil // Maxrss is in KiB on Linux
}

// BenchmarkMemreport runs cmd/memreport (every approach, once) on a
// million city records beside cmd/mapsonce, which decodes them into maps
// with encoding/json once: the time of one run (ns/op), the peak resident
// memory of the process (B/peak), and for memreport the peak over the
// maps' own live bytes, as memreport measures them (peak/maps-live).
func BenchmarkMemreport(b *testing.B) {
	dir, err := memreportSetup()
	if err != nil {
		b.Fatal(err)
	}
	data := filepath.Join(dir, "cities.jsonl")
	col := fmt.Sprintf("%.0e-records", float64(memreportRecords))
	col = strings.Replace(col, "e+0", "e", 1)
	var mapsLive float64
	for _, impl := range []struct {
		name string
		args []string
	}{
		{"memreport", []string{filepath.Join(dir, "memreport"), "-json", data}},
		{"maps-once", []string{filepath.Join(dir, "mapsonce"), data}},
	} {
		b.Run("impl="+impl.name+"/"+col, func(b *testing.B) {
			var peak int64
			for b.Loop() {
				_, p, out, err := runPeak(impl.args[0], impl.args[1:]...)
				if err != nil {
					b.Fatal(err)
				}
				peak = max(peak, p)
				if impl.name == "memreport" {
					var r struct {
						Inputs []struct {
							Approaches []struct {
								Name       string  `json:"name"`
								TotalBytes float64 `json:"total_bytes"`
							} `json:"approaches"`
						} `json:"inputs"`
					}
					if err := json.Unmarshal(out, &r); err != nil || len(r.Inputs) != 1 || len(r.Inputs[0].Approaches) == 0 {
						b.Fatalf("memreport -json: %v\n%s", err, out)
					}
					mapsLive = r.Inputs[0].Approaches[0].TotalBytes
				}
			}
			b.ReportMetric(float64(peak), "B/peak")
			if mapsLive > 0 {
				b.ReportMetric(float64(peak)/mapsLive, "peak/maps-live")
			}
		})
	}
}
