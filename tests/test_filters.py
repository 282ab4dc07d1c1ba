"""The filter table against spec/formatting.md: every example row, edge cases, bad inputs, properties."""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import vi
from engine.errors import FilterError
from engine.filters import (
    FILTERS,
    bang_chu,
    chu_cai,
    co_so_luong,
    la_ma,
    ngay,
    ngay_ngan,
    phan_tram,
    phan_tram_gon,
    so,
    so_hieu,
    theo_nhom,
    thoi_ky,
    tien,
    ty_le,
)

# (filter, positional arguments, keyword arguments, expected text)
Row = tuple[Callable[..., str], tuple[Any, ...], dict[str, Any], str]

SPEC_ROWS: list[Row] = [
    (so, (1337000000,), {}, "1.337.000.000"),
    (so, (4.3,), {}, "4,3"),
    (so, (2.675, 1), {}, "2,7"),
    (so, (-611,), {}, "-611"),
    (phan_tram, (0.66,), {}, "0,66%"),
    (phan_tram, (84.65,), {}, "84,65%"),
    (ty_le, (2675, 407668), {}, "0,66%"),
    (tien, (592300000,), {}, "592.300.000 đồng"),
    (tien, (21900000000, "tỷ"), {}, "21,9 tỷ đồng"),
    (tien, (3480000000, "tỷ"), {}, "3,48 tỷ đồng"),
    (tien, (1500000, "triệu"), {}, "1,5 triệu đồng"),
    (bang_chu, (1337000000,), {}, "một tỷ ba trăm ba mươi bảy triệu"),
    (bang_chu, (592300000,), {"dong": True, "hoa": True}, "Năm trăm chín mươi hai triệu ba trăm nghìn đồng"),
    (ngay, ("2024-03-07", "Hưng Yên"), {}, "Hưng Yên, ngày 07 tháng 3 năm 2024"),
    (ngay, ("2024-01-05",), {}, "ngày 05 tháng 01 năm 2024"),
    (ngay, (None, "Lục Bình"), {"thang": 4, "nam": 2023}, "Lục Bình, ngày      tháng 4 năm 2023"),
    (ngay_ngan, ("2024-03-07",), {}, "07/3/2024"),
    (la_ma, (4,), {}, "IV"),
    (chu_cai, (5,), {}, "đ"),
    (chu_cai, (6,), {}, "e"),
    (chu_cai, (7,), {}, "g"),
    (so_hieu, (7, "BC", "UBND"), {}, "07/BC-UBND"),
    (so_hieu, (None, "BC", "UBND"), {}, "     /BC-UBND"),
]

