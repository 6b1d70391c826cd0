// m[k]++ from two goroutines without a lock (scenarios/15_increment_without_lock.toml).
// Each m[0]++ is one mapassign, then a load and a store through the pointer
// it returns. Run: go run ./examples/go/increment_without_lock [-n 1000000]
package main

import (
	"flag"
	"fmt"
	"sync"
)

func main() {
	n := flag.Int("n", 1000000, "increments per goroutine")
	flag.Parse()
	m := map[int]int{0: 0}
	var wg sync.WaitGroup
	wg.Add(2)
	for g := 0; g < 2; g++ {
		go func() {
			defer wg.Done()
			for i := 0; i < *n; i++ {
				m[0]++
			}
		}()
	}
	wg.Wait()
	fmt.Printf("m[0] = %d, expected %d\n", m[0], 2**n)
}
