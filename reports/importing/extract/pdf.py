"""PDF into a Grid with pdfplumber: ruled tables, borderless tables, running text.

Each page is read once: its words (`extract_words`) and its ruled tables (`find_tables`).
A ruled table's rows become complete rows whose cells carry their boxes; the words inside a
cell make its text (no second pass over the characters). Words outside ruled tables become
text lines whose words keep their positions, so a borderless table's values can still be
placed under its header. Frames that WPS draws around prose come out as one-column tables;
their rows are harmless text rows, and narrative sections are taken from the page text.
A page background or an article box that a browser's "Save as PDF" paints around
everything is not a table: `rulings` leaves such frames out of the ruling lines.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pdfplumber
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import resolve1
from pdfplumber.page import Page

from reports.importing import errors, labels
from reports.importing.errors import ImportRefused
from reports.importing.extract import pdf_repair, pdf_xref, rulings
from reports.importing.extract.pdf_damage import Found as _Found
from reports.importing.extract.pdf_damage import object_offset as _object_offset
from reports.importing.extract.pdf_streams import StreamCheck
from reports.importing.extract.rows import Cell, Grid, Row
from reports.importing.normalize import compact

Word = dict[str, Any]
_LINE_TOLERANCE = 3.0  # points: words whose tops differ by less share a line
_MARGIN = 0.1  # share of the page height where page numbers are printed


def extract(data: bytes, *, name: str = "", max_pages: int = 200) -> Grid:
    """A Grid of the PDF's table rows and text lines, with its page text as running text.

    A file pdfminer cannot open or read is rebuilt with qpdf (pdf_repair) and read again:
    the pages it keeps are read, and the grid's `damage` says from which row on what was
    read is not to be trusted.
    """
    try:
        return _read(data, name, max_pages, None, len(data))
    except ImportRefused as exc:
        if exc.code != errors.CORRUPT_FILE or _out_of_memory(exc):
            raise  # a bomb stays a bomb: the sandbox reports its memory limit
        first = exc
    try:
        repaired = pdf_repair.repair(data, name)
        return _read(repaired.data, name, max_pages, repaired, len(data))
    except ImportRefused as exc:
        if exc.code != errors.CORRUPT_FILE:
            raise
        # nothing was gained by the repair: the first reading says what was wrong
        raise first from exc


def _read(
    data: bytes,
    name: str,
    max_pages: int,
    repaired: pdf_repair.Repaired | None,
    size: int,
) -> Grid:
    """Read every page; a page that fails refuses the file, unless it was rebuilt."""
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        raise _refusal(exc, name) from exc
    try:
        pages, declared = _pages(pdf, name, max_pages)
        grid = Grid(kind="pdf", pages=max(len(pages), declared))
        texts: list[str] = []
        words_seen = 0
        check = StreamCheck(bad=pdf_xref.displaced(data) if repaired is None else set())
        found = _Found(set(repaired.damaged) if repaired else set())
        for number, page in enumerate(pages, start=1):
            try:
                broken = check.damaged(page.page_obj)
            except MemoryError:
                raise
            except Exception:  # resources too broken to walk: the page is damaged
                broken = None
                found.pages.add(number)
            if broken is not None:
                found.broken(number, broken, _object_offset(pdf, broken))
            try:
                words = page.extract_words()
                tables = _find_tables(page) if words else []
            except Exception as exc:
                if repaired is None:
                    raise _refusal(exc, name, number) from exc
                found.pages.add(number)
                words, tables = [], []
            found.starts.append(len(grid.rows))
            words_seen += len(words)
            rows, text = _page(page.height, number, words, tables)
            grid.rows.extend(rows)
            texts.append(text)
            page.close()  # drop the page's cached layout: memory stays flat on long files
    finally:
        _close(pdf)
    if repaired is not None and not pages:
        raise ImportRefused(
            errors.CORRUPT_FILE,
            f"“{name}”已损坏，修复后也找不到任何完整的页面，无法作为 PDF 读取",
        )
    if not words_seen:
        if repaired is not None or found.pages:
            raise ImportRefused(
                errors.CORRUPT_FILE,
                f"“{name}”已损坏，读不到任何完整的文字，无法作为 PDF 读取",
            )
        raise ImportRefused(
            errors.NO_TEXT_LAYER,
            f"“{name}”没有文字层（可能是扫描件或图片），无法读取表格数值；"
            "请提供带文字的 PDF 或原始 DOCX",
        )
    if declared > max_pages:
        grid.notes.append(f"文件共 {declared} 页，只读取了前 {max_pages} 页")
    grid.text = "\n".join(texts)
    grid.damage = found.damage(grid, len(pages), repaired, size)
    return grid


def _pages(pdf: pdfplumber.PDF, name: str, max_pages: int) -> tuple[list[Page], int]:
    """The pages to read and the page count the file declares."""
    try:
        return _first_pages(pdf, max_pages), _declared_page_count(pdf)
    except Exception as exc:
        raise _refusal(exc, name) from exc


def _close(pdf: pdfplumber.PDF) -> None:
    """Release the file without pdfplumber's close(), which first builds every page of
    the tree: a broken tree fails there again after its refusal (and its traceback
    reached the log), a hostile one is enormous. Each page read was closed already."""
    pdf.flush_cache()
    pdf.stream.close()


def _find_tables(page: Page) -> list[Any]:
    """The page's ruled tables; a page's background or an article's box is no table."""
    settings = rulings.table_settings(page)
    if settings is None:
        return list(page.find_tables())
    if not rulings.has_rulings(settings):
        return []
    return list(page.find_tables(settings))


