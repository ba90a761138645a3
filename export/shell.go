package export

import (
	"archive/zip"
	"io"
	"os"

	"github.com/purpose-hq/purpose/export/ooxml"
	"github.com/purpose-hq/purpose/ingest"
)

// writeShell copies the original workbook with a stub for each worksheet,
// and returns the names of the sheets it stubbed (by original part). With
// strs, its shared string table gains their strings.
func writeShell(shell, original string, tables []*ingest.Table, strs *ooxml.StringIndex) (map[string]string, error) {
	parts, err := ooxml.WorksheetParts(original)
	if err != nil {
		return nil, err
	}
	sstPart := ""
	if strs != nil {
		if _, sstPart, _, err = ooxml.WorkbookParts(original, nil, false); err != nil {
			return nil, err
		}
	}
	// A workbook without a shared string table (its strings inline) gets
	// one for the added strings; one without styles, the default styles,
	// which the added cells' are added to.
	added, err := ooxml.PlanAdded(original, strs != nil && sstPart == "")
	if err != nil {
		return nil, err
	}
	isTable := map[string]bool{}
	for _, t := range tables {
		isTable[t.Source.Sheet] = true
	}
	stubbed := map[string]string{} // sheet name → original part
	zr, err := zip.OpenReader(original)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	out, err := os.Create(shell)
	if err != nil {
		return nil, err
	}
	defer out.Close()
	zw := zip.NewWriter(out)
	core := ooxml.CorePropsPart(ooxml.ReadSmallPart(&zr.Reader, "_rels/.rels"))
	for _, zf := range zr.File {
		if ooxml.PartName(zf.Name) == core {
			if err := ooxml.WriteCoreProps(zw, zf); err != nil {
				return nil, err
			}
			continue
		}
		if sstPart != "" && ooxml.PartName(zf.Name) == sstPart {
			if err := ooxml.ExtendPart(zw, zf, strs); err != nil {
				return nil, err
			}
			continue
		}
		if added != nil {
			if ok, err := added.Edit(zw, zf); ok || err != nil {
				if err != nil {
					return nil, err
				}
				continue
			}
		}
		// A sheet an earlier run added is kept, for excelize to recognise
		// and replace.
		name, ok := parts[ooxml.PartName(zf.Name)]
		if !ok || ingest.MayBeReportSheet(name) && !isTable[name] {
			if err := ooxml.CopyRaw(zw, zf); err != nil {
				return nil, err
			}
			continue
		}
		// The shell needs only a worksheet to stand in for each sheet:
		// assembly puts the originals back, so excelize never loads one, and
		// a large sheet costs it neither time nor memory.
		w, err := zw.Create(zf.Name)
		if err != nil {
			return nil, err
		}
		if _, err := io.WriteString(w, stubSheet); err != nil {
			return nil, err
		}
		stubbed[name] = ooxml.PartName(zf.Name)
	}
	if added != nil {
		if err := added.Write(zw, strs); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return stubbed, out.Close()
}

// stubSheet stands in for a budget sheet in the shell.
const stubSheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
	`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData/></worksheet>`
