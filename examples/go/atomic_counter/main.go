// An atomic.Int64 counter: Load then Store loses increments; Add and a
// CompareAndSwap retry loop do not (atomic_counter/scenario.toml).
// Run: go run ./examples/go/atomic_counter
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

func count(name string, inc func(n *atomic.Int64)) {
	const per = 10000000
	var n atomic.Int64
	var wg sync.WaitGroup
	wg.Add(2)
	for g := 0; g < 2; g++ {
		go func() {
			defer wg.Done()
			for i := 0; i < per; i++ {
				inc(&n)
			}
		}()
	}
	wg.Wait()
	fmt.Printf("%-10s %d of %d\n", name, n.Load(), 2*per)
}

func main() {
	count("load+store", func(n *atomic.Int64) { n.Store(n.Load() + 1) })
	count("add", func(n *atomic.Int64) { n.Add(1) })
	count("cas retry", func(n *atomic.Int64) {
		for {
			old := n.Load()
			if n.CompareAndSwap(old, old+1) {
				return
			}
		}
	})
}
