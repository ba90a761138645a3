//go:build windows

package pipeline

import (
	"errors"
	"syscall"
)

const (
	processQueryLimitedInformation = 0x1000
	stillActive                    = 259
	errorDiskFull                  = syscall.Errno(112) // ERROR_DISK_FULL
	errorHandleDiskFull            = syscall.Errno(39)  // ERROR_HANDLE_DISK_FULL
)

// ProcessAlive reports whether a process with this id is running. A
// process that cannot be opened for lack of rights is running too.
func ProcessAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	h, err := syscall.OpenProcess(processQueryLimitedInformation, false, uint32(pid))
	if err != nil {
		return errors.Is(err, syscall.ERROR_ACCESS_DENIED)
	}
	defer syscall.CloseHandle(h)
	var code uint32
	if err := syscall.GetExitCodeProcess(h, &code); err != nil {
		return true
	}
	return code == stillActive
}

// diskFull reports whether err says the disk is full.
func diskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, errorDiskFull) || errors.Is(err, errorHandleDiskFull)
}
