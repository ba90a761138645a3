package ingest

import "testing"

func TestChunksAcrossChunks(t *testing.T) {
	var c Chunks[int64]
	n := 3*chunkLen + 5
	for i := range n {
		c.Add(int64(i) * 7)
		if c.Last() != int64(i)*7 {
			t.Fatalf("Last after adding %d = %d", i*7, c.Last())
		}
	}
	if c.Len() != n {
		t.Fatalf("Len = %d, want %d", c.Len(), n)
	}
	all := c.All()
	for _, i := range []int{0, chunkLen - 1, chunkLen, 2*chunkLen + 1, n - 1} {
		if c.At(i) != int64(i)*7 || all[i] != int64(i)*7 {
			t.Errorf("item %d: At %d, All %d; want %d", i, c.At(i), all[i], i*7)
		}
	}
	if len(all) != n {
		t.Errorf("All has %d items, want %d", len(all), n)
	}
}
