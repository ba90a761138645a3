package ingest

// chunkLen is how many items a chunk of Chunks holds.
const chunkLen = 1 << 14

// Chunks is a list that grows in fixed chunks. A slice grown one item at a
// time is copied again and again as it grows, which for the per-line
// records of a million-line ledger costs more than reading the lines;
// chunks are never moved.
type Chunks[T any] struct {
	chunks [][]T
	n      int
}

// Add appends an item.
func (c *Chunks[T]) Add(x T) {
	if c.n%chunkLen == 0 {
		c.chunks = append(c.chunks, make([]T, 0, chunkLen))
	}
	last := &c.chunks[len(c.chunks)-1]
	*last = append(*last, x)
	c.n++
}

// Len is how many items there are.
func (c *Chunks[T]) Len() int { return c.n }

// At is item i.
func (c *Chunks[T]) At(i int) T { return c.chunks[i/chunkLen][i%chunkLen] }

// Last is the last item; there must be one.
func (c *Chunks[T]) Last() T { return c.At(c.n - 1) }

// All returns the items in one new slice.
func (c *Chunks[T]) All() []T {
	out := make([]T, 0, c.n)
	for _, ch := range c.chunks {
		out = append(out, ch...)
	}
	return out
}