EDGE_ROWS: list[Row] = [
    # so: rounding is half-up on the decimal value, never on the binary float
    (so, (0.125, 2), {}, "0,13"),
    (so, (Decimal("0.125"), 2), {}, "0,13"),
    (so, (1.005, 2), {}, "1,01"),
    (so, (-0.125, 2), {}, "-0,13"),
    (so, (-0.001, 2), {}, "0,00"),
    (so, (0.1 + 0.2,), {}, "0,3"),
    (so, (0.4, 2), {}, "0,40"),
    (so, (1234.5, 0), {}, "1.235"),
    (so, (0,), {}, "0"),
    (so, (-1234567,), {}, "-1.234.567"),
    (so, (-4.3,), {}, "-4,3"),
    (so, (999,), {}, "999"),
    (so, (1000,), {}, "1.000"),
    (so, ("4.3",), {}, "4,3"),
    (so, (" -611 ",), {}, "-611"),
    (so, (Decimal("4.30"),), {}, "4,3"),
    (so, (1.5e9,), {}, "1.500.000.000"),
    (so, (10**30,), {}, "1.000.000.000.000.000.000.000.000.000.000"),
    # phan_tram / ty_le: fixed decimals
    (phan_tram, (2.9, 1), {}, "2,9%"),
    (phan_tram, (100, 0), {}, "100%"),
    (phan_tram, (12.04,), {}, "12,04%"),
    (phan_tram, (0.125,), {}, "0,13%"),
    (phan_tram, (-0.74,), {}, "-0,74%"),
    (ty_le, (150, 37571), {}, "0,40%"),
    (ty_le, (1, 8), {}, "12,50%"),
    (ty_le, (1, 8, 1), {}, "12,5%"),
    (ty_le, (1, 3, 0), {}, "33%"),
    (ty_le, (1, 1), {}, "100,00%"),
    (ty_le, (0, 5), {}, "0,00%"),
    (ty_le, (1, 800), {"digits": 3}, "0,125%"),
    (ty_le, (1, 1600), {}, "0,06%"),
    # tien
    (tien, (0,), {}, "0 đồng"),
    (tien, (50000,), {}, "50.000 đồng"),
    (tien, (1500000.5,), {}, "1.500.001 đồng"),
    (tien, (21000000000, "tỷ"), {}, "21 tỷ đồng"),
    (tien, (21004000000, "tỷ"), {}, "21 tỷ đồng"),
    (tien, (21005000000, "tỷ"), {}, "21,01 tỷ đồng"),
    (tien, (21900000000, "tỷ"), {"digits": 2}, "21,90 tỷ đồng"),
    (tien, (21950000000, "tỷ"), {"digits": 1}, "22,0 tỷ đồng"),
    (tien, (300000, "nghìn"), {}, "300 nghìn đồng"),
    (tien, ("1600000", "triệu"), {}, "1,6 triệu đồng"),
    (tien, (592300000,), {"digits": 2}, "592.300.000,00 đồng"),
    # ngay / ngay_ngan: ND30 leading zeros
    (ngay, (date(2024, 12, 31),), {}, "ngày 31 tháng 12 năm 2024"),
    (ngay, ("2024-02-09", "Lục Bình"), {}, "Lục Bình, ngày 09 tháng 02 năm 2024"),
    (ngay, ("2024-10-10",), {}, "ngày 10 tháng 10 năm 2024"),
    (ngay, ("2024-03-07", "Hưng Yên"), {"thang": 3, "nam": 2024}, "Hưng Yên, ngày 07 tháng 3 năm 2024"),
    (ngay, (None,), {"thang": 1, "nam": 2024}, "ngày      tháng 01 năm 2024"),
    (ngay, (None, "An Bình"), {"thang": 12, "nam": 2024}, "An Bình, ngày      tháng 12 năm 2024"),
    (ngay_ngan, ("2022-01-18",), {}, "18/01/2022"),
    (ngay_ngan, ("2022-08-12",), {}, "12/8/2022"),
    (ngay_ngan, (date(2022, 6, 1),), {}, "01/6/2022"),
    (ngay_ngan, ("2022-12-09",), {}, "09/12/2022"),
    # numbering
    (la_ma, (1,), {}, "I"),
    (la_ma, (9,), {}, "IX"),
    (la_ma, (14,), {}, "XIV"),
    (la_ma, (39,), {}, "XXXIX"),
    (la_ma, ("6",), {}, "VI"),
    (chu_cai, (1,), {}, "a"),
    (chu_cai, (23,), {}, "y"),
    (so_hieu, (45, "KH", "UBND"), {}, "45/KH-UBND"),
    (so_hieu, (1, "QĐ", "UBND"), {}, "01/QĐ-UBND"),
    (so_hieu, (10, "BC", "UBND"), {}, "10/BC-UBND"),
    (so_hieu, (345, "NQ", "HĐND"), {}, "345/NQ-HĐND"),
    (so_hieu, (75, "NQ", "ĐU"), {"dang": True}, "75-NQ/ĐU"),
    (so_hieu, (5, "KH", "TU"), {"dang": True}, "05-KH/TU"),
    (so_hieu, (None, "NQ", "ĐU"), {"dang": True}, "     -NQ/ĐU"),
]


def _label(row: Row) -> str:
    function, args, kwargs, _ = row
    return f"{function.__name__}{args!r}{kwargs or ''}"


@pytest.mark.parametrize("row", SPEC_ROWS + EDGE_ROWS, ids=_label)
def test_rows(row: Row) -> None:
    function, args, kwargs, expected = row
    assert function(*args, **kwargs) == expected


def test_table_names_and_parameters() -> None:
    parameters = {name: list(inspect.signature(function).parameters) for name, function in FILTERS.items()}
    assert parameters == {
        "so": ["value", "digits"],
        "phan_tram": ["value", "digits"],
        "phan_tram_gon": ["value", "digits"],
        "co_so_luong": ["value", "don_vi", "phan_sau"],
        "thoi_ky": ["ky", "nam"],
        "theo_nhom": ["nhom"],
        "ty_le": ["part", "whole", "digits"],
        "tien": ["amount", "unit", "digits"],
        "bang_chu": ["value", "dong", "hoa", "linh", "tu"],
        "ngay": ["value", "noi", "thang", "nam"],
        "ngay_ngan": ["value"],
        "la_ma": ["n"],
        "chu_cai": ["n"],
        "so_hieu": ["so", "loai", "co_quan", "dang"],
    }
    assert all(function.__name__ == name for name, function in FILTERS.items())


