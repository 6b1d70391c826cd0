// main starts two workers, waits for them, then checks the total
// (scenarios/16_waitgroup_total.toml). Run: go run ./examples/go/waitgroup_total
package main

import (
	"fmt"
	"sync"
)

func main() {
	m := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 0; i < 2; i++ {
			mu.Lock()
			m[0]++
			mu.Unlock()
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; i < 2; i++ {
			mu.Lock()
			m[1]++
			mu.Unlock()
		}
	}()
	wg.Wait()
	total := 0
	for k := 0; k < 2; k++ {
		v, ok := m[k]
		if !ok {
			panic(fmt.Sprintf("key %d missing", k))
		}
		total += v
	}
	if total != 4 {
		panic(fmt.Sprintf("total == 4 is false (%d == 4)", total))
	}
	fmt.Println("total", total)
}
