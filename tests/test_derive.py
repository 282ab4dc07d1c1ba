"""Derivations shared by every document kind."""

from __future__ import annotations

import pytest

from engine.derive import agency_lines


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        ("Ủy ban nhân dân xã Lục Bình", ["ỦY BAN NHÂN DÂN", "XÃ LỤC BÌNH"]),
        ("Ủy ban nhân dân tỉnh Hưng Yên", ["ỦY BAN NHÂN DÂN", "TỈNH HƯNG YÊN"]),
        ("UBND xã Lục Bình", ["UBND XÃ LỤC BÌNH"]),
        ("Phòng Lao động - Thương binh và Xã hội", ["PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"]),
    ],
)
def test_agency_name_splits_after_body_type_when_long(name: str, lines: list[str]) -> None:
    assert agency_lines(name) == lines