BAD_CALLS: list[tuple[Callable[..., str], tuple[Any, ...], object]] = [
    # (filter, arguments, the value the error must name)
    *[
        (f, (bad,), bad)
        for f in (so, phan_tram, tien, bang_chu, la_ma, chu_cai)
        for bad in (None, True, "abc")
    ],
    *[(f, (bad,), bad) for f in (so, phan_tram, tien, bang_chu) for bad in (math.nan, math.inf, -math.inf)],
    (so, ("1.337.000.000",), "1.337.000.000"),
    (so, ("1,5",), "1,5"),
    (so, (Decimal("NaN"),), Decimal("NaN")),
    (so, ([1],), [1]),
    (so, (1, -1), -1),
    (phan_tram, (1, -1), -1),
    (ty_le, (1, 2, -1), -1),
    (so, (1, 1.5), 1.5),
    (so, (1, True), True),
    (tien, (-1,), -1),
    (tien, (1, "đô"), "đô"),
    (bang_chu, (-1,), -1),
    (la_ma, (-1,), -1),
    (la_ma, (0,), 0),
    (la_ma, (40,), 40),
    (la_ma, (2.5,), 2.5),
    (chu_cai, (-1,), -1),
    (chu_cai, (0,), 0),
    (chu_cai, (24,), 24),
    (ty_le, (1, 0), 0),
    (ty_le, (None, 5), None),
    (ty_le, (1, "abc"), "abc"),
    (ngay, (None,), None),
    (ngay, (None, "Lục Bình"), None),
    (ngay, ("abc",), "abc"),
    (ngay, ("07/03/2024",), "07/03/2024"),
    (ngay, ("2024-02-30",), "2024-02-30"),
    (ngay, (True,), True),
    (ngay, (20240307,), 20240307),
    (ngay, ("2024-03-07", 5), 5),
    (ngay_ngan, (None,), None),
    (ngay_ngan, ("2024-13-01",), "2024-13-01"),
    (so_hieu, (-1, "BC", "UBND"), -1),
    (so_hieu, (0, "BC", "UBND"), 0),
    (so_hieu, ("abc", "BC", "UBND"), "abc"),
    (so_hieu, (True, "BC", "UBND"), True),
    (so_hieu, (7, None, "UBND"), None),
    (so_hieu, (7, "BC", ""), 7),
]


@pytest.mark.parametrize(
    ("function", "args", "named"),
    BAD_CALLS,
    # Stable ids (no function addresses), so runs can be compared test by test (`make mutate`).
    ids=[f"{function.__name__}{args!r}"[:60] for function, args, _ in BAD_CALLS],
)
def test_bad_inputs_name_filter_and_value(
    function: Callable[..., str], args: tuple[Any, ...], named: object
) -> None:
    with pytest.raises(FilterError) as raised:
        function(*args)
    assert raised.value.filter_name == function.__name__
    assert f"`{function.__name__}`" in str(raised.value)
    assert repr(named) in str(raised.value)
    assert repr(raised.value.value) == repr(named)  # not merely a digit the reason happens to contain
    assert raised.value.reason


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"thang": 13, "nam": 2024}, None),
        ({"thang": 4, "nam": 0}, None),
        ({"thang": "tư", "nam": 2024}, "tư"),
    ],
)
def test_bad_draft_dates(kwargs: dict[str, Any], named: object) -> None:
    with pytest.raises(FilterError, match="ngay") as raised:
        ngay(None, "Lục Bình", **kwargs)
    assert repr(named) in str(raised.value)


def test_date_must_agree_with_month_and_year() -> None:
    with pytest.raises(FilterError, match="2024-03-07"):
        ngay("2024-03-07", thang=4, nam=2024)


# --- properties ----------------------------------------------------------------------------

_SHAPE = re.compile(r"-?[0-9]{1,3}(?:\.[0-9]{3})*(?:,[0-9]+)?")


def parse(text: str) -> Decimal:
    """Read a Vietnamese-formatted number back."""
    assert _SHAPE.fullmatch(text), text
    return Decimal(text.replace(".", "").replace(",", "."))


def half_up(value: Decimal | Fraction, digits: int) -> Decimal:
    """Reference half-up rounding (ties away from zero), exact via fractions."""
    scaled = abs(Fraction(value)) * 10**digits
    rounded = math.floor(scaled + Fraction(1, 2))
    return Decimal(rounded if value >= 0 else -rounded) / Decimal(10) ** digits


