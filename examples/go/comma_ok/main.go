// A writer and a comma-ok reader (the comma-ok case of
// tests/tools/scenario_language_test.cpp). The reader may see the key
// absent, present with its value, or die with "concurrent map read and map
// write". Run: go run ./examples/go/comma_ok
package main

import (
	"fmt"
	"sync"
)

func main() {
	const n = 100000
	m := map[int]int{0: 0}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 1; i <= n; i++ {
			m[i] = 5
		}
	}()
	seen := map[string]int{}
	go func() {
		defer wg.Done()
		for i := 1; i <= n; i++ {
			v, ok := m[i]
			switch {
			case !ok:
				seen["absent"]++
			case v == 5:
				seen["present"]++
			default:
				seen["present with 0"]++
			}
		}
	}()
	wg.Wait()
	fmt.Println(seen)
}
