"""The compiled validator (jsonschema-rs) on the valid path agrees with the explaining one (jsonschema).

`validate` trusts the compiled validator only when it says "valid"; the two must therefore agree on
every input we have: the samples, the fixtures and every bad-input case that loads.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from engine.errors import ReportError
from engine.load import load_document
from engine.paths import SCHEMA_DIR
from engine.schema import _has_whole_float, _validator, is_valid_fast, kind_of
from tests.conftest import ROOT, SAMPLES
from tests.test_cases import CASES

FIXTURES = sorted((ROOT / "tests" / "fixtures").glob("*.yaml"))
DEMO = ROOT / "tests" / "fixtures" / "schema_demo"  # its own schemas: valid and invalid documents


def case_input(case: Path, tmp_path: Path) -> Path:
    packed = case / "input.yaml.gz"
    if not packed.exists():
        return case / "input.yaml"
    unpacked = tmp_path / "input.yaml"
    unpacked.write_bytes(gzip.decompress(packed.read_bytes()))
    return unpacked


def agree(path: Path, schema_dir: Path = SCHEMA_DIR) -> bool:
    """Whether both validators give the same verdict; True for inputs that never reach validation."""
    try:
        document = load_document(path)
        kind = kind_of(document, schema_dir)
    except ReportError:
        return True
    explained_valid = not any(_validator(kind, schema_dir).iter_errors(document.data))
    return is_valid_fast(kind, document.data, schema_dir) == explained_valid


@pytest.mark.parametrize("path", SAMPLES + FIXTURES, ids=lambda path: path.name)
def test_samples_valid_for_both(path: Path) -> None:
    document = load_document(path)
    assert is_valid_fast(kind_of(document), document.data)
    assert agree(path)


@pytest.mark.parametrize("path", sorted(DEMO.glob("*.yaml")), ids=lambda path: path.name)
def test_demo_schemas_same_verdict(path: Path) -> None:
    assert agree(path, DEMO)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_cases_same_verdict(case: Path, tmp_path: Path) -> None:
    assert agree(case_input(case, tmp_path))


@pytest.mark.parametrize("value", ["300.000", "300.0", "true", "3.5", "-1", '"300"'])
def test_integer_fields_refuse_what_our_integer_type_refuses(value: str, tmp_path: Path) -> None:
    """JSON Schema counts 300.0 as an integer, our integer type does not (nor true): neither passes."""
    text = (ROOT / "data" / "xa-luc-binh-2023-6t.yaml").read_text(encoding="utf-8")
    assert "  luot_kham: 817\n" in text
    changed = tmp_path / "bao-cao.yaml"
    changed.write_text(text.replace("  luot_kham: 817\n", f"  luot_kham: {value}\n", 1), encoding="utf-8")
    document = load_document(changed)
    assert not is_valid_fast(kind_of(document), document.data)
    assert agree(changed)


@pytest.mark.parametrize(
    ("data", "found"),
    [
        ({"a": [1, {"b": [2, 3.0]}]}, True),
        ([[[], {}], {"c": {"d": 4.0}}], True),
        ({"a": [1, {"b": [2, 3.5]}], "c": True, "d": "4.0", "e": None}, False),
        (5.0, True),
    ],
)
def test_whole_floats_are_found_at_any_depth(data: object, found: bool) -> None:
    assert _has_whole_float(data) is found
