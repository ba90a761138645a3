package ooxml

import "io"

// Produce runs write on a goroutine of its own and returns what it writes
// as a reader, so that making XML (from a CSV's records, say) and copying
// it use two cores. The reader ends with write's error; closing it early
// stops write at its next write.
func Produce(write func(w io.Writer) error) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(write(pw)) }()
	return pr
}
