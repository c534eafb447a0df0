"""The bottom layer: plain data and pure checks that every other layer may use.

Cell and table types (`parsed`), what a rule says about a report (`issues`), reading cells
with blanks counted as 0 (`cell_reading`) and the spec's identities (`identities`). It
imports nothing of the project except `reports.schema` (tests/test_layers.py holds it so).
"""
