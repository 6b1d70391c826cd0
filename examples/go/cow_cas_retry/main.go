// A copy-on-write map behind atomic.Pointer: without -cas a writer loads,
// copies, changes and Stores (story 10: updates lost); with -cas it publishes
// with CompareAndSwap and retries (scenarios/17_copy_on_write_cas_retry.toml:
// none lost). Run: go run ./examples/go/cow_cas_retry [-cas]
package main

import (
	"flag"
	"fmt"
	"sync"
	"sync/atomic"
)

var current atomic.Pointer[map[int]int]

func put(k, v int, cas bool) {
	for {
		old := current.Load()
		next := make(map[int]int, len(*old)+1)
		for k2, v2 := range *old {
			next[k2] = v2
		}
		next[k] = v
		if !cas {
			current.Store(&next)
			return
		}
		if current.CompareAndSwap(old, &next) {
			return
		}
	}
}

func main() {
	cas := flag.Bool("cas", false, "publish with CompareAndSwap and retry")
	flag.Parse()
	const n = 2000
	empty := map[int]int{}
	current.Store(&empty)
	var wg sync.WaitGroup
	wg.Add(2)
	for g := 0; g < 2; g++ {
		go func(g int) {
			defer wg.Done()
			for i := g; i < n; i += 2 {
				put(i, i, *cas)
			}
		}(g)
	}
	wg.Wait()
	fmt.Printf("cas=%v: %d of %d keys\n", *cas, len(*current.Load()), n)
}
