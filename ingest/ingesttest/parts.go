package ingesttest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
)

// ReadPart is a part of the workbook (or any zip) at path.
func ReadPart(path, name string) ([]byte, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	for _, zf := range zr.File {
		if zf.Name == name {
			rc, err := zf.Open()
			if err != nil {
				return nil, err
			}
			defer rc.Close()
			return io.ReadAll(rc)
		}
	}
	return nil, fmt.Errorf("%s has no part %s", path, name)
}

// RewriteParts writes the workbook at src to dst (which may be src) with
// each part as edit returns it; a part edit returns false for is left out.
// It is how tests make the damaged and odd workbooks other writers save.
func RewriteParts(src, dst string, edit func(name string, data []byte) ([]byte, bool)) error {
	zr, err := zip.OpenReader(src)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			zr.Close()
			return err
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			zr.Close()
			return err
		}
		data, keep := edit(zf.Name, data)
		if !keep {
			continue
		}
		w, err := zw.Create(zf.Name)
		if err == nil {
			_, err = w.Write(data)
		}
		if err != nil {
			zr.Close()
			return err
		}
	}
	zr.Close()
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(dst, buf.Bytes(), 0o644)
}
