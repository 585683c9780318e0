package gctest

import (
	"runtime"
	"sync"
	"time"
)

// Stress runs a bounded stress test that races the collector: workers
// goroutines, while another runs collections back to back. Each worker calls
// newWorker(w), w = 0 … workers-1, once for its own state, then the step it
// returns for i = 0, 1, … until it has taken ops steps or limit has passed
// since Stress began. A step that returns an error ends its worker. Stress
// returns once every worker and the collecting goroutine have ended, with
// the errors of the workers that failed.
func Stress(workers, ops int, limit time.Duration, newWorker func(w int) (step func(i int) error)) []error {
	deadline := time.Now().Add(limit)
	stop := collecting()
	defer stop()
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			step := newWorker(w)
			for i := 0; i < ops && time.Now().Before(deadline); i++ {
				if err := step(i); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	var out []error
	for err := range errs {
		out = append(out, err)
	}
	return out
}

// collecting runs garbage collections back to back on a goroutine of its
// own until the returned function is called; that function returns once the
// goroutine has ended.
func collecting() (stop func()) {
	done := make(chan struct{})
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		for {
			select {
			case <-done:
				return
			default:
				runtime.GC()
			}
		}
	}()
	return func() {
		close(done)
		<-ended
	}
}
