"""Issue 14's hidden test set: every truth rendered in many ways, parsed and scored.

`documents` loads the truths (and builds two synthetic ones), `form` lays a truth out as the
paper form, `transforms` changes it as real reports differ, `text_writers` and
`office_writers` write it, `render` names the variants, `compare` scores a parse cell by
cell with the corpus scorer's rules, and `python -m tests.reports.importing.variants`
prints the variant x document matrix (`matrix`).
"""