def _first_pages(pdf: pdfplumber.PDF, max_pages: int) -> list[Page]:
    """At most `max_pages` pages, stopping there: pdfplumber's `pages` would build every
    page of the tree first, which a hostile file makes enormous."""
    pages: list[Page] = []
    doctop = 0.0
    for index, raw in enumerate(PDFPage.create_pages(pdf.doc)):
        if index >= max_pages:
            break
        page = Page(pdf, raw, page_number=index + 1, initial_doctop=doctop)
        pages.append(page)
        doctop += page.height
    return pages


def _declared_page_count(pdf: pdfplumber.PDF) -> int:
    """The page count the page tree declares (/Count), read without walking the tree."""
    try:
        root = resolve1(pdf.doc.catalog["Pages"])
        return int(resolve1(root.get("Count", 0)))
    except Exception:  # a missing or odd /Count only loses the "共 N 页" note
        return 0


def _refusal(exc: Exception, name: str, page: int | None = None) -> ImportRefused:
    """Encrypted or corrupt, from pdfminer's exception chain."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__ or _first_arg(current)
    kinds = " ".join(type(e).__name__ for e in chain)
    if "Password" in kinds or "Encrypt" in kinds:
        return ImportRefused(
            errors.ENCRYPTED_PDF,
            f"“{name}”是加密的 PDF，需要密码才能打开，请提供未加密的文件",
        )
    where = f"第 {page} 页" if page else "文件结构"
    return ImportRefused(
        errors.CORRUPT_FILE, f"“{name}”的{where}已损坏，无法作为 PDF 读取"
    )


def _out_of_memory(exc: BaseException) -> bool:
    current: BaseException | None = exc
    for _ in range(10):
        if current is None:
            return False
        if isinstance(current, MemoryError):
            return True
        current = current.__cause__ or current.__context__
    return False


def _first_arg(exc: BaseException) -> BaseException | None:
    arg = exc.args[0] if exc.args else None
    return arg if isinstance(arg, BaseException) else None


def _page(
    height: float, number: int, words: list[Word], tables: Sequence[Any]
) -> tuple[list[Row], str]:
    """The page's rows in reading order, and its text."""
    placed: list[tuple[float, int, Row]] = []
    free: list[Word] = []
    grids = [_TableGrid(t, i) for i, t in enumerate(tables)]
    for word in words:
        cx = (word["x0"] + word["x1"]) / 2
        cy = (word["top"] + word["bottom"]) / 2
        for table_grid in grids:
            if table_grid.take(word, cx, cy):
                break
        else:
            free.append(word)
    order = 0
    for table_grid in grids:
        for top, row in table_grid.rows(number):
            placed.append((top, order, row))
            order += 1
    lines = _lines(words)
    text_lines = []
    for line in lines:
        text = " ".join(w["text"] for w in line)
        if _is_page_number(line, text, height):
            continue
        text_lines.append(text)
    for line in _lines(free):
        if _is_page_number(line, " ".join(w["text"] for w in line), height):
            continue
        cells = [
            Cell(
                w["text"],
                page=number,
                bbox=(w["x0"], w["top"], w["x1"], w["bottom"]),
                x0=w["x0"],
                x1=w["x1"],
            )
            for w in line
        ]
        placed.append((line[0]["top"], order, Row(cells, complete=False, page=number)))
        order += 1
    placed.sort(key=lambda item: (item[0], item[1]))
    return [row for _, _, row in placed], "\n".join(text_lines)


def _lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines by their tops, each line ordered left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and word["top"] - lines[-1][0]["top"] <= _LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    for line in lines:
        line.sort(key=lambda w: w["x0"])
    return lines


def _is_page_number(line: list[Word], text: str, height: float) -> bool:
    top = min(w["top"] for w in line)
    bottom = max(w["bottom"] for w in line)
    in_margin = top > height * (1 - _MARGIN) or bottom < height * _MARGIN
    return in_margin and bool(labels.PAGE_NUMBER.match(compact(text)))


class _TableGrid:
    """One ruled table: its cells' boxes, and the words that fall in each."""

    def __init__(self, table: Any, index: int) -> None:
        self.index = index
        self.bbox = table.bbox
        self.cells: list[
            list[tuple[tuple[float, float, float, float], list[Word]]]
        ] = []
        self.row_boxes: list[tuple[float, float]] = []
        for row in table.rows:
            cells: list[tuple[tuple[float, float, float, float], list[Word]]] = [
                (bbox, []) for bbox in row.cells if bbox is not None
            ]
            self.cells.append(cells)
            tops = [b[1] for b, _ in cells] or [row.bbox[1]]
            bottoms = [b[3] for b, _ in cells] or [row.bbox[3]]
            self.row_boxes.append((min(tops), max(bottoms)))

    def take(self, word: Word, cx: float, cy: float) -> bool:
        x0, top, x1, bottom = self.bbox
        if not (x0 <= cx <= x1 and top <= cy <= bottom):
            return False
        for (row_top, row_bottom), cells in zip(
            self.row_boxes, self.cells, strict=True
        ):
            if not row_top <= cy <= row_bottom:
                continue
            for bbox, bucket in cells:
                if bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]:
                    bucket.append(word)
                    return True
        return (
            True  # on a ruling line or in a gap: inside the table, belongs to no cell
        )

    def rows(self, page: int) -> list[tuple[float, Row]]:
        out = []
        for (row_top, _), cells in zip(self.row_boxes, self.cells, strict=True):
            row_cells = [
                Cell(
                    "\n".join(
                        " ".join(w["text"] for w in line) for line in _lines(bucket)
                    ),
                    page=page,
                    bbox=bbox,
                    x0=bbox[0],
                    x1=bbox[2],
                )
                for bbox, bucket in cells
            ]
            out.append(
                (row_top, Row(row_cells, complete=True, page=page, table=self.index))
            )
        return out
