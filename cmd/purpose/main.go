package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"syscall"
	"time"
)

// The garbage collector lets the heap grow to three times what is live
// (GOGC=200), which spares a tenth of the work on a folder of hundreds of
// workbooks (400 copies of the sample: 8.2 s to 7.3 s), under a soft limit
// that keeps a run's peak memory well inside the 200 MiB it is held to.
// A run whose live data outgrows two thirds of the limit (a ledger of
// several million lines) has the limit raised to three times what is live,
// so that the collector is never made to run without pause (a limit under
// the live heap makes a run nearly twice as slow). GOGC and GOMEMLIMIT in
// the environment still decide, when set.
const (
	gcPercent   = 200
	memoryLimit = 160 << 20
)

// tuneGC sets the collector as above.
func tuneGC(limit int64) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(limit)
	go func() {
		live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		for range time.Tick(50 * time.Millisecond) {
			metrics.Read(live)
			if n := int64(live[0].Value.Uint64()); n > limit*2/3 {
				limit = n * 3
				debug.SetMemoryLimit(limit)
			}
		}
	}()
}

func main() {
	tuneGC(memoryLimit)
	// PURPOSE_CPUPROFILE=file writes a CPU profile, for performance work.
	if p := os.Getenv("PURPOSE_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			pprof.StartCPUProfile(f)
		}
	}
	// SIGTERM (a scheduler stopping the job, a shutdown) is an interrupt
	// too: the run in hand is abandoned and nothing of it is put in place.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	var ec interface{ exitCode() int }
	if ctx.Err() != nil && err != nil && !errors.As(err, &ec) {
		err = errors.New("interrupted; nothing was written")
	}
	stop()
	pprof.StopCPUProfile()
	// PURPOSE_MEMPROFILE=file writes what the run allocated, likewise.
	if p := os.Getenv("PURPOSE_MEMPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			runtime.GC() // so that its in-use figures are those at the end
			pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}
	}
	if err != nil {
		if !errors.Is(err, errReported) {
			fmt.Fprintln(os.Stderr, "purpose:", err)
		}
		os.Exit(exitCode(err))
	}
}

// exitCode is the exit status for a run's error: 2 for a mistake on the
// command line, what a batch says for a batch, 1 otherwise.
func exitCode(err error) int {
	var ue usageError
	var ec interface{ exitCode() int }
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		return 2
	case errors.As(err, &ec):
		return ec.exitCode()
	}
	return 1
}
