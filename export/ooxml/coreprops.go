package ooxml

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// A workbook's core properties (docProps/core.xml: title, author, dates)
// are written the way Excel writes them, each element under its usual
// prefix: <cp:coreProperties>, <dc:creator>, <cp:lastModifiedBy>,
// <dcterms:created>. Namespace-aware readers do not mind which prefix a
// part uses, but some readers look for those names as spelt: ExcelJS stops
// at a <lastModifiedBy> in the default namespace (as excelize's
// SetDocProps writes it), "Unexpected xml node in parseOpen". So the part
// is rewritten with Excel's prefixes whenever a workbook passes through.

const (
	nsCoreProps  = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
	relCoreProps = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
)

// corePrefixes are the prefixes Excel gives the core properties'
// namespaces, in the order it declares them.
var corePrefixes = []struct{ prefix, ns string }{
	{"cp", nsCoreProps},
	{"dc", "http://purl.org/dc/elements/1.1/"},
	{"dcterms", "http://purl.org/dc/terms/"},
	{"dcmitype", "http://purl.org/dc/dcmitype/"},
	{"xsi", "http://www.w3.org/2001/XMLSchema-instance"},
}

const nsXML = "http://www.w3.org/XML/1998/namespace"

// ExcelCoreProps rewrites a core properties part with Excel's prefixes,
// keeping every element, attribute and text. A part whose root is not
// cp:coreProperties is an error (the caller copies it as it was).
func ExcelCoreProps(data []byte) ([]byte, error) {
	prefixOf := map[string]string{nsXML: "xml"}
	for _, p := range corePrefixes {
		prefixOf[p.ns] = p.prefix
	}
	var extra []string // namespaces beyond Excel's, declared on the root
	prefix := func(ns string) string {
		if p, ok := prefixOf[ns]; ok {
			return p
		}
		p := fmt.Sprintf("ns%d", len(extra)+1)
		prefixOf[ns] = p
		extra = append(extra, ns)
		return p
	}
	name := func(n xml.Name) string {
		if n.Space == "" {
			return n.Local
		}
		return prefix(n.Space) + ":" + n.Local
	}
	// bindings are the part's own prefix declarations, innermost last, to
	// read QName values such as xsi:type="dcterms:W3CDTF".
	var bindings []map[string]string
	lookup := func(p string) (string, bool) {
		for i := len(bindings) - 1; i >= 0; i-- {
			if ns, ok := bindings[i][p]; ok {
				return ns, true
			}
		}
		return "", false
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	var body bytes.Buffer
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 && (tok.Name.Space != nsCoreProps || tok.Name.Local != "coreProperties") {
				return nil, fmt.Errorf("its root is %s, not coreProperties", tok.Name.Local)
			}
			depth++
			bind := map[string]string{}
			for _, a := range tok.Attr {
				if a.Name.Space == "xmlns" {
					bind[a.Name.Local] = a.Value
				} else if a.Name.Space == "" && a.Name.Local == "xmlns" {
					bind[""] = a.Value
				}
			}
			bindings = append(bindings, bind)
			body.WriteString("<" + name(tok.Name))
			if depth == 1 {
				body.WriteString("\x00") // the namespace declarations go here
			}
			for _, a := range tok.Attr {
				if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
					continue
				}
				v := a.Value
				if a.Name.Space == "http://www.w3.org/2001/XMLSchema-instance" && a.Name.Local == "type" {
					if p, local, ok := strings.Cut(v, ":"); ok {
						if ns, ok := lookup(p); ok {
							v = prefix(ns) + ":" + local
						}
					}
				}
				body.WriteString(" " + name(a.Name) + `="`)
				xml.EscapeText(&body, []byte(v))
				body.WriteString(`"`)
			}
			body.WriteString(">")
		case xml.EndElement:
			depth--
			bindings = bindings[:len(bindings)-1]
			body.WriteString("</" + name(tok.Name) + ">")
		case xml.CharData:
			if depth > 0 {
				xml.EscapeText(&body, tok)
			}
		}
	}
	if depth != 0 || body.Len() == 0 {
		return nil, errors.New("it ends early")
	}
	var decl strings.Builder
	for _, p := range corePrefixes {
		fmt.Fprintf(&decl, ` xmlns:%s="%s"`, p.prefix, p.ns)
	}
	for _, ns := range extra {
		var v bytes.Buffer
		xml.EscapeText(&v, []byte(ns))
		fmt.Fprintf(&decl, ` xmlns:%s="%s"`, prefixOf[ns], v.String())
	}
	out := []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n")
	b := body.Bytes()
	i := bytes.IndexByte(b, 0)
	out = append(out, b[:i]...)
	out = append(out, decl.String()...)
	return append(out, b[i+1:]...), nil
}

// CorePropsPart finds the core properties part in a package's root
// relationships (rels, the _rels/.rels part), as PartName spells it;
// docProps/core.xml if they do not say.
func CorePropsPart(rels []byte) string {
	var r struct {
		Rel []struct {
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if xml.Unmarshal(rels, &r) == nil {
		for _, x := range r.Rel {
			if x.Type == relCoreProps {
				return PartName(x.Target)
			}
		}
	}
	return "docprops/core.xml"
}

// WriteCoreProps copies the core properties part with Excel's prefixes
// (see ExcelCoreProps), or as it was if it cannot be read as such.
func WriteCoreProps(zw *zip.Writer, zf *zip.File) error {
	r, err := zf.Open()
	if err != nil {
		return err
	}
	b, err := io.ReadAll(io.LimitReader(r, 1<<20))
	r.Close()
	if err != nil {
		return err
	}
	out, err := ExcelCoreProps(b)
	if err != nil {
		return CopyRaw(zw, zf)
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Deflate, Modified: zf.Modified})
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}
