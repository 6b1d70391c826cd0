// A local accumulator and a final check on it: nothing shared, so no step
// (the locals case of docs/go_to_scenario.md). Run: go run ./examples/go/local_total
package main

import "fmt"

func main() {
	total := 0
	for i := 0; i < 1000; i++ {
		total += i
	}
	if total != 499500 {
		panic(fmt.Sprintf("total == 499500 is false (%d == 499500)", total))
	}
	fmt.Println("total", total)
}
