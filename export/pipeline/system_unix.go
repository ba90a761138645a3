//go:build !windows

package pipeline

import (
	"errors"
	"syscall"
)

// ProcessAlive reports whether a process with this id is running. A
// process of another user that cannot be signalled is running too.
func ProcessAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// diskFull reports whether err says the disk is full.
func diskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}
