package ooxml

import (
	"archive/zip"
	"bytes"
	"io"
	"path"
	"regexp"
	"slices"
	"strings"
)

// defaultType is a <Default> element of [Content_Types].xml, either form.
var (
	defaultType = regexp.MustCompile(`<Default\s[^>]*?(/>|></Default>)`)
	extension   = regexp.MustCompile(`Extension="([^"]*)"`)
)

// WriteContentTypes writes a [Content_Types].xml part with only the
// <Default> elements some part of the package (parts, its part names)
// uses, in order of their text: excelize registers image extensions from
// a map, a different set in a different order each run, and a workbook
// written twice from the same input must be the same bytes.
func WriteContentTypes(zw *zip.Writer, zf *zip.File, parts []string) error {
	if zf.UncompressedSize64 > maxContentTypes {
		return CopyRaw(zw, zf)
	}
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(rc, maxContentTypes+1))
	rc.Close()
	if err != nil {
		return err
	}
	used := map[string]bool{"rels": true, "xml": true}
	for _, p := range parts {
		used[strings.ToLower(strings.TrimPrefix(path.Ext(p), "."))] = true
	}
	locs := defaultType.FindAllIndex(data, -1)
	var elems [][]byte
	for _, l := range locs {
		e := data[l[0]:l[1]]
		if m := extension.FindSubmatch(e); m == nil || used[strings.ToLower(string(m[1]))] {
			elems = append(elems, slices.Clone(e))
		}
	}
	slices.SortFunc(elems, bytes.Compare)
	var out []byte
	at := 0
	for i, l := range locs {
		out = append(out, data[at:l[0]]...)
		if i < len(elems) {
			out = append(out, elems[i]...)
		}
		at = l[1]
	}
	out = append(out, data[at:]...)
	h := zf.FileHeader
	w, err := zw.CreateHeader(&zip.FileHeader{Name: h.Name, Method: zip.Deflate, Modified: h.Modified})
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

// maxContentTypes bounds the part read whole; a larger one (no workbook
// excelize builds has one) is copied as it is.
const maxContentTypes = 4 << 20
