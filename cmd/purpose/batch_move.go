package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
)

// renameForMove is os.Rename; tests make it fail as across drives.
var renameForMove = os.Rename

// moveDone moves a done job's file or folder from the inbox into dir,
// under a name of its own there (budget.xlsx, then budget-2.xlsx), and
// returns where it went. It renames; across drives, where a rename cannot
// go, it copies, syncs and checks every file's SHA-256 against the
// original before removing the original, and removes the copy if anything
// fails.
func moveDone(src, dir string) (string, error) {
	dst := freeName(dir, filepath.Base(src))
	err := renameForMove(src, dst)
	if err == nil || !crossDevice(err) {
		return dst, err
	}
	if err := copyVerified(src, dst); err != nil {
		os.RemoveAll(dst)
		return "", err
	}
	if err := os.RemoveAll(src); err != nil {
		return dst, fmt.Errorf("copied to %s, but the original cannot be removed: %w", dst, err)
	}
	return dst, nil
}

// freeName is dir/name, or dir/stem-N.ext for the first N not taken.
func freeName(dir, name string) string {
	p := filepath.Join(dir, name)
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for n := 2; ; n++ {
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			return p
		}
		p = filepath.Join(dir, fmt.Sprintf("%s-%d%s", stem, n, ext))
	}
}

// crossDevice says whether a rename failed because the two places are on
// different drives.
func crossDevice(err error) bool {
	if errors.Is(err, syscall.EXDEV) {
		return true
	}
	var errno syscall.Errno
	return runtime.GOOS == "windows" && errors.As(err, &errno) && errno == 17 // ERROR_NOT_SAME_DEVICE
}

// copyVerified copies a file, or a folder's files, synced and checked.
func copyVerified(src, dst string) error {
	info, err := os.Stat(src)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return copyFileVerified(src, dst)
	}
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		return copyFileVerified(p, to)
	})
}

func copyFileVerified(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	h := sha256.New()
	_, err = io.Copy(out, io.TeeReader(in, h))
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	want := h.Sum(nil)
	check, err := os.Open(dst)
	if err != nil {
		return err
	}
	defer check.Close()
	h2 := sha256.New()
	if _, err := io.Copy(h2, check); err != nil {
		return err
	}
	if !bytes.Equal(h2.Sum(nil), want) {
		return fmt.Errorf("%s: the copy differs from the original", dst)
	}
	return nil
}
