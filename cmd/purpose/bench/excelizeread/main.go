// Command excelizeread reads every row of every sheet of a workbook with
// excelize's streaming Rows(), and nothing else: the baseline bench.sh
// compares purpose with. It prints the rows and cells it saw.
package main

import (
	"fmt"
	"os"

	"github.com/xuri/excelize/v2"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: excelizeread WORKBOOK")
		os.Exit(2)
	}
	// excelize's own default limits, given explicitly: this measures
	// excelize as a user of it would meet it.
	f, err := excelize.OpenFile(os.Args[1], excelize.Options{UnzipSizeLimit: excelize.UnzipSizeLimit, UnzipXMLSizeLimit: excelize.StreamChunkSize})
	if err != nil {
		fmt.Fprintln(os.Stderr, "excelizeread:", err)
		os.Exit(1)
	}
	defer f.Close()
	rows, cells := 0, 0
	for _, sheet := range f.GetSheetList() {
		it, err := f.Rows(sheet)
		if err != nil {
			continue
		}
		for it.Next() {
			cols, err := it.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				fmt.Fprintln(os.Stderr, "excelizeread:", err)
				os.Exit(1)
			}
			rows++
			cells += len(cols)
		}
		if err := it.Error(); err != nil {
			fmt.Fprintln(os.Stderr, "excelizeread:", err)
			os.Exit(1)
		}
		it.Close()
	}
	fmt.Println(rows, cells)
}
