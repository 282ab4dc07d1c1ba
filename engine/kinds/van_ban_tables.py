"""Tables of a general document: cells from the data or from named figures, derived columns and totals.

A table's shape comes from the data (any number of columns, header cells merged across
columns and rows), which a docxtpl row/column loop cannot express with merges, so the
table is built here as WordprocessingML and printed by the template with `{{p … }}`.
Every text is XML-escaped here; numbers are right-aligned, header rows bold, centred and
repeated on each page (`w:tblHeader`). Derived columns: `stt` (1, 2, …), `ty_le` (one
column over another × 100), `ty_trong` (a cell over its column's total × 100); the
`tong_cong` row adds up the number columns and recomputes rates from the totals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from markupsafe import Markup

from engine import vi
from engine.errors import DataPath, Issue
from engine.kinds.van_ban_figures import (
    MISSING_TEXT,
    RATE_DIGITS,
    REFERENCE,
    References,
    number_text,
)

TEXT_WIDTH_TWIPS = 9355  # 16.5 cm: A4 less the ND30 margins (30 + 15 mm)
DEFAULT_WIDTHS = {"chu": 4.0, "so": 2.0, "stt": 1.0, "ty_le": 2.0, "ty_trong": 2.0}
INPUT_KINDS = ("chu", "so")
# Paragraph styles the template defines for cells (templates/van_ban.py): 12 pt as in the seeds' Phụ lục
# tables, no first-line indent; a house template may restyle them in Word.
CELL_STYLE, CELL_STYLE_ID = "Ô bảng", "OBang"
BOLD_CELL_STYLE, BOLD_CELL_STYLE_ID = "Ô bảng đậm", "OBangDam"
BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)
Cell = Decimal | str | None  # a number, a text, or blank


@dataclass(frozen=True)
class Column:
    kind: str
    name: str
    digits: int | None
    width: float
    sources: tuple[int, ...]  # 0-based columns a derived column reads


def _error(path: DataPath, message: str, code: str = "bang") -> Issue:
    return Issue(message, path=path, code=f"van_ban.{code}")


def build_table(table: Mapping[str, Any], path: DataPath, refs: References) -> Markup | None:
    """The table's XML, or None after recording located errors in `refs.issues`."""
    before = len(refs.issues)
    columns = _columns(table["cot"], (*path, "cot"), refs.issues)
    if len(refs.issues) > before:
        return None
    rows = [_row(row, columns, (*path, "hang", index), refs) for index, row in enumerate(table["hang"])]
    header = _header(table, columns, path, refs)
    if len(refs.issues) > before:
        return None
    body = _derived(rows, columns, path, refs.issues)
    if len(refs.issues) > before:
        return None
    total = _total(rows, columns, path, refs.issues) if table.get("tong_cong") else None
    if len(refs.issues) > before:
        return None
    return Markup(_xml(columns, header, body, total, table.get("tong_cong")))


def _columns(specs: Sequence[Mapping[str, Any]], path: DataPath, issues: list[Issue]) -> list[Column]:
    columns = []
    for index, spec in enumerate(specs):
        kind = spec.get("kieu") or "chu"
        fields = {"ty_le": ("tu_so", "mau_so"), "ty_trong": ("cua",)}.get(kind, ())
        sources = []
        for name in fields:
            number = spec.get(name)
            if number is None:
                issues.append(_error((*path, index), f"cột {kind} cần `{name}` (thứ tự cột số, từ 1)"))
            elif not 1 <= number <= len(specs) or specs[number - 1].get("kieu") != "so":
                message = f"`{name}: {number}` phải là thứ tự một cột kiểu so (từ 1 đến {len(specs)})"
                issues.append(_error((*path, index, name), message))
            else:
                sources.append(number - 1)
        digits = spec.get("chu_so")
        if digits is None and kind in ("ty_le", "ty_trong"):
            digits = RATE_DIGITS
        width = float(spec.get("rong") or DEFAULT_WIDTHS[kind])
        columns.append(Column(kind, spec["ten"], digits, width, tuple(sources)))
    return columns


def _row(row: Sequence[Any], columns: list[Column], path: DataPath, refs: References) -> list[Cell]:
    inputs = [index for index, column in enumerate(columns) if column.kind in INPUT_KINDS]
    if len(row) != len(inputs):
        names = ", ".join(columns[index].name for index in inputs)
        message = f"hàng có {len(row)} ô, bảng cần {len(inputs)} ô (các cột nhập: {names})"
        refs.issues.append(_error(path, message, "so_o"))
        return [None] * len(columns)
    cells: list[Cell] = [None] * len(columns)
    for position, (index, value) in enumerate(zip(inputs, row, strict=True)):
        cell_path = (*path, position)
        if columns[index].kind == "chu":
            cells[index] = refs.text(str(value), cell_path) if value is not None else None
        else:
            cells[index] = _number_cell(value, columns[index], cell_path, refs)
    return cells


