// The owner-goroutine fix (scenarios/18_owner_goroutine_channel.toml): only
// the owner touches the map; clients send it keys over an unbuffered
// channel; main waits for the clients, closes the channel, waits for the
// owner, then reads the total. Run: go run ./examples/go/owner_goroutine
package main

import (
	"fmt"
	"sync"
)

func main() {
	const perClient = 100000
	m := map[int64]int64{}
	requests := make(chan int64)
	var clients, owned sync.WaitGroup
	clients.Add(2)
	owned.Add(1)
	go func() { // owner
		defer owned.Done()
		for k := range requests {
			m[k]++
		}
	}()
	for c := 0; c < 2; c++ {
		go func() {
			defer clients.Done()
			for i := 0; i < perClient; i++ {
				requests <- 0
			}
		}()
	}
	clients.Wait()
	close(requests)
	owned.Wait()
	v := m[0]
	if v != 2*perClient {
		panic(fmt.Sprintf("v == %d is false (%d == %d)", 2*perClient, v, 2*perClient))
	}
	fmt.Println("m[0] =", v)
}
