package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
)

// Messages are for a finance officer: they name the file, sheet and cell,
// and say what is wrong in words, never which of the program's packages
// noticed (ingest:, export:) and never as the operating system words it
// (open x: no such file or directory).

// shownError is an error as it is shown: its message made plain, the
// error it came from kept for errors.Is and errors.As.
type shownError struct {
	msg string
	err error
}

func (e shownError) Error() string { return e.msg }
func (e shownError) Unwrap() error { return e.err }

// plainError makes an error's message plain (see plainMessage).
func plainError(err error) error {
	if err == nil || errors.Is(err, errReported) {
		return err
	}
	var s shownError
	if errors.As(err, &s) {
		return err
	}
	return shownError{plainMessage(err), err}
}

// packagePrefix matches a package's name where a message, one of its
// lines or a message joined to it begins: "ingest: ", "export: ".
var packagePrefix = regexp.MustCompile(`(^|\n\s*|; and then: )(?:(?:ingest|export|framework|analysis|sheetxml|templates): )+`)

// plainMessage is an error's message with its system errors in plain
// words and no package names.
func plainMessage(err error) string {
	msg := err.Error()
	// The innermost system error first: it is inside the others' text.
	var pe *fs.PathError
	if errors.As(err, &pe) {
		msg = strings.Replace(msg, pe.Error(), plainPathError(pe.Op, pe.Path, pe.Err), 1)
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		msg = strings.Replace(msg, le.Error(), plainPathError(le.Op, le.New, le.Err), 1)
	}
	var se *os.SyscallError
	if errors.As(err, &se) {
		msg = strings.Replace(msg, se.Error(), plainReason(se.Err, false), 1)
	}
	return plainText(msg)
}

// plainText drops package names from a message (a warning, say).
func plainText(msg string) string {
	msg = packagePrefix.ReplaceAllString(msg, "$1")
	// sheetxml names itself inside other messages too.
	return strings.ReplaceAll(msg, "sheetxml: ", "")
}

// plainPathError says what went wrong with a file, naming it unless it is
// one of the run's own temporary files, which mean nothing to a reader
// (the message around it names the output).
func plainPathError(op, path string, err error) string {
	reason := plainReason(err, op == "mkdir")
	base := filepath.Base(path)
	if strings.HasPrefix(base, ".") && (strings.HasSuffix(base, ".tmp") || strings.HasSuffix(base, ".previous") || strings.HasPrefix(base, ".purpose-")) ||
		strings.Contains(filepath.ToSlash(path), "/.purpose-") {
		return reason
	}
	return path + ": " + reason
}

// plainReason is a system error in words.
func plainReason(err error, making bool) string {
	var errno syscall.Errno
	switch {
	case errors.Is(err, fs.ErrNotExist) && making:
		return "cannot be made: a folder above it is missing"
	case errors.Is(err, fs.ErrNotExist):
		return "no such file"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied (it may be read-only, or open in another program)"
	case errors.Is(err, fs.ErrExist):
		return "already exists"
	case errors.As(err, &errno):
		switch errno {
		case syscall.ENOTDIR:
			return "a part of this path is a file, not a folder"
		case syscall.EISDIR:
			return "is a folder, not a file"
		case syscall.ENOSPC:
			return "the disk is full"
		case syscall.EROFS:
			return "the disk is read-only"
		case syscall.EBUSY, syscall.ETXTBSY:
			return "in use by another program"
		case syscall.ENAMETOOLONG:
			return "the name is too long"
		case syscall.EIO:
			return "the disk could not be read or written (input/output error)"
		}
	}
	return err.Error()
}