def _number_cell(value: Any, column: Column, path: DataPath, refs: References) -> Cell:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return vi.exact(value)
    match = REFERENCE.fullmatch(str(value).strip())
    if match is None or match.group(1) is None:
        message = f"ô của cột số “{column.name}” phải là số hoặc [[tên số liệu]], nhận được “{value}”"
        refs.issues.append(_error(path, message, "o_so"))
        return None
    figure, form = refs.lookup(match.group(1), path)
    if figure is None:
        return None
    if figure.missing:
        return MISSING_TEXT
    if not isinstance(figure.value, Decimal) or form is not None:
        message = f"ô của cột số “{column.name}” tham chiếu số liệu `{figure.name}` không phải là số"
        if form is not None:
            message = f"ô của cột số “{column.name}” chỉ nhận [[tên]], không kèm cách in `:{form}`"
        refs.issues.append(_error(path, message, "o_so"))
        return None
    return figure.value


def _rate(part: Cell, whole: Cell, digits: int) -> Cell:
    """`part / whole × 100` half-up; text (not available) stays text; ZeroDivisionError on 0."""
    if isinstance(part, str) or isinstance(whole, str):
        return MISSING_TEXT
    if part is None or whole is None:
        return None
    if whole == 0:
        raise ZeroDivisionError
    return vi.ratio_half_up(part, whole, digits)


def _column_sum(rows: list[list[Cell]], index: int) -> Cell:
    values = [row[index] for row in rows]
    if any(isinstance(value, str) for value in values):
        return MISSING_TEXT
    numbers = [value for value in values if isinstance(value, Decimal)]
    return sum(numbers, Decimal(0)) if numbers else None


def _fill_rates(row: list[Cell], columns: list[Column], sums: Mapping[int, Cell], where: Location) -> None:
    """Rate and share cells of one row (shares against `sums`, each number column's total)."""
    label, path, issues = where
    for index, column in enumerate(columns):
        if column.kind not in ("ty_le", "ty_trong"):
            continue
        digits = column.digits if column.digits is not None else RATE_DIGITS
        if column.kind == "ty_le":
            part, whole = row[column.sources[0]], row[column.sources[1]]
        else:
            part, whole = row[column.sources[0]], sums[column.sources[0]]
        try:
            row[index] = _rate(part, whole, digits)
        except ZeroDivisionError:
            message = f"{label}, cột “{column.name}”: mẫu số bằng 0, không tính được tỷ lệ"
            issues.append(_error(path, message, "chia_0"))


Location = tuple[str, DataPath, list[Issue]]


def _derived(
    rows: list[list[Cell]], columns: list[Column], path: DataPath, issues: list[Issue]
) -> list[list[Cell]]:
    sums = {index: _column_sum(rows, index) for index, column in enumerate(columns) if column.kind == "so"}
    for number, row in enumerate(rows, start=1):
        for index, column in enumerate(columns):
            if column.kind == "stt":
                row[index] = Decimal(number)
        _fill_rates(row, columns, sums, (f"hàng {number}", (*path, "hang", number - 1), issues))
    return rows


def _total(rows: list[list[Cell]], columns: list[Column], path: DataPath, issues: list[Issue]) -> list[Cell]:
    """Number columns added up; rates recomputed from the totals (never averaged); shares 100%."""
    total: list[Cell] = [None] * len(columns)
    for index, column in enumerate(columns):
        if column.kind == "so":
            total[index] = _column_sum(rows, index)
    sums = dict(enumerate(total))
    _fill_rates(total, columns, sums, ("dòng Tổng cộng", (*path, "tong_cong"), issues))
    return total


# --- header cells with merges ------------------------------------------------------------


@dataclass(frozen=True)
class HeaderCell:
    text: str
    across: int = 1
    down: int = 1


Slot = HeaderCell | None  # None: covered by a cell merged down from a row above


