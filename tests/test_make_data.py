"""The benchmark's synthetic data: valid under strict checks, renderable, and reproducible."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.make_data import make_documents, write_documents
from engine.docxtext import docx_text
from engine.pipeline import check, render_checked


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_generated_documents_pass_strict_checks_and_render(tmp_path: Path, seed: int) -> None:
    for path in write_documents(5, seed, tmp_path):
        checked = check(path, strict=True)
        assert checked.warnings == []
        docx = tmp_path / f"{path.stem}.docx"
        docx.write_bytes(render_checked(checked))
        assert checked.document.data["co_quan"]["ten_viet_tat"] in docx_text(docx)


def test_same_seed_same_documents() -> None:
    assert make_documents(3, seed=7) == make_documents(3, seed=7)
    assert make_documents(3, seed=7) != make_documents(3, seed=8)


def test_documents_vary_names_and_figures() -> None:
    documents = make_documents(20, seed=0)
    assert len(set(documents)) == 20
    assert len({text.splitlines()[0] for text in documents}) > 10  # commune names and years differ
