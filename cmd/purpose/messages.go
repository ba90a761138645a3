package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"unicode"
	"unicode/utf8"
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

// plainError makes an error's message plain (see plainMessage), names
// (the command line's file and folder names, say) quoted where they hold
// characters a terminal would act on (see quoteNames).
func plainError(err error, names ...string) error {
	if err == nil || errors.Is(err, errReported) {
		return err
	}
	var s shownError
	if errors.As(err, &s) {
		return err
	}
	return shownError{plainMessage(err, names...), err}
}

// packagePrefix matches a package's name where a message, one of its
// lines or a message joined to it begins: "ingest: ", "export: ".
var packagePrefix = regexp.MustCompile(`(^|\n\s*|; and then: )(?:(?:ingest|export|framework|analysis|sheetxml|templates): )+`)

// plainMessage is an error's message with its system errors in plain
// words and no package names, safe to print (names quoted as quoteNames
// does, and see plainText).
func plainMessage(err error, names ...string) string {
	msg := err.Error()
	// The innermost system error first: it is inside the others' text.
	var pe *fs.PathError
	if errors.As(err, &pe) {
		msg = strings.Replace(msg, pe.Error(), plainPathError(pe.Op, pe.Path, pe.Err), 1)
		names = append(names, pe.Path)
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		msg = strings.Replace(msg, le.Error(), plainPathError(le.Op, le.New, le.Err), 1)
		names = append(names, le.New)
	}
	var se *os.SyscallError
	if errors.As(err, &se) {
		msg = strings.Replace(msg, se.Error(), plainReason(se.Err, false), 1)
	}
	return plainText(quoteNames(msg, names))
}

// plainText drops package names from a message (a warning, say), and
// makes it safe to print (see terminalSafe).
func plainText(msg string) string {
	msg = packagePrefix.ReplaceAllString(msg, "$1")
	// sheetxml names itself inside other messages too.
	return terminalSafe(strings.ReplaceAll(msg, "sheetxml: ", ""))
}

// oddRune reports whether r must not reach a terminal as it is: a control
// character (an escape, which starts colour and cursor codes, a carriage
// return, a line break), a line or paragraph separator, or a
// bidirectional override, which reorders the text after it.
func oddRune(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// needsQuotes reports whether a name holds a character a terminal would
// act on, or bytes that are not UTF-8.
func needsQuotes(s string) bool {
	for i, r := range s {
		if oddRune(r) || r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") {
			return true
		}
	}
	return false
}

// shownName is a file, folder or sheet name as a message shows it: as it
// is, or quoted as Go quotes strings ("bud\nget.xlsx", "\x1b[31m") where
// it holds a character a terminal would act on.
func shownName(s string) string {
	if needsQuotes(s) {
		return strconv.Quote(s)
	}
	return s
}

// quoteNames quotes, in msg, each of names (and its last element) that
// needs quotes (shownName): a file named with a line break must not break
// the message's line. Longer names go first, so a path is quoted whole.
func quoteNames(msg string, names []string) string {
	var odd []string
	for _, n := range names {
		if needsQuotes(n) {
			odd = append(odd, n, filepath.Base(n))
		}
	}
	if len(odd) == 0 {
		return msg
	}
	slices.SortFunc(odd, func(a, b string) int { return len(b) - len(a) })
	for _, n := range odd {
		if needsQuotes(n) && strings.Contains(msg, n) {
			msg = strings.ReplaceAll(msg, n, strconv.Quote(n))
		}
	}
	return msg
}

// terminalSafe makes a message safe to print: every character a terminal
// would act on is written as Go escapes it (\x1b, \r, \u202e), bytes that
// are not UTF-8 as \xff. A line break stays only where a message's lines
// break: before an indented line of a list ("\n  "), or after one (the
// hint that follows a list); any other is a name's, and is written \n.
func terminalSafe(msg string) string {
	if !needsQuotes(msg) {
		return msg
	}
	var b strings.Builder
	listed := false // a list's indented line came before
	for i := 0; i < len(msg); {
		r, size := utf8.DecodeRuneInString(msg[i:])
		switch {
		case r == '\n' && (strings.HasPrefix(msg[i+1:], "  ") || listed):
			listed = strings.HasPrefix(msg[i+1:], "  ")
			b.WriteByte('\n')
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatUint(uint64(msg[i])|0x100, 16)[1:])
		case oddRune(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(msg[i : i+size])
		}
		i += size
	}
	return b.String()
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
