package sheetxml

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
)

// Default limits, used where a Limits field is zero.
const (
	DefaultMaxUnzipped      = 4 << 30 // bytes inflated from one worksheet
	DefaultMaxSharedStrings = 1 << 24 // items in the shared string table
)

// Limits bounds the resources one Workbook may use on hostile input.
type Limits struct {
	// MaxUnzipped caps the bytes inflated from one worksheet, which
	// streams (zip-bomb guard: checked against the zip header first and
	// again while inflating, whatever the header claims); every other
	// part is held to MaxPartBytes. 0 means DefaultMaxUnzipped.
	MaxUnzipped int64
	// MaxSharedStrings caps the number of items in the shared string
	// table. 0 means DefaultMaxSharedStrings.
	MaxSharedStrings int
	// MaxPartBytes caps the bytes inflated from any part other than a
	// worksheet (the workbook part, relationships, styles, the shared
	// string table), which are read in full before any row; checked
	// against the zip header first and again while inflating. 0 means
	// DefaultMaxPart.
	MaxPartBytes int64
}

// Sheet describes one sheet of the workbook, as listed in workbook.xml.
type Sheet struct {
	Name    string // as shown on the tab
	State   string // "visible", "hidden" or "veryHidden"
	Part    string // zip path of the sheet part, e.g. xl/worksheets/sheet1.xml; "" if its relationship or part is missing
	Kind    string // "worksheet", "chartsheet", "dialogsheet", "macrosheet", or "" if unknown
	SheetID int    // the sheetId attribute
}

// Workbook is an open .xlsx/.xlsm package. Its methods may be called from
// several goroutines; each Rows iterator belongs to one goroutine.
type Workbook struct {
	file     *os.File // nil for OpenReader
	closeMu  sync.Mutex
	closed   bool
	zr       *zip.Reader
	lim      Limits
	files    map[string]*zip.File // normalised entry name -> entry
	folded   map[string]*zip.File // lower-cased name -> entry
	wbPart   string
	sheets   []Sheet
	date1904 bool
	sstPart  string

	sstMu     sync.Mutex
	sstLoaded bool
	sst       *sharedStrings
	sstErr    error
}

var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// Open opens the workbook at path and reads its structure (package and
// workbook relationships, sheet list). Cells are read later, per sheet,
// by Rows. The file stays open until Close.
func Open(path string, lim Limits) (*Workbook, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	w, err := open(f, fi.Size(), lim)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	w.file = f
	return w, nil
}

// OpenReader is Open for a package held elsewhere than in a named file,
// such as in memory. Close does not close r.
func OpenReader(r io.ReaderAt, size int64, lim Limits) (*Workbook, error) {
	return open(r, size, lim)
}

func open(r io.ReaderAt, size int64, lim Limits) (*Workbook, error) {
	if lim.MaxUnzipped <= 0 {
		lim.MaxUnzipped = DefaultMaxUnzipped
	}
	if lim.MaxSharedStrings <= 0 {
		lim.MaxSharedStrings = DefaultMaxSharedStrings
	}
	if lim.MaxPartBytes <= 0 {
		lim.MaxPartBytes = DefaultMaxPart
	}
	head := make([]byte, 8)
	n, _ := r.ReadAt(head, 0)
	if n == 8 && bytes.Equal(head, oleMagic) {
		return nil, ErrEncrypted
	}
	zr, err := zip.NewReader(r, size)
	if err == nil {
		zr.RegisterDecompressor(zip.Deflate, Inflater)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotXLSX, err)
	}
	w := &Workbook{
		zr:     zr,
		lim:    lim,
		files:  make(map[string]*zip.File, len(zr.File)),
		folded: make(map[string]*zip.File, len(zr.File)),
	}
	for _, zf := range zr.File {
		name := normPart(zf.Name)
		w.files[name] = zf // a later duplicate wins, as in excelize
		w.folded[strings.ToLower(name)] = zf
	}
	if err := w.readStructure(); err != nil {
		return nil, err
	}
	return w, nil
}

// Close closes the file opened by Open. Iterators still open fail on
// their next read; Rows fails afterwards.
func (w *Workbook) Close() error {
	w.closeMu.Lock()
	defer w.closeMu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	if w.file != nil {
		return w.file.Close()
	}
	return nil
}

// Sheets returns the sheets in workbook order, chartsheets and dialog
// sheets included.
func (w *Workbook) Sheets() []Sheet {
	return append([]Sheet(nil), w.sheets...)
}

// Date1904 reports whether the workbook uses the 1904 date system
// (workbookPr date1904), in which serial 0 is 1904-01-01.
func (w *Workbook) Date1904() bool { return w.date1904 }

