"""Vietnamese number, word and date forms for official documents (pure functions, no I/O).

Official figures are rounded half-up on their decimal value and dates follow Nghị định
30/2020/NĐ-CP; Babel's defaults do neither (half-even rounding, CLDR date patterns) and
num2words reads inner groups wrongly, so only Babel's locale symbols are used here.
Range checks raise `ValueError` with a Vietnamese reason; `engine.filters` wraps them.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

GROUP = get_group_symbol("vi")  # "."
DECIMAL = get_decimal_symbol("vi")  # ","
MINUS = get_minus_sign_symbol("vi")  # "-"

# 15 significant digits (DBL_DIG) round-trip every float; repr would keep 0.30000000000000004.
_FLOAT_DIGITS = ".15g"

MAX_WORDS = 10**15 - 1
LETTERS = "abcdđeghiklmnopqrstuvxy"  # no f, j, w, z
BLANK_DAY = " " * 4  # with the spaces either side: "ngày      tháng" (6 spaces), for signing by hand
BLANK_NUMBER = " " * 5  # "     /BC-UBND": the number is written in when the document is issued

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_SCALES: tuple[tuple[str, ...], ...] = (("triệu",), ("nghìn",), ())
_ROMAN = (("XXX", 30), ("XX", 20), ("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1))


# --- numbers -------------------------------------------------------------------------------


def exact(value: int | float | Decimal) -> Decimal:
    """The decimal a number stands for: floats read at 15 significant digits (0.1 + 0.2 → 0.3)."""
    if isinstance(value, float):
        return Decimal(format(value, _FLOAT_DIGITS))
    return Decimal(value)


def decimal_places(value: Decimal) -> int:
    """Digits after the point a decimal carries: `Decimal("12.40")` → 2, `Decimal("3")` or `1E+2` → 0."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def round_half_up(value: Decimal, digits: int) -> Decimal:
    """Round to `digits` decimals, ties away from zero (0.125 → 0.13); exact for any size."""
    context = Context(prec=max(28, value.adjusted() + digits + 2), rounding=ROUND_HALF_UP)
    return value.quantize(Decimal((0, (1,), -digits)), context=context)


def ratio_half_up(part: Decimal, whole: Decimal, digits: int) -> Decimal:
    """`part / whole × 100` rounded half-up, computed exactly (no intermediate rounding)."""
    if whole == 0:
        raise ValueError("tổng (mẫu số) bằng 0")
    scaled = Fraction(part) * 100 / Fraction(whole) * 10**digits
    rounded = int(abs(scaled) + Fraction(1, 2))
    return shift(Decimal(rounded if scaled >= 0 else -rounded), -digits)


def shift(value: Decimal, places: int) -> Decimal:
    """`value × 10**places`, exact at any size (a bare `scaleb` rounds to 28 digits)."""
    return value.scaleb(places, context=Context(prec=max(28, len(value.as_tuple().digits))))


def group_digits(integer: str) -> str:
    """`"1337000000"` → `"1.337.000.000"`."""
    head = len(integer) % 3 or 3
    parts = [integer[:head]] + [integer[i : i + 3] for i in range(head, len(integer), 3)]
    return GROUP.join(parts)


def format_number(value: Decimal, digits: int | None = None, *, trim: bool = False) -> str:
    """Vietnamese form: `.` groups, `,` decimals. With `digits`, round half-up to that many
    decimals (kept unless `trim`); without, print the value exactly, trailing zeros dropped."""
    if digits is not None:
        value = round_half_up(value, digits)
    text = format(value.copy_abs(), "f")  # abs() would round to 28 digits
    integer, _, fraction = text.partition(".")
    if trim or digits is None:
        fraction = fraction.rstrip("0")
    sign = MINUS if value < 0 else ""  # a rounded -0,00 compares equal to 0: no sign
    return sign + group_digits(integer) + (DECIMAL + fraction if fraction else "")


def prose_percent(value: Decimal, digits: int = 2) -> str:
    """A percentage standing alone in a sentence: half-up to `digits`, trailing zeros dropped
    (`95.00` → "95%", `2.50` → "2,5%"). Tables and compared pairs keep fixed decimals."""
    return format_number(value, digits, trim=True) + "%"


def period_phrase(year: int, start: int | None = None, end: int | None = None) -> str:
    """When a figure was counted: the report's own year ("trong năm") or a cumulative span
    of the programme period ("lũy kế giai đoạn 2021–2024")."""
    if start is None or (start == (end or year) == year):
        return "trong năm"
    return f"lũy kế giai đoạn {start}–{end or year}"


def count_clause(count: int, unit: str, rest: str = "") -> str:
    """`(12, "hộ", "thoát nghèo")` → "có 12 hộ thoát nghèo"; a zero count reads in words:
    "không có hộ nào thoát nghèo" (`(0, "hộ nghèo")` → "không có hộ nghèo nào")."""
    tail = f" {rest}" if rest else ""
    if count == 0:
        return f"không có {unit} nào{tail}"
    return f"có {format_number(Decimal(count))} {unit}{tail}"


