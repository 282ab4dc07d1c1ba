"""The Jinja filter table: Vietnamese figures, words, dates and numbering for templates.

Each filter is a plain function, equally usable from Python. It accepts what YAML gives
(int, float, Decimal, numeric strings with a decimal point, ISO dates or `date`) and
returns the exact text official documents print (spec/formatting.md). Anything else
raises `FilterError` naming the filter and the value, so a bad figure stops the render
instead of printing "None" or "nan". The formatting itself lives in `engine.vi`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from engine import vi
from engine.errors import FilterError

_NUMERIC = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_UNIT_EXPONENTS = {"nghìn": 3, "triệu": 6, "tỷ": 9}


def _number(name: str, value: object) -> Decimal:
    """The exact decimal behind a YAML number; bool, None, NaN and ±inf are refused."""
    if value is None:
        raise FilterError(name, value, "thiếu giá trị")
    if isinstance(value, bool):
        raise FilterError(name, value, "giá trị đúng/sai không phải là số")
    if isinstance(value, int | float | Decimal):
        number = vi.exact(value)
        if not number.is_finite():
            raise FilterError(name, value, "không phải là số hữu hạn")
        return number
    if isinstance(value, str) and _NUMERIC.fullmatch(value.strip()):
        return Decimal(value.strip())
    raise FilterError(name, value, "không phải là số (số thập phân viết bằng dấu chấm, ví dụ 4.3)")


def _integer(name: str, value: object) -> int:
    number = _number(name, value)
    if number != number.to_integral_value():
        raise FilterError(name, value, "phải là số nguyên")
    return int(number)


def _non_negative(name: str, value: object) -> Decimal:
    number = _number(name, value)
    if number < 0:
        raise FilterError(name, value, "không được là số âm")
    return number


def _places(name: str, digits: int) -> int:
    if isinstance(digits, int) and not isinstance(digits, bool) and digits >= 0:
        return digits
    raise FilterError(name, digits, "số chữ số thập phân phải là số nguyên không âm")


def _digits(name: str, digits: int | None) -> int | None:
    return None if digits is None else _places(name, digits)


def _date(name: str, value: object) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise FilterError(name, value, "ngày không có thật") from None
    raise FilterError(name, value, "không phải là ngày (viết dạng YYYY-MM-DD, ví dụ 2024-03-07)")


def _checked(name: str, value: object, make: Callable[[], str]) -> str:
    """Run an `engine.vi` function, turning its range errors into a `FilterError`."""
    try:
        return make()
    except ValueError as error:
        raise FilterError(name, value, str(error)) from None


# Babel's format_decimal rounds half-even (0.125 → 0,12); official figures round half-up.
def so(value: object, digits: int | None = None) -> str:
    """`1337000000` → `1.337.000.000`; `4.3` → `4,3`; `so(2.675, 1)` → `2,7`; `so(0.4, 2)` → `0,40`.

    Without `digits` the value is printed exactly, trailing zeros dropped; with it, the
    value is rounded half-up to exactly that many decimals.
    """
    return vi.format_number(_number("so", value), _digits("so", digits))


# Babel's format_percent has no decimals (0.0066 → "1%") and wants a fraction, not a percent.
def phan_tram(value: object, digits: int = 2) -> str:
    """A value already in percent: `0.66` → `0,66%`, `phan_tram(2.9, 1)` → `2,9%` (fixed decimals)."""
    return vi.format_number(_number("phan_tram", value), _places("phan_tram", digits)) + "%"


def phan_tram_gon(value: object, digits: int = 2) -> str:
    """A percentage alone in a sentence (README "Quy tắc câu chữ"): `95.0` → `95%`, `2.50` → `2,5%`."""
    return vi.prose_percent(_number("phan_tram_gon", value), _places("phan_tram_gon", digits))


def co_so_luong(value: object, don_vi: str, phan_sau: str = "") -> str:
    """`co_so_luong(12, "hộ", "thoát nghèo")` → "có 12 hộ thoát nghèo"; 0 → "không có hộ nào thoát nghèo"."""
    count = _integer("co_so_luong", value)
    if count < 0:
        raise FilterError("co_so_luong", value, "không được là số âm")
    return vi.count_clause(count, don_vi, phan_sau)


def thoi_ky(ky: object, nam: object) -> str:
    """The period a figure covers: no `ky` → "trong năm"; `{tu_nam: 2021, den_nam: 2024}` →
    "lũy kế giai đoạn 2021–2024" (`den_nam` defaults to the report's year)."""
    year = _integer("thoi_ky", nam)
    if ky is None:
        return vi.period_phrase(year)
    if not isinstance(ky, dict) or "tu_nam" not in ky:
        raise FilterError("thoi_ky", ky, "phải có tu_nam (và den_nam)")
    start = _integer("thoi_ky", ky["tu_nam"])
    end = _integer("thoi_ky", ky.get("den_nam") or year)
    return vi.period_phrase(year, start, end)


_GROUPS = {"ho_ngheo": "hộ nghèo", "ho_can_ngheo": "hộ cận nghèo", "ho_moi_thoat_ngheo": "hộ mới thoát nghèo"}


def theo_nhom(nhom: object) -> str:
    """A policy's split by household group, zero parts left out: `{ho_ngheo: 11, ho_can_ngheo: 5}` →
    " (trong đó hộ nghèo: 11, hộ cận nghèo: 5)"; "" without a split."""
    if not isinstance(nhom, dict):
        raise FilterError("theo_nhom", nhom, "phải là một nhóm số liệu")
    parts = [
        f"{label}: {vi.format_number(vi.exact(_integer('theo_nhom', nhom[key])))}"
        for key, label in _GROUPS.items()
        if nhom.get(key)
    ]
    return f" (trong đó {', '.join(parts)})" if parts else ""


def ty_le(part: object, whole: object, digits: int = 2) -> str:
    """`part / whole × 100`, half-up: `ty_le(2675, 407668)` → `0,66%`; `whole` 0 is an error."""
    places = _places("ty_le", digits)
    numerator, denominator = _number("ty_le", part), _number("ty_le", whole)
    rate = _checked(
        "ty_le", whole, lambda: vi.format_number(vi.ratio_half_up(numerator, denominator, places), places)
    )
    return rate + "%"


# Babel's format_currency gives "592.300.000 ₫"; documents write the unit out as "đồng".
def tien(amount: object, unit: str | None = None, digits: int | None = None) -> str:
    """`592300000` → `592.300.000 đồng`; `tien(21900000000, "tỷ")` → `21,9 tỷ đồng`.

    Without a unit: whole đồng (half-up). With "nghìn", "triệu" or "tỷ": at most 2 decimals,
    trailing zeros dropped. An explicit `digits` fixes the number of decimals either way.
    """
    value, places = _non_negative("tien", amount), _digits("tien", digits)
    if unit is None:
        return f"{vi.format_number(value, 0 if places is None else places)} đồng"
    if unit not in _UNIT_EXPONENTS:
        raise FilterError("tien", unit, 'đơn vị phải là "nghìn", "triệu" hoặc "tỷ"')
    scaled = vi.shift(value, -_UNIT_EXPONENTS[unit])
    text = vi.format_number(scaled, 2 if places is None else places, trim=places is None)
    return f"{text} {unit} đồng"


def bang_chu(
    value: object, dong: bool = False, hoa: bool = False, linh: str = "linh", tu: bool = False
) -> str:
    """`1337000000` → "một tỷ ba trăm ba mươi bảy triệu"; `dong=True` appends "đồng",
    `hoa=True` capitalizes the first letter (as inside "(Bằng chữ: …)")."""
    number = _integer("bang_chu", value)
    words = _checked("bang_chu", value, lambda: vi.number_words(number, linh=linh, tu=tu))
    if dong:
        words += " đồng"
    return vi.capitalize_first(words) if hoa else words


# Babel's Vietnamese date patterns are not the ND30 form ("ngày 07 tháng 3 năm 2024").
def ngay(value: object, noi: str | None = None, thang: int | None = None, nam: int | None = None) -> str:
    """`ngay("2024-03-07", "Hưng Yên")` → `Hưng Yên, ngày 07 tháng 3 năm 2024`.

    `value=None` is a draft: the day is left blank and `thang`, `nam` are required. With a
    date, `thang`/`nam` are optional but must agree with it.
    """
    if noi is not None and not isinstance(noi, str):
        raise FilterError("ngay", noi, "địa danh phải là chuỗi")
    month = None if thang is None else _integer("ngay", thang)
    year = None if nam is None else _integer("ngay", nam)
    if value is None:
        if month is None or year is None:
            raise FilterError("ngay", value, "bản nháp chưa có ngày phải có tháng và năm")
        return _checked("ngay", value, lambda: vi.long_date(None, month, year, noi))
    day = _date("ngay", value)
    if month not in {None, day.month} or year not in {None, day.year}:
        raise FilterError("ngay", value, f"không khớp với tháng/năm đã cho ({thang}/{nam})")
    return vi.long_date(day, day.month, day.year, noi)


def ngay_ngan(value: object) -> str:
    """ND30 short form: `2024-03-07` → `07/3/2024`."""
    return vi.short_date(_date("ngay_ngan", value))


def la_ma(n: object) -> str:
    """`4` → `IV` (1 … 39)."""
    number = _integer("la_ma", n)
    return _checked("la_ma", n, lambda: vi.roman(number))


def chu_cai(n: object) -> str:
    """1-based Vietnamese letter: `5` → `đ`, `6` → `e`, `7` → `g` (1 … 23)."""
    number = _integer("chu_cai", n)
    return _checked("chu_cai", n, lambda: vi.letter(number))


def so_hieu(so: object, loai: str, co_quan: str, dang: bool = False) -> str:
    """`so_hieu(7, "BC", "UBND")` → `07/BC-UBND`; `None` → `     /BC-UBND` (draft);
    `dang=True` is the party style `75-NQ/ĐU`."""
    number = None if so is None else _integer("so_hieu", so)
    for code in (loai, co_quan):
        if not isinstance(code, str):
            raise FilterError("so_hieu", code, "mã loại văn bản và mã cơ quan phải là chuỗi")
    return _checked("so_hieu", so, lambda: vi.document_number(number, loai, co_quan, dang))


FILTERS: dict[str, Callable[..., str]] = {
    "so": so,
    "phan_tram": phan_tram,
    "phan_tram_gon": phan_tram_gon,
    "co_so_luong": co_so_luong,
    "thoi_ky": thoi_ky,
    "theo_nhom": theo_nhom,
    "ty_le": ty_le,
    "tien": tien,
    "bang_chu": bang_chu,
    "ngay": ngay,
    "ngay_ngan": ngay_ngan,
    "la_ma": la_ma,
    "chu_cai": chu_cai,
    "so_hieu": so_hieu,
}
