"""The samples in data/ end to end: golden text, fidelity to the seed, determinism."""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

import pytest

from engine.docxtext import docx_text
from engine.pipeline import check, render_checked
from tests.conftest import SAMPLES

GOLDEN_DIR = Path(__file__).parent / "golden"
SEEDS_DIR = Path(__file__).parent / "seeds"
UPDATE = os.environ.get("BAOCAO_UPDATE_GOLDEN") == "1"

# Seed text → (first words of the body, last words of the body) in that seed.
SEED_BODIES = {
    "phuong-huong-xuan-2022-nq-giam-ngheo": (
        "001_",
        "Ngày 23 tháng",
        "báo cáo kết quả việc tổ chức thực hiện Nghị quyết này",
    ),
    "tinh-hung-yen-2024-kh": ("003_", "Căn cứ Quyết định số 90/QĐ-TTg", "Ban Chỉ đạo tỉnh, UBND tỉnh./."),
    "xa-duc-hop-2024-nq41": ("000_", "1. Công tác quán triệt, học tập", "trên địa bàn xã Đức Hợp./."),
    "xa-luc-binh-2023-6t": ("002_", "Thực hiện Kế hoạch số 118/KH-UBND", "của UBND xã Lục Bình./."),
}


@pytest.mark.parametrize("sample", SAMPLES, ids=[sample.stem for sample in SAMPLES])
def test_golden_text(sample: Path, rendered_samples: dict[str, bytes]) -> None:
    text = docx_text(rendered_samples[sample.stem])
    golden = GOLDEN_DIR / f"{sample.stem}.txt"
    if UPDATE:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), "run with BAOCAO_UPDATE_GOLDEN=1 and review the diff"


def words_between(text: str, start: str, end: str) -> list[str]:
    begin = text.index(start)
    return re.sub(r"[*|]", " ", text[begin : text.index(end, begin) + len(end)]).split()


@pytest.mark.parametrize("stem", sorted(SEED_BODIES))
def test_body_matches_seed(stem: str, rendered_samples: dict[str, bytes]) -> None:
    prefix, start, end = SEED_BODIES[stem]
    seed = next(SEEDS_DIR.glob(f"{prefix}*.txt")).read_text(encoding="utf-8")
    rendered = docx_text(rendered_samples[stem])
    matcher = difflib.SequenceMatcher(
        None, words_between(seed, start, end), words_between(rendered, start, end), autojunk=False
    )
    assert matcher.ratio() >= 0.95


def test_render_is_deterministic(rendered_samples: dict[str, bytes]) -> None:
    for sample in SAMPLES:
        assert render_checked(check(sample)) == rendered_samples[sample.stem]


def test_figure_changes_everywhere(tmp_path: Path) -> None:
    """A figure used in two sentences is stored once: changing it changes both."""
    sample = next(path for path in SAMPLES if path.stem == "xa-luc-binh-2023-6t")
    changed = tmp_path / sample.name
    changed.write_text(
        sample.read_text(encoding="utf-8").replace("giam_ho_ngheo: 42", "giam_ho_ngheo: 45"), encoding="utf-8"
    )
    text = docx_text(render_checked(check(changed)))
    assert "Trong tổng số 45 hộ nghèo được giao giảm" in text
    assert "mục tiêu giảm 45 hộ nghèo và 80 hộ cận nghèo" in text
    assert "42 hộ nghèo" not in text


CREDIT = (
    "  luot_ho: 20            # đã sửa: 11 + 5 + 4\n"
    "  ho_ngheo: 11\n  ho_can_ngheo: 5\n  ho_moi_thoat_ngheo: 4\n"
)


@pytest.mark.parametrize(
    ("groups", "clause"),
    [
        ((11, 5, 4), "vay vốn, trong đó có 11 hộ nghèo, 5 hộ cận nghèo, 4 hộ thoát nghèo. Tổng số tiền"),
        ((11, 0, 4), "vay vốn, trong đó có 11 hộ nghèo, 4 hộ thoát nghèo. Tổng số tiền"),
        ((0, 0, 0), "vay vốn. Tổng số tiền"),
    ],
)
def test_six_month_credit_groups_leave_out_zero_counts(
    groups: tuple[int, int, int], clause: str, tmp_path: Path
) -> None:
    fixture = Path(__file__).parent / "fixtures" / "xa-luc-binh-2023-6t-dinh-chinh.yaml"
    text = fixture.read_text(encoding="utf-8")
    assert CREDIT in text
    poor, near_poor, out_of_poverty = groups
    replaced = (
        f"  luot_ho: {sum(groups)}\n  ho_ngheo: {poor}\n  ho_can_ngheo: {near_poor}\n"
        f"  ho_moi_thoat_ngheo: {out_of_poverty}\n"
    )
    data = tmp_path / "xa.yaml"
    data.write_text(text.replace(CREDIT, replaced), encoding="utf-8")
    checked = check(data)
    assert clause in docx_text(render_checked(checked))