// Part is the workbook part's name in the package ("xl/workbook.xml").
func (w *Workbook) Part() string { return w.wbPart }

func normPart(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	return strings.TrimLeft(name, "/")
}

// lookup finds a part by name, exactly and then case-insensitively (part
// names are case-insensitive in OPC), and then percent-decoded.
func (w *Workbook) lookup(name string) (*zip.File, string) {
	name = normPart(name)
	if zf, ok := w.files[name]; ok {
		return zf, name
	}
	if zf, ok := w.folded[strings.ToLower(name)]; ok {
		return zf, normPart(zf.Name)
	}
	if strings.Contains(name, "%") {
		if u, err := url.PathUnescape(name); err == nil && u != name {
			return w.lookup(u)
		}
	}
	return nil, ""
}

// resolveTarget resolves a relationship target against the part that
// owns the relationship.
func resolveTarget(source, target string) string {
	t := strings.ReplaceAll(target, "\\", "/")
	if strings.HasPrefix(t, "/") {
		return strings.TrimLeft(path.Clean(t), "/")
	}
	return strings.TrimLeft(path.Join(path.Dir(source), t), "/")
}

func relsPartFor(part string) string {
	dir, file := path.Split(part)
	return dir + "_rels/" + file + ".rels"
}

type relationship struct {
	id, typ, target string
	external        bool
}

// scanSmallPart runs fn over the tokens of a part.
func (w *Workbook) scanSmallPart(zf *zip.File, name string, fn func(s *scanner) error) error {
	r, closeFn, _, err := openPart(zf, name, w.lim.MaxPartBytes, true)
	if err != nil {
		return err
	}
	defer closeFn()
	s := newScanner(r, name, int64(zf.UncompressedSize64))
	return fn(s)
}

func (w *Workbook) readRels(part string) ([]relationship, error) {
	name := relsPartFor(part)
	zf, name := w.lookup(name)
	if zf == nil {
		return nil, nil
	}
	var rels []relationship
	err := w.scanSmallPart(zf, name, func(s *scanner) error {
		for {
			if err := s.next(); err != nil {
				return err
			}
			switch s.kind {
			case tokEOF:
				return nil
			case tokStart:
				if string(s.name) != "Relationship" {
					continue
				}
				var rel relationship
				for i := range s.attrs {
					name, val := s.attr(i)
					v, err := unescapeAttr(val)
					if err != nil {
						return s.errAt(s.tokOff, err.Error())
					}
					switch string(name) {
					case "Id":
						rel.id = v
					case "Type":
						rel.typ = v
					case "Target":
						rel.target = v
					case "TargetMode":
						rel.external = strings.EqualFold(v, "External")
					}
				}
				rels = append(rels, rel)
			}
		}
	})
	return rels, err
}

func relType(typ string) string {
	if i := strings.LastIndexByte(typ, '/'); i >= 0 {
		return typ[i+1:]
	}
	return typ
}

func (w *Workbook) readStructure() error {
	// The workbook part, via the package relationships.
	rootRels, err := w.readRels("")
	if err != nil {
		return err
	}
	var zf *zip.File
	for _, r := range rootRels {
		if relType(r.typ) == "officeDocument" && !r.external {
			if zf, w.wbPart = w.lookup(resolveTarget("", r.target)); zf != nil {
				break
			}
		}
	}
	if zf == nil {
		if zf, w.wbPart = w.lookup("xl/workbook.xml"); zf == nil {
			return fmt.Errorf("%w: no workbook part (xl/workbook.xml)", ErrNotXLSX)
		}
	}

	type sheetRef struct {
		sheet Sheet
		rid   string
	}
	var refs []sheetRef
	err = w.scanSmallPart(zf, w.wbPart, func(s *scanner) error {
		depth := 0
		inSheets := false
		for {
			if err := s.next(); err != nil {
				return err
			}
			switch s.kind {
			case tokEOF:
				return nil
			case tokEnd:
				depth--
				if string(s.name) == "sheets" {
					inSheets = false
				}
			case tokStart:
				if !s.selfClose {
					if depth++; depth > MaxDepth {
						return s.errAt(s.tokOff, fmt.Sprintf("elements nested more than %d deep", MaxDepth))
					}
				}
				switch string(s.name) {
				case "sheets":
					inSheets = !s.selfClose
				case "sheet":
					if !inSheets {
						continue
					}
					ref := sheetRef{sheet: Sheet{State: "visible"}}
					for i := range s.attrs {
						name, val := s.attr(i)
						v, err := unescapeAttr(val)
						if err != nil {
							return s.errAt(s.tokOff, err.Error())
						}
						switch string(name) {
						case "name":
							ref.sheet.Name = v
						case "sheetId":
							ref.sheet.SheetID, _ = strconv.Atoi(strings.TrimSpace(v))
						case "state":
							if v != "" {
								ref.sheet.State = v
							}
						case "id":
							ref.rid = v
						}
					}
					refs = append(refs, ref)
				case "workbookPr":
					if v, ok := s.getAttr("date1904"); ok {
						switch strings.ToLower(strings.TrimSpace(string(v))) {
						case "1", "true", "t", "on":
							w.date1904 = true
						}
					}
				}
			}
		}
	})
	if err != nil {
		return err
	}

	rels, err := w.readRels(w.wbPart)
	if err != nil {
		return err
	}
	byID := make(map[string]relationship, len(rels))
	for _, r := range rels {
		if _, dup := byID[r.id]; !dup {
			byID[r.id] = r
		}
		if relType(r.typ) == "sharedStrings" && w.sstPart == "" && !r.external {
			if zf, name := w.lookup(resolveTarget(w.wbPart, r.target)); zf != nil {
				w.sstPart = name
			}
		}
	}
	if w.sstPart == "" {
		if zf, name := w.lookup("xl/sharedStrings.xml"); zf != nil {
			w.sstPart = name
		}
	}
	for _, ref := range refs {
		sh := ref.sheet
		if r, ok := byID[ref.rid]; ok && !r.external {
			switch relType(r.typ) {
			case "worksheet":
				sh.Kind = "worksheet"
			case "chartsheet":
				sh.Kind = "chartsheet"
			case "dialogsheet":
				sh.Kind = "dialogsheet"
			case "xlMacrosheet", "xlIntlMacrosheet":
				sh.Kind = "macrosheet"
			}
			if _, name := w.lookup(resolveTarget(w.wbPart, r.target)); name != "" {
				sh.Part = name
			}
		}
		w.sheets = append(w.sheets, sh)
	}
	return nil
}

