package ooxml

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/purpose-hq/purpose/ingest/sheetxml"
)

// Added is what is added to a workbook that had no shared string table
// or no styles: the parts, their relationships from the workbook, and
// their content types.
type Added struct {
	rels                string
	adds                []addedPart
	relsDone, typesDone bool
}

// addedPart is one part added, its relationship's id and type, and its
// content type; content is its XML, for styles.
type addedPart struct {
	part, target, id, rel, ctype, content string
}

const (
	relSharedStrings  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
	typeSharedStrings = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
	relStyles         = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
	typeStyles        = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
	// defaultStyles are Excel's styles of a new workbook.
	defaultStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/></styleSheet>`
)

// PlanAdded works out what a workbook needs added: a shared string table
// (when sst), and styles if it has none; nil if nothing.
func PlanAdded(original string, sst bool) (*Added, error) {
	wb, err := sheetxml.Open(original, sheetxml.Limits{})
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	dir, base := path.Split(PartName(wb.Part()))
	a := &Added{rels: dir + "_rels/" + base + ".rels"}
	zr, err := zip.OpenReader(original)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	taken := map[string]bool{}
	for _, zf := range zr.File {
		taken[PartName(zf.Name)] = true
	}
	rels := ReadSmallPart(&zr.Reader, a.rels)
	// Transitional and strict OOXML name the styles relationship alike
	// but for the namespace.
	styles := !bytes.Contains(rels, []byte(`relationships/styles"`)) && !bytes.Contains(rels, []byte(`relationships/styles'`))
	if !sst && !styles {
		return nil, nil
	}
	if !taken[a.rels] {
		return nil, fmt.Errorf("the workbook has no relationships part %s", a.rels)
	}
	add := func(name, id, rel, ctype, content string) {
		target := name + ".xml"
		for i := 1; taken[dir+target]; i++ {
			target = fmt.Sprintf("%s%d.xml", name, i)
		}
		a.adds = append(a.adds, addedPart{dir + target, target, id, rel, ctype, content})
	}
	if sst {
		add("sharedStrings", "rIdPurposeSST", relSharedStrings, typeSharedStrings, "")
	}
	if styles {
		add("styles", "rIdPurposeStyles", relStyles, typeStyles, defaultStyles)
	}
	return a, nil
}

// edit writes the workbook's relationships or the content types with the
// table added, reporting whether zf was one of them.
func (a *Added) Edit(zw *zip.Writer, zf *zip.File) (bool, error) {
	var end, add string
	switch PartName(zf.Name) {
	case a.rels:
		end = "</Relationships>"
		for _, p := range a.adds {
			add += `<Relationship Id="` + p.id + `" Type="` + p.rel + `" Target="` + p.target + `"/>`
		}
		a.relsDone = true
	case "[content_types].xml":
		end = "</Types>"
		for _, p := range a.adds {
			add += `<Override PartName="/` + p.part + `" ContentType="` + p.ctype + `"/>`
		}
		a.typesDone = true
	default:
		return false, nil
	}
	r, err := zf.Open()
	if err != nil {
		return true, err
	}
	b, err := io.ReadAll(io.LimitReader(r, 64<<20))
	r.Close()
	if err != nil {
		return true, err
	}
	i := bytes.LastIndex(b, []byte(end))
	if i < 0 || bytes.Contains(b, []byte(`"rIdPurposeSST"`)) || bytes.Contains(b, []byte(`"rIdPurposeStyles"`)) {
		return true, fmt.Errorf("%s: cannot add a shared string table or styles to it", zf.Name)
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Deflate, Modified: zf.Modified})
	if err != nil {
		return true, err
	}
	_, err = w.Write(slices.Concat(b[:i], []byte(add), b[i:]))
	return true, err
}

// write adds the parts themselves.
func (a *Added) Write(zw *zip.Writer, strs *StringIndex) error {
	if !a.relsDone || !a.typesDone {
		return errors.New("cannot add a shared string table or styles: the workbook's relationships or content types were not found")
	}
	for _, p := range a.adds {
		w, err := zw.Create(p.part)
		if err != nil {
			return err
		}
		if p.rel == relStyles {
			_, err = io.WriteString(w, p.content)
		} else {
			err = ExtendSST(w, strings.NewReader(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>`), strs)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// ExtendPart writes a shared string table part with strs's strings added.
func ExtendPart(zw *zip.Writer, zf *zip.File, strs *StringIndex) error {
	ow, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Deflate, Modified: zf.Modified})
	if err != nil {
		return err
	}
	r, err := zf.Open()
	if err != nil {
		return err
	}
	err = ExtendSST(ow, r, strs)
	r.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", zf.Name, err)
	}
	return nil
}
