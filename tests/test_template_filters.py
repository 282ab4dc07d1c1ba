"""Every number and date in every template goes through `engine.filters` (issue 4's contract)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from engine.filters import FILTERS
from engine.paths import TEMPLATE_DIR
from engine.schema import list_kinds

TEMPLATES = sorted(TEMPLATE_DIR.glob("*.docx"))
# Jinja builtins that only arrange text; anything that formats numbers must be ours.
TEXT_FILTERS = {"join", "upper", "lower", "capitalize", "trim", "length", "first", "last"}
FORBIDDEN = re.compile(
    r"\|\s*(format|round|int|float|filesizeformat)\b|%\s*\(|\.format\(|babel", re.IGNORECASE
)
FILTER_USE = re.compile(r"\|\s*([a-z_]+)")
JINJA = re.compile(r"\{[{%](.*?)[%}]\}", re.DOTALL)


def jinja_of(template: Path) -> list[str]:
    with zipfile.ZipFile(template) as archive:
        xml = "".join(
            archive.read(name).decode("utf-8") for name in archive.namelist() if name.startswith("word/")
        )
    return JINJA.findall(re.sub(r"<[^>]+>", "", xml))


def test_every_kind_has_its_template_checked() -> None:
    assert [path.stem for path in TEMPLATES] == list_kinds()


@pytest.mark.parametrize("template", TEMPLATES, ids=[path.stem for path in TEMPLATES])
def test_only_engine_filters_format_values(template: Path) -> None:
    expressions = jinja_of(template)
    assert expressions
    for expression in expressions:
        assert not FORBIDDEN.search(expression), expression
        for name in FILTER_USE.findall(expression):
            assert name in FILTERS or name in TEXT_FILTERS, f"{template.name}: `{name}` in {expression!r}"


def test_the_check_recognises_foreign_formatting() -> None:
    assert FILTER_USE.findall(" so_tien|tien('tỷ đồng', 1) ") == ["tien"]
    for expression in (" x|round(2) ", " '{:,}'.format(x) ", " '%d' % (x) "):
        assert FORBIDDEN.search(expression), expression