_DIGITS = st.integers(min_value=0, max_value=6)
_DECIMALS = st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**20), max_value=10**20)
# Decimals a YAML float can stand for exactly enough: at most 15 significant digits.
_FLOAT_LITERALS = st.decimals(min_value=-(10**8), max_value=10**8, places=6, allow_nan=False)


@settings(max_examples=1000)
@given(st.integers(min_value=-(10**24), max_value=10**24))
def test_so_integers_round_trip(number: int) -> None:
    assert parse(so(number)) == number
    assert parse(so(number, 0)) == number


@settings(max_examples=1000)
@given(_DECIMALS, _DIGITS)
def test_so_decimals_round_half_up(value: Decimal, digits: int) -> None:
    text = so(value, digits)
    assert parse(text) == half_up(value, digits)
    assert len(text.partition(",")[2]) == digits
    assert parse(so(value)) == value


@settings(max_examples=1000)
@given(_FLOAT_LITERALS, _DIGITS)
def test_so_floats_round_their_decimal_value(literal: Decimal, digits: int) -> None:
    number = float(literal)
    assert parse(so(number, digits)) == half_up(literal, digits)
    assert parse(so(number)) == literal


@settings(max_examples=1000)
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_ty_le_is_half_up_percentage(part: int, whole: int) -> None:
    assert parse(ty_le(part, whole).removesuffix("%")) == half_up(Fraction(part * 100, whole), 2)


@settings(max_examples=1000)
@given(st.integers(min_value=-5, max_value=30))
def test_chu_cai_follows_the_vietnamese_alphabet(number: int) -> None:
    if 1 <= number <= 23:
        assert chu_cai(number) == "abcdđeghiklmnopqrstuvxy"[number - 1]
    else:
        with pytest.raises(FilterError) as raised:
            chu_cai(number)
        assert raised.value.reason == f"chỉ có 23 chữ cái (a … y), nhận thứ tự {number}"


_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}


def read_roman(text: str) -> int:
    values = [_ROMAN_VALUES[char] for char in text]
    return sum(-v if v < nxt else v for v, nxt in zip(values, [*values[1:], 0], strict=True))


@settings(max_examples=1000)
@given(st.integers(min_value=1, max_value=39))
def test_la_ma_round_trips(number: int) -> None:
    text = la_ma(number)
    assert read_roman(text) == number
    assert re.fullmatch(r"X{0,3}(IX|IV|V?I{0,3})", text)


def test_all_letters_and_numerals_distinct() -> None:
    assert len({chu_cai(n) for n in range(1, 24)}) == 23
    assert len({la_ma(n) for n in range(1, 40)}) == 39


@pytest.mark.parametrize(
    ("part", "whole", "digits", "expected"),
    [
        (1, 8, 0, "13%"),  # 12,5 → 13: a tie goes up, not to the even 12
        (1, 8, 1, "12,5%"),
        (1, 16, 1, "6,3%"),  # 6,25 → 6,3
        (3, 16, 1, "18,8%"),  # 18,75 → 18,8
        (1, 20000, 2, "0,01%"),  # 0,005 → 0,01
        (1, 40000, 2, "0,00%"),  # 0,0025 → 0,00
        (5, 8, 0, "63%"),  # 62,5 → 63
    ],
)
def test_ty_le_rounds_ties_up(part: int, whole: int, digits: int, expected: str) -> None:
    assert ty_le(part, whole, digits) == expected


def test_ty_le_over_zero_names_the_reason() -> None:
    with pytest.raises(FilterError) as raised:
        ty_le(3, 0)
    assert raised.value.reason == "tổng (mẫu số) bằng 0"


@pytest.mark.parametrize(
    ("part", "whole", "digits", "expected"),
    [(-1, 8, 0, "-13"), (1, -8, 0, "-13"), (-1, -8, 0, "13"), (-5, 8, 1, "-62.5"), (0, -3, 2, "0.00")],
)
def test_ratio_half_up_rounds_ties_away_from_zero_for_negatives(
    part: int, whole: int, digits: int, expected: str
) -> None:
    assert str(vi.ratio_half_up(Decimal(part), Decimal(whole), digits)) == expected


@pytest.mark.parametrize(
    ("text", "places"), [("12.40", 2), ("3", 0), ("1E+2", 0), ("0.005", 3), ("-7.5", 1), ("Infinity", 0)]
)
def test_decimal_places_counts_the_written_digits(text: str, places: int) -> None:
    assert vi.decimal_places(Decimal(text)) == places


