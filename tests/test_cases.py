"""One folder per bad (or tricky) input: `input.yaml`, optional `args`, and `expected.txt`.

`expected.txt` holds `exit: N` and then the exact stderr lines. Every failing
case must leave a pre-existing output file byte-identical. Large inputs are
stored as `input.yaml.gz` and unpacked to `input.yaml`; an optional
`contains.txt` lists lines the rendered document's text must contain.
"""

from __future__ import annotations

import gzip
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document

from engine.cli import cannot_write
from tests.conftest import run_cli

CASES_DIR = Path(__file__).parent / "cases"
CASES = sorted(path for path in CASES_DIR.iterdir() if path.is_dir())
DEFAULT_ARGS = "render input.yaml -o out.docx"
SENTINEL = b"existing output that must survive"


def expected_of(case: Path) -> tuple[int, list[str]]:
    first, *lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert first.startswith("exit: "), f"{case.name}/expected.txt must start with `exit: N`"
    return int(first.removeprefix("exit: ")), lines


def args_of(case: Path) -> str:
    args_file = case / "args"
    return args_file.read_text(encoding="utf-8").strip() if args_file.exists() else DEFAULT_ARGS


def prepare(case: Path, directory: Path) -> Path:
    """Copy the case's input into `directory` beside a pre-existing output; return that output."""
    packed = case / "input.yaml.gz"
    if packed.exists():
        (directory / "input.yaml").write_bytes(gzip.decompress(packed.read_bytes()))
    else:
        shutil.copy(case / "input.yaml", directory / "input.yaml")
    output = directory / "out.docx"
    output.write_bytes(SENTINEL)
    return output


def document_text(path: Path) -> str:
    """Every paragraph, in the body and in table cells, as python-docx reads it back."""
    document = Document(str(path))
    cells = [cell for table in document.tables for row in table.rows for cell in row.cells]
    paragraphs = [*document.paragraphs, *(paragraph for cell in cells for paragraph in cell.paragraphs)]
    return "\n".join(paragraph.text for paragraph in paragraphs)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = prepare(case, tmp_path)
    monkeypatch.chdir(tmp_path)

    result = run_cli(args_of(case))

    exit_code, lines = expected_of(case)
    assert result.stderr.splitlines() == lines
    assert result.exit_code == exit_code
    assert "Traceback" not in result.stderr + result.stdout
    if exit_code == 0 and args_of(case).split()[0] == "render":
        assert zipfile.is_zipfile(output), "a successful render replaces the existing output"
    else:
        assert output.read_bytes() == SENTINEL
    assert sorted(path.name for path in tmp_path.iterdir()) in (
        ["input.yaml", "out.docx"],
        ["input.yaml", "out.docx", "out.pdf"],
    )
    contains = case / "contains.txt"
    if contains.exists():
        text = document_text(output)
        for line in contains.read_text(encoding="utf-8").splitlines():
            assert line in text


def test_there_are_cases() -> None:
    assert len(CASES) >= 45


def test_output_that_cannot_be_written_is_a_message_not_a_crash(tmp_path: Path) -> None:
    blocker = tmp_path / "khong-phai-thu-muc"
    blocker.write_text("", encoding="utf-8")
    sample = Path(__file__).parent / "fixtures" / "toi_thieu.yaml"
    result = run_cli(["render", str(sample), "-o", str(blocker / "out.docx")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"không ghi được {blocker / 'out.docx'}: ")
    assert "Traceback" not in result.stderr


def test_a_locked_output_suggests_closing_it_in_word() -> None:
    message = cannot_write(PermissionError(13, "Permission denied"))
    assert message.startswith("Permission denied (tệp có đang mở trong Word")
