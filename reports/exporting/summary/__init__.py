"""The summary workbook of a year's reports (汇总表).

selectors.py  what it covers and its sums: scope, region blocks, table sums in SQL
streams.py    the long lists, read in chunks: a line per report, findings, submissions
workbook.py   build_summary and the sheets 说明, 汇总, 审核问题, 报送情况, 同比
tables.py     the sheets 表二汇总, 表三汇总, 表四汇总 (a block per region)
sheet.py      writing with XlsxWriter, row by row, in the look of exporting/xlsx_style.py

A new sheet is a function in workbook.py (or a module of its own beside tables.py) that reads
through selectors or streams and writes through sheet.py, called from build_summary.
"""