func (w *Workbook) sharedStrings() (*sharedStrings, error) {
	w.sstMu.Lock()
	defer w.sstMu.Unlock()
	if !w.sstLoaded {
		w.sstLoaded = true
		if w.sstPart != "" {
			zf, name := w.lookup(w.sstPart)
			w.sst, w.sstErr = loadSharedStrings(zf, name, w.lim)
		} else {
			w.sst = &sharedStrings{}
		}
	}
	return w.sst, w.sstErr
}

// Rows returns an iterator over the rows of the named sheet (matched
// exactly, else case-insensitively as Excel does). It loads the shared
// string table on first use. Chartsheets and dialog sheets give
// ErrNotWorksheet; an unknown name or a missing part, ErrSheetNotFound.
func (w *Workbook) Rows(sheetName string) (*Rows, error) {
	idx := -1
	for i := range w.sheets {
		if w.sheets[i].Name == sheetName {
			idx = i
			break
		}
	}
	if idx < 0 {
		for i := range w.sheets {
			if strings.EqualFold(w.sheets[i].Name, sheetName) {
				idx = i
				break
			}
		}
	}
	if idx < 0 {
		return nil, fmt.Errorf("%w: %q", ErrSheetNotFound, sheetName)
	}
	sh := w.sheets[idx]
	if sh.Kind == "chartsheet" || sh.Kind == "dialogsheet" {
		return nil, fmt.Errorf("%w: %q is a %s", ErrNotWorksheet, sh.Name, sh.Kind)
	}
	if sh.Part == "" {
		return nil, fmt.Errorf("%w: %q has no part in the package", ErrSheetNotFound, sh.Name)
	}
	w.closeMu.Lock()
	closed := w.closed
	w.closeMu.Unlock()
	if closed {
		return nil, errors.New("sheetxml: workbook is closed")
	}
	zf, name := w.lookup(sh.Part)
	sst, err := w.sharedStrings()
	if err != nil {
		return nil, err
	}
	r, closeFn, lr, err := openPart(zf, name, w.lim.MaxUnzipped, false)
	if err != nil {
		return nil, err
	}
	rows := newRows(newScanner(r, name, int64(zf.UncompressedSize64)), closeFn, sst)
	rows.inflated, rows.size = lr, int64(zf.UncompressedSize64)
	return rows, nil
}

// SharedStringsPart is the shared string table's part name, "" if the
// workbook has none; unlike SharedStrings, it does not read the table.
func (w *Workbook) SharedStringsPart() string { return w.sstPart }

// SharedStrings returns the shared string table's part name ("" if the
// workbook has none) and how many strings it holds, loading it if it was
// not loaded yet.
func (w *Workbook) SharedStrings() (part string, count int, err error) {
	if w.sstPart == "" {
		return "", 0, nil
	}
	sst, err := w.sharedStrings()
	if err != nil {
		return "", 0, err
	}
	return w.sstPart, sst.len(), nil
}