def _header(
    table: Mapping[str, Any], columns: list[Column], path: DataPath, refs: References
) -> list[list[tuple[Slot, int]]]:
    """Header rows as (cell or continuation, grid columns it spans)."""
    spec = table.get("dau")
    if not spec:
        return [[(HeaderCell(column.name), 1) for column in columns]]
    rows: list[list[tuple[Slot, int]]] = []
    covered: dict[tuple[int, int], int] = {}  # (row, column) → span, for cells merged down
    for row_index, row in enumerate(spec):
        cells = iter(row)
        slots: list[tuple[Slot, int]] = []
        column = 0
        while column < len(columns):
            if (row_index, column) in covered:
                span = covered[(row_index, column)]
                slots.append((None, span))
                column += span
                continue
            item = next(cells, None)
            if item is None:
                break
            cell = (
                HeaderCell(item)
                if isinstance(item, str)
                else HeaderCell(item["chu"], item.get("ngang") or 1, item.get("doc") or 1)
            )
            cell = HeaderCell(refs.text(cell.text, (*path, "dau", row_index)), cell.across, cell.down)
            if cell.down > len(spec) - row_index:
                refs.issues.append(
                    _error(
                        (*path, "dau", row_index),
                        f"ô “{cell.text}” gộp {cell.down} hàng, chỉ còn {len(spec) - row_index} hàng tiêu đề",
                    )
                )
            for below in range(1, cell.down):
                covered[(row_index + below, column)] = cell.across
            slots.append((cell, cell.across))
            column += cell.across
        extra = sum(1 for _ in cells)
        if column != len(columns) or extra:
            width = column + sum(
                (item.get("ngang") or 1) if isinstance(item, dict) else 1 for item in row[len(row) - extra :]
            )
            message = f"hàng tiêu đề {row_index + 1} chiếm {width} cột, bảng có {len(columns)} cột"
            refs.issues.append(_error((*path, "dau", row_index), message, "so_o"))
        rows.append(slots)
    return rows


# --- XML -----------------------------------------------------------------------------------


def _cell_text(value: Cell, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if column.kind == "stt":
        return str(value)
    text = number_text(value, column.digits, None)
    return text


def _paragraph(text: str, align: str, bold: bool) -> str:
    """A cell paragraph in the template's cell style (`Ô bảng`, `Ô bảng đậm`: size, spacing, no indent)."""
    style = BOLD_CELL_STYLE_ID if bold else CELL_STYLE_ID
    placement = "" if align == "left" else f'<w:jc w:val="{align}"/>'
    run = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{placement}</w:pPr>{run}</w:p>'


def _tc(width: int, content: str, span: int = 1, merge: str | None = None, *, centre: bool = False) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if merge:
        props += f'<w:vMerge w:val="{merge}"/>' if merge == "restart" else "<w:vMerge/>"
    if centre:
        props += '<w:vAlign w:val="center"/>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>"


def _xml(
    columns: list[Column],
    header: list[list[tuple[Slot, int]]],
    body: list[list[Cell]],
    total: list[Cell] | None,
    total_label: str | None,
) -> str:
    scale = TEXT_WIDTH_TWIPS / sum(column.width for column in columns)
    widths = [round(column.width * scale) for column in columns]
    parts = [
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{BORDERS}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr><w:tblGrid>",
        *(f'<w:gridCol w:w="{width}"/>' for width in widths),
        "</w:tblGrid>",
    ]
    for row in header:
        parts.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
        column = 0
        for slot, span in row:
            width = sum(widths[column : column + span])
            if slot is None:
                parts.append(_tc(width, _paragraph("", "center", True), span, "continue", centre=True))
            else:
                merge = "restart" if slot.down > 1 else None
                parts.append(_tc(width, _paragraph(slot.text, "center", True), span, merge, centre=True))
            column += span
        parts.append("</w:tr>")
    for cells in body:
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        for column_spec, width, value in zip(columns, widths, cells, strict=True):
            align = (
                "left" if column_spec.kind == "chu" else "center" if column_spec.kind == "stt" else "right"
            )
            parts.append(_tc(width, _paragraph(_cell_text(value, column_spec), align, False)))
        parts.append("</w:tr>")
    if total is not None:
        parts.append(_total_row(columns, widths, total, total_label or ""))
    parts.append("</w:tbl>")
    return "".join(parts)


def _total_row(columns: list[Column], widths: list[int], total: list[Cell], label: str) -> str:
    """The label spans the leading stt/text columns (centred, bold); sums and rates follow.
    A table opening with a number column has no room for the label: the totals stand alone."""
    leading = 0
    while leading < len(columns) and columns[leading].kind in ("stt", "chu"):
        leading += 1
    cells = [_tc(sum(widths[:leading]), _paragraph(label, "center", True), leading)] if leading else []
    for column, width, value in zip(columns[leading:], widths[leading:], total[leading:], strict=True):
        align = "left" if column.kind == "chu" else "right"
        cells.append(_tc(width, _paragraph(_cell_text(value, column), align, True)))
    return f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{''.join(cells)}</w:tr>"
