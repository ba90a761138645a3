package sheetxml

// PartSize is the size a sheet's part says it inflates to, from the
// package's directory: a guide to how big the sheet is, not a bound (a
// hostile file may lie; reading is bounded elsewhere). It is -1 when the
// sheet or its part is missing.
func (w *Workbook) PartSize(s Sheet) int64 {
	if s.Part == "" {
		return -1
	}
	zf, _ := w.lookup(s.Part)
	if zf == nil {
		return -1
	}
	return int64(min(zf.UncompressedSize64, 1<<62))
}
