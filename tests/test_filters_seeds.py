"""The filters reproduce the figures printed in the seed documents (copies of real reports).

Each number, amount, percentage, date and document number found in tests/seeds/*.txt is
parsed and formatted again; the result must be the printed text. Seed 003's Phụ lục rates
must also be the half-up rate of their own columns. The few forms in the seeds that break
ND30 (a zero-padded month such as 21/08/2023) are listed explicitly.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from engine.filters import ngay, ngay_ngan, phan_tram, so, so_hieu, tien, ty_le

SEEDS = {
    path.name[:3]: path.read_text(encoding="utf-8")
    for path in (Path(__file__).parent / "seeds").glob("*.txt")
}
# Line breaks and table bars are layout: compare on single-spaced text.
FLAT = {key: " ".join(text.replace("|", " ").split()) for key, text in SEEDS.items()}

DOTTED = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?!\d|[.,]\d)")
MONEY = re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})*)(?: (nghìn|triệu|tỷ))? đồng")
SHORT_MONEY = re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})*)đ(?!\w)")
PERCENT = re.compile(r"(?<![\d.,])(\d+)(?:,(\d+))?%")
SHORT_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
LONG_DATE = re.compile(r"[Nn]gày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})")
STATE_NUMBER = re.compile(r"(?<![\d/])(\d+)/([A-ZĐ][A-Za-zĐđ]*)-([A-ZĐ][A-Za-zĐđ]*)")
PARTY_NUMBER = re.compile(r"(?<![\d/])(\d+)-([A-ZĐ]+)/([A-ZĐ]+)")
UNIT_EXPONENTS = {None: 0, "nghìn": 3, "triệu": 6, "tỷ": 9}

# Dates printed in the seeds against ND30 (months 3–12 take no leading zero).
NOT_ND30 = {"21/08/2023", "09/04/2022", "25/05/2022", "Ngày 23 tháng 05 năm 2022"}


def integer(printed: str) -> int:
    return int(printed.replace(".", ""))


def matches(pattern: re.Pattern[str]) -> list[re.Match[str]]:
    return [match for text in FLAT.values() for match in pattern.finditer(text)]


def test_all_seeds_present() -> None:
    assert sorted(SEEDS) == ["000", "001", "002", "003"]


def test_dotted_integers() -> None:
    printed = [match.group() for match in matches(DOTTED)]
    assert {"1.337.000.000", "407.668", "2.675", "10.230.953", "1.125"} <= set(printed)
    assert [so(integer(text)) for text in printed] == printed


def test_money_amounts() -> None:
    found = matches(MONEY)
    assert {"592.300.000 đồng", "1.337.000.000 đồng", "3 triệu đồng"} <= {m.group() for m in found}
    for match in found:
        amount, unit = integer(match.group(1)), match.group(2)
        assert tien(amount * 10 ** UNIT_EXPONENTS[unit], unit) == match.group()


def test_short_money_amounts() -> None:
    printed = [match.group(1) for match in matches(SHORT_MONEY)]
    assert {"23.985.000", "26.974.000", "50.000", "300.000", "54.024"} <= set(printed)
    assert [so(integer(text)) for text in printed] == printed


def test_percentages() -> None:
    found = matches(PERCENT)
    assert {"0,66%", "84,65%", "12,04%", "2,9%", "100%"} <= {m.group() for m in found}
    for match in found:
        whole, decimals = match.group(1), match.group(2) or ""
        value = Decimal(f"{whole}.{decimals}" if decimals else whole)
        assert phan_tram(value, len(decimals)) == match.group()
        assert phan_tram(float(value), len(decimals)) == match.group()


def test_short_dates() -> None:
    found = matches(SHORT_DATE)
    assert len(found) > 20
    wrong = {m.group() for m in found if ngay_ngan(date(*map(int, m.groups()[::-1]))) != m.group()}
    assert wrong == NOT_ND30 & {m.group() for m in found}


def test_long_dates() -> None:
    found = matches(LONG_DATE)
    assert {"ngày 07 tháng 3 năm 2024", "ngày 01 tháng 6 năm 2022"} <= {m.group() for m in found}
    for match in found:
        day, month, year = map(int, match.groups())
        printed = match.group()
        expected = ngay(date(year, month, day))
        assert expected == "n" + printed[1:] or printed in NOT_ND30


def test_headers() -> None:
    assert "Số: 45/KH-UBND Hưng Yên, ngày 07 tháng 3 năm 2024" in FLAT["003"]
    assert ngay("2024-03-07", "Hưng Yên") in FLAT["003"]
    assert so_hieu(45, "KH", "UBND") in FLAT["003"]
    # Seed 002 is a draft: blank number and day, collapsed by the text extraction.
    draft = " ".join(f"Số: {so_hieu(None, 'BC', 'UBND')} {ngay(None, 'Lục Bình', thang=4, nam=2023)}".split())
    assert draft == "Số: /BC-UBND Lục Bình, ngày tháng 4 năm 2023"
    assert draft in FLAT["002"]


@pytest.mark.parametrize(("pattern", "dang"), [(STATE_NUMBER, False), (PARTY_NUMBER, True)])
def test_document_numbers(pattern: re.Pattern[str], dang: bool) -> None:
    found = matches(pattern)
    assert len(found) >= 5
    for match in found:
        number, kind, body = match.groups()
        assert so_hieu(int(number), kind, body, dang=dang) == match.group()


# Seed 003, Phụ lục: district, households, poor households, printed rate (%).
APPENDIX = [
    ("Phù Cừ", 29454, 269, "0,91"),
    ("Tiên Lữ", 32858, 303, "0,92"),
    ("TP Hưng Yên", 37571, 150, "0,40"),
    ("Kim Động", 40317, 250, "0,62"),
    ("Ân Thi", 47992, 430, "0,90"),
    ("Khoái Châu", 66000, 466, "0,71"),
    ("Yên Mỹ", 47933, 298, "0,62"),
    ("Mỹ Hào", 35127, 189, "0,54"),
    ("Văn Lâm", 35914, 199, "0,55"),
    ("Văn Giang", 34502, 121, "0,35"),
]
TOTAL = ("Tổng cộng", 407668, 2675, "0,66")


def appendix_cells() -> list[tuple[str, ...]]:
    """The Phụ lục table as printed: (district, households, poor, rate) per row, total last."""
    body = SEEDS["003"].split("Tỷ lệ hộ nghèo (%)", 1)[1]
    cells = [cell.strip() for cell in body.split("|") if cell.strip()]
    total_at = cells.index("Tổng cộng")
    rows = [tuple(cells[start + 1 : start + 5]) for start in range(0, total_at, 5)]
    return [*rows, tuple(cells[total_at : total_at + 4])]


def test_appendix_is_read_as_printed() -> None:
    expected = [(name, so(households), so(poor), rate) for name, households, poor, rate in [*APPENDIX, TOTAL]]
    assert appendix_cells() == expected


@pytest.mark.parametrize(("name", "households", "poor", "rate"), [*APPENDIX, TOTAL])
def test_appendix_rates(name: str, households: int, poor: int, rate: str) -> None:
    assert ty_le(poor, households) == f"{rate}%"
    assert so(poor / households * 100, 2) == rate
    assert so(Decimal(poor) * 100 / Decimal(households), 2) == rate


def test_appendix_total_is_the_column_sums() -> None:
    _, households, poor, rate = TOTAL
    assert sum(row[1] for row in APPENDIX) == households
    assert sum(row[2] for row in APPENDIX) == poor
    assert f"giảm xuống còn {rate}%" in FLAT["003"]
