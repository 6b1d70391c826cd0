// A shared plain counter: counter++ from two goroutines, no lock
// (shared_counter/scenario.toml). Run: go run ./examples/go/shared_counter
package main

import (
	"fmt"
	"sync"
)

var counter int64

func main() {
	const per = 1000000
	var wg sync.WaitGroup
	wg.Add(2)
	for g := 0; g < 2; g++ {
		go func() {
			defer wg.Done()
			for i := 0; i < per; i++ {
				counter++
			}
		}()
	}
	wg.Wait()
	fmt.Printf("counter = %d, expected %d\n", counter, 2*per)
}
