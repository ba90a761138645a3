#!/usr/bin/python3
"""openpyxl_read.py WORKBOOK: reads every row of every sheet with openpyxl in
read-only mode, values only, and prints the rows and cells it saw: the
second baseline bench.sh compares purpose with."""
import sys
from openpyxl import load_workbook

wb = load_workbook(sys.argv[1], read_only=True)
rows = cells = 0
for ws in wb.worksheets:
    for row in ws.iter_rows(values_only=True):
        rows += 1
        cells += len(row)
print(rows, cells)
