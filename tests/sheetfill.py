"""Test helpers: a generated workbook filled as a clerk would (openpyxl), and figures read from samples."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from engine.columns import layout
from engine.load import load_document
from engine.sheet import FIRST_DATA_ROW, MAIN_SHEET, PATH_ROW, workbook_bytes
from engine.workspace import catalogue
from tests.conftest import DATA_DIR

COMMUNES = sorted((DATA_DIR / "huyen-son-thuong" / "2024").glob("*.yaml"))
COMMUNE = DATA_DIR / "huyen-son-thuong" / "2024" / "xa-an-hoa.yaml"
BUILT_IN = catalogue(None)  # the built-in kinds
DISTRICT = DATA_DIR / "huyen-son-thuong" / "huyen-son-thuong-2024.yaml"


def get(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        if not isinstance(data, Mapping):
            return None
        data = data.get(part)
    return data


def sample_row(path: Path) -> dict[str, Any]:
    """Every main column of a sample data file that has a value (derived ones left to the sheet)."""
    data = load_document(path).data
    lay = layout(data["loai"], BUILT_IN)
    return {
        column.name: get(data, column.path)
        for column in lay.columns
        if not column.derived and isinstance(get(data, column.path), int | float | str)
    }


def filled(
    target: Path, rows: Sequence[dict[str, Any] | None], kind: str = "bao_cao_nam", sheet: str = MAIN_SHEET
) -> Path:
    """The generated workbook with `rows` typed from row 4 on (None: an empty row)."""
    target.write_bytes(workbook_bytes(layout(kind, BUILT_IN)))
    book = load_workbook(target)
    worksheet = book[sheet]
    columns = {cell.value: cell.column for cell in worksheet[PATH_ROW] if cell.value}
    for offset, row in enumerate(rows):
        for name, value in (row or {}).items():
            worksheet.cell(FIRST_DATA_ROW + offset, columns[name], value)
    book.save(target)
    return target
