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
	c := &coreWriter{prefixOf: map[string]string{nsXML: "xml"}}
	for _, p := range corePrefixes {
		c.prefixOf[p.ns] = p.prefix
	}
	d := xml.NewDecoder(bytes.NewReader(data))
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
			c.start(tok, depth == 1)
		case xml.EndElement:
			depth--
			c.bindings = c.bindings[:len(c.bindings)-1]
			c.body.WriteString("</" + c.name(tok.Name) + ">")
		case xml.CharData:
			if depth > 0 {
				xml.EscapeText(&c.body, tok)
			}
		}
	}
	if depth != 0 || c.body.Len() == 0 {
		return nil, errors.New("it ends early")
	}
	return c.finish(), nil
}

// coreWriter writes a core properties part again with Excel's prefixes.
type coreWriter struct {
	prefixOf map[string]string // namespace → the prefix written
	extra    []string          // namespaces beyond Excel's, declared on the root
	// bindings are the part's own prefix declarations, innermost last, to
	// read QName values such as xsi:type="dcterms:W3CDTF".
	bindings []map[string]string
	body     bytes.Buffer
}

func (c *coreWriter) prefix(ns string) string {
	if p, ok := c.prefixOf[ns]; ok {
		return p
	}
	p := fmt.Sprintf("ns%d", len(c.extra)+1)
	c.prefixOf[ns] = p
	c.extra = append(c.extra, ns)
	return p
}

func (c *coreWriter) name(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return c.prefix(n.Space) + ":" + n.Local
}

func (c *coreWriter) lookup(p string) (string, bool) {
	for i := len(c.bindings) - 1; i >= 0; i-- {
		if ns, ok := c.bindings[i][p]; ok {
			return ns, true
		}
	}
	return "", false
}

// start writes a start tag; the root's is marked where the namespace
// declarations go.
func (c *coreWriter) start(tok xml.StartElement, root bool) {
	bind := map[string]string{}
	for _, a := range tok.Attr {
		if a.Name.Space == "xmlns" {
			bind[a.Name.Local] = a.Value
		} else if a.Name.Space == "" && a.Name.Local == "xmlns" {
			bind[""] = a.Value
		}
	}
	c.bindings = append(c.bindings, bind)
	c.body.WriteString("<" + c.name(tok.Name))
	if root {
		c.body.WriteString("\x00")
	}
	for _, a := range tok.Attr {
		if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
			continue
		}
		v := a.Value
		if a.Name.Space == "http://www.w3.org/2001/XMLSchema-instance" && a.Name.Local == "type" {
			if p, local, ok := strings.Cut(v, ":"); ok {
				if ns, ok := c.lookup(p); ok {
					v = c.prefix(ns) + ":" + local
				}
			}
		}
		c.body.WriteString(" " + c.name(a.Name) + `="`)
		xml.EscapeText(&c.body, []byte(v))
		c.body.WriteString(`"`)
	}
	c.body.WriteString(">")
}

// finish is the part: the declaration, and the body with Excel's
// namespaces and any others declared on its root.
func (c *coreWriter) finish() []byte {
	var decl strings.Builder
	for _, p := range corePrefixes {
		fmt.Fprintf(&decl, ` xmlns:%s="%s"`, p.prefix, p.ns)
	}
	for _, ns := range c.extra {
		var v bytes.Buffer
		xml.EscapeText(&v, []byte(ns))
		fmt.Fprintf(&decl, ` xmlns:%s="%s"`, c.prefixOf[ns], v.String())
	}
	out := []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n")
	b := c.body.Bytes()
	i := bytes.IndexByte(b, 0)
	out = append(out, b[:i]...)
	out = append(out, decl.String()...)
	return append(out, b[i+1:]...)
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