@given(_DECIMALS, _DIGITS)
def test_prose_percentage_is_the_table_one_without_trailing_zeros(value: Decimal, digits: int) -> None:
    fixed, prose = phan_tram(value, digits).removesuffix("%"), phan_tram_gon(value, digits).removesuffix("%")
    assert parse(prose) == parse(fixed)
    assert prose == (fixed.rstrip("0").removesuffix(",") if "," in fixed else fixed)


NOT_A_NUMBER = "không phải là số (số thập phân viết bằng dấu chấm, ví dụ 4.3)"


@pytest.mark.parametrize(
    ("function", "args", "value", "reason"),
    [
        (thoi_ky, (None, "x"), "x", NOT_A_NUMBER),
        (thoi_ky, ({"den_nam": 2024}, 2024), {"den_nam": 2024}, "phải có tu_nam (và den_nam)"),
        (thoi_ky, ("2021", 2024), "2021", "phải có tu_nam (và den_nam)"),
        (thoi_ky, ({"tu_nam": "a"}, 2024), "a", NOT_A_NUMBER),
        (thoi_ky, ({"tu_nam": 2021, "den_nam": True}, 2024), True, "giá trị đúng/sai không phải là số"),
        (theo_nhom, (5,), 5, "phải là một nhóm số liệu"),
        (theo_nhom, ({"ho_ngheo": "a"},), "a", NOT_A_NUMBER),
        (co_so_luong, (-1, "hộ"), -1, "không được là số âm"),
        (co_so_luong, ("x", "hộ"), "x", NOT_A_NUMBER),
        (co_so_luong, (1.5, "hộ"), 1.5, "phải là số nguyên"),
        (phan_tram_gon, ("abc",), "abc", NOT_A_NUMBER),
        (phan_tram_gon, (1, -1), -1, "số chữ số thập phân phải là số nguyên không âm"),
        (phan_tram_gon, (None,), None, "thiếu giá trị"),
    ],
    ids=lambda x: x.__name__ if callable(x) else None,
)
def test_prose_filters_name_the_filter_the_value_and_the_reason(
    function: Callable[..., str], args: tuple[Any, ...], value: object, reason: str
) -> None:
    with pytest.raises(FilterError) as raised:
        function(*args)
    assert (raised.value.filter_name, raised.value.value, raised.value.reason) == (
        function.__name__,
        value,
        reason,
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((None, 2024), "trong năm"),
        (({"tu_nam": 2021, "den_nam": 2024}, 2024), "lũy kế giai đoạn 2021–2024"),
        (({"tu_nam": 2022}, 2025), "lũy kế giai đoạn 2022–2025"),
        (({"tu_nam": 2024}, 2024), "trong năm"),  # a span of the report's year alone
        (({"tu_nam": 2024, "den_nam": 2024}, 2024), "trong năm"),
    ],
)
def test_thoi_ky_reads_the_period(args: tuple[Any, ...], expected: str) -> None:
    assert thoi_ky(*args) == expected


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        ({"ho_ngheo": 11, "ho_can_ngheo": 5}, " (trong đó hộ nghèo: 11, hộ cận nghèo: 5)"),
        ({"ho_ngheo": 0, "ho_can_ngheo": 1200}, " (trong đó hộ cận nghèo: 1.200)"),
        ({"ho_moi_thoat_ngheo": 4}, " (trong đó hộ mới thoát nghèo: 4)"),
        ({}, ""),
    ],
)
def test_theo_nhom_lists_the_groups_it_has(groups: dict[str, int], expected: str) -> None:
    assert theo_nhom(groups) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((12, "hộ", "thoát nghèo"), "có 12 hộ thoát nghèo"),
        ((0, "hộ", "thoát nghèo"), "không có hộ nào thoát nghèo"),
        ((1500, "lượt"), "có 1.500 lượt"),
        ((0, "lượt"), "không có lượt nào"),
    ],
)
def test_co_so_luong_reads_zero_in_words(args: tuple[Any, ...], expected: str) -> None:
    assert co_so_luong(*args) == expected


def test_vi_functions_behind_the_filters_keep_their_defaults() -> None:
    """Kinds and rules call `engine.vi` directly, leaving out what the filters always pass."""
    assert vi.period_phrase(2024, 2024) == "trong năm"
    assert vi.period_phrase(2024, 2021) == "lũy kế giai đoạn 2021–2024"
    assert vi.count_clause(12, "hộ nghèo") == "có 12 hộ nghèo"
    assert vi.count_clause(0, "hộ nghèo") == "không có hộ nghèo nào"
    assert vi.prose_percent(Decimal("2.505")) == "2,51%"