# --- numbers in words ----------------------------------------------------------------------


def _units_after_tens(units: int, tens: int, tu: bool) -> str:
    """The units word after "mười"/"mươi"/"linh": mốt, tư, lăm where the reading changes."""
    if units == 1 and tens >= 2:
        return "mốt"
    if units == 4 and tu and tens != 1:
        return "tư"
    if units == 5 and tens >= 1:
        return "lăm"
    return _DIGITS[units]


def _group_words(number: int, inner: bool, linh: str, tu: bool) -> list[str]:
    """Words for 1…999; an inner group keeps "không trăm" and "linh" (1.021 → …không trăm…)."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or inner:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words += [linh, _units_after_tens(units, 0, tu)]
        elif units:
            words.append(_DIGITS[units])
        return words
    words += ["mười"] if tens == 1 else [_DIGITS[tens], "mươi"]
    if units:
        words.append(_units_after_tens(units, tens, tu))
    return words


def _words(number: int, linh: str, tu: bool) -> list[str]:
    """Words for a positive number: the count of tỷ first (itself read with nghìn, triệu), then
    triệu, nghìn and units; every group after the first non-zero one is read in full."""
    billions, rest = divmod(number, 10**9)
    words = [*_words(billions, linh, tu), "tỷ"] if billions else []
    groups = (rest // 10**6, rest // 1000 % 1000, rest % 1000)
    for scale, group in zip(_SCALES, groups, strict=True):
        if group:
            words += [*_group_words(group, bool(words), linh, tu), *scale]
    return words


def number_words(number: int, *, linh: str = "linh", tu: bool = False) -> str:
    """0 … 999.999.999.999.999 in words: `1337000000` → "một tỷ ba trăm ba mươi bảy triệu".

    Above tỷ the groups repeat: 10¹² → "một nghìn tỷ", 2.500 tỷ → "hai nghìn năm trăm tỷ".
    An all-zero group is skipped. `linh` may be "lẻ"; `tu=True` reads a units 4 as "tư"
    after "mươi" or "linh" ("hai mươi tư").
    """
    if not 0 <= number <= MAX_WORDS:
        raise ValueError("chỉ đọc được số nguyên từ 0 đến 999.999.999.999.999")
    if linh not in {"linh", "lẻ"}:
        raise ValueError('tham số linh phải là "linh" hoặc "lẻ"')
    return " ".join(_words(number, linh, tu)) if number else _DIGITS[0]


def capitalize_first(text: str) -> str:
    """Upper-case the first letter only (str.capitalize would lower the rest)."""
    return text[:1].upper() + text[1:]


# --- dates (ND30) --------------------------------------------------------------------------


def _day(day: int) -> str:
    return f"{day:02d}"


def _month(month: int) -> str:
    """ND30: months 1 and 2 take a leading zero, 3 … 12 do not."""
    if not 1 <= month <= 12:
        raise ValueError("tháng phải từ 1 đến 12")
    return f"{month:02d}" if month < 3 else str(month)


def long_date(day: date | None, month: int, year: int, place: str | None = None) -> str:
    """`Hưng Yên, ngày 07 tháng 3 năm 2024`; `day=None` leaves the day blank for a draft."""
    if year < 1:
        raise ValueError("năm phải là số dương")
    day_text = BLANK_DAY if day is None else _day(day.day)
    text = f"ngày {day_text} tháng {_month(month)} năm {year}"
    return f"{place}, {text}" if place else text


def short_date(day: date) -> str:
    """`07/3/2024`, as in "Kế hoạch số 45/KH-UBND ngày 07/3/2024"."""
    return f"{_day(day.day)}/{_month(day.month)}/{day.year}"


# --- numbering ----------------------------------------------------------------------------


def roman(number: int) -> str:
    """1 … 39 as Roman numerals (section headings I, II, … of an official document)."""
    if not 1 <= number <= 39:
        raise ValueError("chỉ viết được số La Mã từ 1 đến 39")
    text = ""
    for numeral, amount in _ROMAN:
        count, number = divmod(number, amount)
        text += numeral * count
    return text


def letter(number: int) -> str:
    """1-based Vietnamese letter (a, b, c, d, đ, e, g, …): no f, j, w, z in headings."""
    if not 1 <= number <= len(LETTERS):
        raise ValueError(f"chỉ có {len(LETTERS)} chữ cái (a … y), nhận thứ tự {number}")
    return LETTERS[number - 1]


def document_number(number: int | None, kind: str, body: str, party: bool = False) -> str:
    """`07/BC-UBND`; party style `75-NQ/ĐU`; `None` leaves the number blank for a draft."""
    if number is not None and number < 1:
        raise ValueError("số văn bản phải từ 1 trở lên")
    if not kind or not body:
        raise ValueError("thiếu mã loại văn bản hoặc mã cơ quan")
    text = BLANK_NUMBER if number is None else f"{number:02d}"
    return f"{text}-{kind}/{body}" if party else f"{text}/{kind}-{body}"
