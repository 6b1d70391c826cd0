// sync.Map at GOMAXPROCS=1: correct as at any GOMAXPROCS (gomaxprocs = 1
// is accepted for kind = "sync"; it changes nothing there).
// Run: GOMAXPROCS=1 go run ./examples/go/gomaxprocs1_sync_map
package main

import (
	"fmt"
	"runtime"
	"sync"
)

func main() {
	var m sync.Map
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 0; i < 100000; i++ {
			m.Store(i, i)
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; i < 100000; i++ {
			m.LoadOrStore(i, -i)
		}
	}()
	wg.Wait()
	n, wrong := 0, 0
	m.Range(func(k, v any) bool {
		n++
		if v != k && v != -k.(int) {
			wrong++
		}
		return true
	})
	fmt.Printf("GOMAXPROCS=%d: %d keys, %d wrong\n", runtime.GOMAXPROCS(0), n, wrong)
}
