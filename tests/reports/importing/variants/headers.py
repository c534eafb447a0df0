"""Header and label variants that once went wrong without a word: their catalogue.

* table 三's header in another column order with a leaf misspelt beyond recognition
  ("自燃人"): the values under the unknown column belong to no known column;
* 其它 for 其他, in headers and row labels alike;
* a 2021 report whose table 二 block prints the 2019 form's column words (or the reverse):
  the values under them are not 制发/废止/现行有效;
* a long table 三 label cut after its first words, its tail on a line of its own after the
  row's values (a page's narrow label cell copied as text).
"""

from __future__ import annotations

from dataclasses import replace

from reports import schema

from . import form as f
from .catalogue import Variant, build_form, text_variant, tsv, variant
from .office_writers import html_document, xlsx_document
from .text_writers import pipe_rows, text_document
from .transforms import HEADER_TYPOS, FormChange, compose, relabel

# Table 三's columns in the order a reordered header prints them (the form's order reversed).
REORDERED = tuple(reversed([c.key for c in schema.TABLE3_COLUMNS]))


def reordered_header(form: f.Form) -> f.Form:
    """Table 三 under a one-row header in another column order, each row's values moved
    with their column."""
    columns = {c.key: c for c in schema.TABLE3_COLUMNS}
    where = {c.key: i for i, c in enumerate(schema.TABLE3_COLUMNS)}
    width = len(schema.TABLE3_COLUMNS)
    blocks: list[str | f.FormTable] = []
    for block in form.blocks:
        if isinstance(block, f.FormTable) and block.key == "table3":
            header = [f.Span(f.T3_NOTE, f.HEADER, cols=f.T3_LABEL_COLUMNS)] + [
                f.Span(columns[k].label, f.HEADER) for k in REORDERED
            ]
            body = []
            for tr in block.trs[block.header_rows :]:
                labels, values = tr[:-width], tr[-width:]
                body.append([*labels, *(values[where[k]] for k in REORDERED)])
            block = replace(block, trs=[header, *body], header_rows=1, breaks=())
        blocks.append(block)
    return f.Form(list(form.title), blocks)


def misspelt_headers(form: f.Form) -> f.Form:
    """Header leaves misspelt beyond their keywords ("自燃人", "总汁")."""
    return f.map_text(
        form, lambda s: HEADER_TYPOS.get(s, s), kinds=frozenset({f.HEADER})
    )


def other_spelt(text: str) -> str:
    """其它: a common spelling of 其他, in headers and labels."""
    return text.replace("其他", "其它")


_T2_WORDS = {
    schema.Layout.Y2021: [c.label for c in schema.TABLE2_2021.rows[0].columns],
    schema.Layout.Y2019: [c.label for c in schema.TABLE2_2019.rows[0].columns],
}


def table2_other_layout_block(form: f.Form) -> f.Form:
    """Table 二's first block headed with the other layout's column words (2019 words in a
    2021 report, 2021 words in a 2019 one); the other blocks keep their own."""
    blocks: list[str | f.FormTable] = []
    for block in form.blocks:
        if isinstance(block, f.FormTable) and block.key == "table2":
            trs = list(block.trs)
            at = next(
                i
                for i, tr in enumerate(trs)
                if tr and tr[0].kind == f.HEADER and tr[0].text == f.T2_CONTENT
            )
            own = [s.text for s in trs[at][1:]]
            other = next(
                (
                    _T2_WORDS[layout]
                    for mine, layout in (
                        (_T2_WORDS[schema.Layout.Y2021], schema.Layout.Y2019),
                        (_T2_WORDS[schema.Layout.Y2019], schema.Layout.Y2021),
                    )
                    if own == mine
                ),
                own,
            )
            trs[at] = [
                trs[at][0],
                *(replace(s, text=t) for s, t in zip(trs[at][1:], other, strict=True)),
            ]
            block = replace(block, trs=trs)
        blocks.append(block)
    return f.Form(list(form.title), blocks)


_TAIL_FROM = 20  # labels longer than this are cut after their first words


def cut_long_label(text: str) -> str:
    """A long label cut after its list number and two characters ("1.申请" / the rest)."""
    if len(text) <= _TAIL_FROM:
        return text
    head = 4 if text[1] == "." else 5
    return text[:head] + "\n" + text[head:]


def tabs_tail_after(cells: list[str]) -> str:
    """Tab-separated, a label's second line printed after the row (values and all)."""
    firsts = [c.split("\n", 1)[0] for c in cells]
    tails = [c.split("\n", 1)[1] for c in cells if "\n" in c]
    return "\t".join(firsts) + "".join("\n" + t for t in tails)


def _html(change: FormChange) -> Variant:
    return variant("", "", lambda t: html_document(build_form(t, change)), ".html")


def _named(name: str, family: str, base: Variant) -> Variant:
    return replace(base, name=name, family=family)


_REORDERED_TYPO = compose(reordered_header, misspelt_headers)

HEADER_VARIANTS: tuple[Variant, ...] = (
    text_variant("header-reordered-typo-tsv", "headers", tsv, _REORDERED_TYPO),
    text_variant("header-reordered-typo-pipe", "headers", pipe_rows, _REORDERED_TYPO),
    _named("header-reordered-typo-html", "headers", _html(_REORDERED_TYPO)),
    variant(
        "header-reordered-typo-xlsx",
        "headers",
        lambda t: xlsx_document(build_form(t, _REORDERED_TYPO)),
        ".xlsx",
    ),
    text_variant("other-spelt-tsv", "headers", tsv, relabel(other_spelt)),
    _named("other-spelt-html", "headers", _html(relabel(other_spelt))),
    text_variant(
        "table2-other-layout-header-tsv", "headers", tsv, table2_other_layout_block
    ),
    text_variant(
        "table2-other-layout-header-pipe",
        "headers",
        pipe_rows,
        table2_other_layout_block,
    ),
    _named(
        "table2-other-layout-header-html", "headers", _html(table2_other_layout_block)
    ),
    text_variant(
        "labels-tail-after-values",
        "labels",
        lambda fm: text_document(fm, tabs_tail_after),
        relabel(cut_long_label),
    ),
)
