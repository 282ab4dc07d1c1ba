"""Fuzzing the whole pipeline: random edits of a valid document never crash it.

Any mutation must either pass or fail with located `ReportError` issues (never
another exception), and any printable text typed into a free-text field must
come out literally in a .docx that python-docx reopens.
"""

from __future__ import annotations

import io
import json
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.errors import ReportError
from engine.load import load_document
from engine.pipeline import check, render_checked
from tests.test_cases import document_text

ROOT = Path(__file__).parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "toi_thieu.yaml"
BASE: dict[str, Any] = load_document(FIXTURE).data
# The compact fixture, and the full sample whose optional sections the fixture leaves out.
BASES = [BASE, load_document(ROOT / "data" / "xa-luc-binh-2023-6t.yaml").data]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text a clerk could paste: anything but surrogates; control characters included on purpose.
ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
    max_leaves=6,
)
# Printable text that must survive to the document (no control, separator or unassigned characters).
PRINTABLE = st.text(
    st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp", "Zs")) | st.just(" "),
    min_size=1,
    max_size=60,
).filter(lambda text: text.strip() == text and "  " not in text)
FREE_TEXT = [("can_cu",), ("han_che", 0), ("giai_phap", 0), ("nguoi_ky", "ho_ten")]


def paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(value, dict):
        return found + [p for key, child in value.items() for p in paths(child, (*path, key))]
    if isinstance(value, list):
        return found + [p for index, child in enumerate(value) for p in paths(child, (*path, index))]
    return found


def copy(value: Any) -> Any:
    return json.loads(json.dumps(value))


def parent_of(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        data = data[step]
    return data


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A valid document with one to three random edits."""
    data: dict[str, Any] = copy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths(data)))
        parent, last = parent_of(data, path), path[-1]
        action = draw(st.sampled_from(["delete", "replace", "text", "duplicate"]))
        if action == "delete":
            del parent[last]
        elif action == "replace":
            parent[last] = draw(VALUES)
        elif action == "text":
            parent[last] = draw(ANY_TEXT)
        elif isinstance(parent[last], list) and parent[last]:
            parent[last].append(copy(parent[last][0]))
        if not data:
            break
    return data


def write(folder: str, data: Any) -> Path:
    path = Path(folder) / "fuzz.yaml"
    # JSON is YAML; raw Unicode keeps Vietnamese as typed, control characters become `\\u` escapes.
    path.write_text(json.dumps(data, ensure_ascii=False, allow_nan=True), encoding="utf-8")
    return path


@SETTINGS
@given(mutated())
def test_mutations_validate_or_fail_with_located_issues(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        try:
            Document(io.BytesIO(render_checked(check(write(folder, data)))))
        except ReportError as error:
            assert error.issues
            for issue in error.issues:
                assert issue.file.endswith("fuzz.yaml") and issue.line > 0 and issue.message, issue


@SETTINGS
@given(st.sampled_from(FREE_TEXT), PRINTABLE)
def test_free_text_renders_literally(path: tuple[Any, ...], text: str) -> None:
    data = copy(BASE)
    parent_of(data, path)[path[-1]] = text
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "out.docx"
        output.write_bytes(render_checked(check(write(folder, data))))
        assert unicodedata.normalize("NFC", text) in document_text(output)
