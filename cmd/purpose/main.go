package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
)

func main() {
	// PURPOSE_CPUPROFILE=file writes a CPU profile, for performance work.
	if p := os.Getenv("PURPOSE_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			pprof.StartCPUProfile(f)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	if ctx.Err() != nil && err != nil {
		err = errors.New("interrupted; nothing was written")
	}
	stop()
	pprof.StopCPUProfile()
	// PURPOSE_MEMPROFILE=file writes what the run allocated, likewise.
	if p := os.Getenv("PURPOSE_MEMPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}
	}
	if err != nil {
		var ue usageError
		if !errors.Is(err, errReported) {
			fmt.Fprintln(os.Stderr, "purpose:", err)
		}
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}
