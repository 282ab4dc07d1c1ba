"""Numbers in words (`bang_chu`): the spec's rules, edge cases, and properties over the whole range.

A small independent reader turns the words back into a number, so every generated reading
is checked for meaning, not only for form.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import vi
from engine.errors import FilterError
from engine.filters import bang_chu

MAX = 999_999_999_999_999

_DIGIT_WORDS = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
}
_SCALES = {"tỷ": 10**9, "triệu": 10**6, "nghìn": 1000}


class _Words:
    """A cursor over the words, refusing any reading the spec does not allow."""

    def __init__(self, text: str) -> None:
        self.words = text.split(" ")
        self.index = 0

    def peek(self, offset: int = 0) -> str | None:
        at = self.index + offset
        return self.words[at] if at < len(self.words) else None

    def take(self) -> str:
        word = self.peek()
        assert word is not None, "the reading ends too early"
        self.index += 1
        return word

    def digit(self) -> int:
        word = self.take()
        assert word in _DIGIT_WORDS, word
        return _DIGIT_WORDS[word]


def _group(words: _Words, leading: bool) -> int:
    """One three-digit group; after the number's first group, hundreds are always read ("không trăm")."""
    hundreds = None
    if words.peek(1) == "trăm":
        hundreds = words.digit()
        words.take()
    assert hundreds is not None or leading, "a group after the first must read its hundreds"
    value = 100 * (hundreds or 0)
    following = words.peek()
    if following in {"linh", "lẻ"}:
        assert hundreds is not None, f"`{following}` only follows `trăm`"
        words.take()
        unit = words.digit()
        assert unit != 0, f"`{following}` must be followed by a digit 1–9"
        return value + unit
    if following == "mười":
        words.take()
        value += 10
    elif following in _DIGIT_WORDS and words.peek(1) == "mươi":
        tens = words.digit()
        assert tens >= 2, "`mươi` follows the digits 2–9"
        words.take()
        value += 10 * tens
    elif following in _DIGIT_WORDS:
        assert hundreds is None, "a unit after `trăm` needs `linh` or `lẻ`"
        return words.digit()
    else:
        return value
    if words.peek() in _DIGIT_WORDS:
        value += words.digit()
    return value


def read_words(text: str) -> int:
    """Vietnamese number words → int; fails on a structure the spec does not allow."""
    words = _Words(text)
    total = section = 0
    leading = True
    while words.peek() is not None:
        if words.peek() == "tỷ" and not leading:  # "một nghìn tỷ": tỷ scales the thousands before it
            words.take()
            total, section = section * 10**9, 0
            continue
        group = _group(words, leading)
        leading = False
        scale = words.peek()
        if scale is None:
            section += group
        elif scale == "tỷ":
            words.take()
            total, section = (section + group) * 10**9, 0
        else:
            assert scale in {"nghìn", "triệu"}, scale
            words.take()
            section += group * _SCALES[scale]
    return total + section


@pytest.mark.parametrize(
    "wrong",
    [
        "một trăm năm",  # 105 without linh
        "một nghìn linh năm",  # 1 005 without "không trăm"
        "một triệu hai mươi mốt",  # 1 000 021 without "không trăm"
        "một trăm linh",
        "linh năm",
        "một mươi",
    ],
)
def test_the_reader_refuses_readings_the_spec_forbids(wrong: str) -> None:
    with pytest.raises(AssertionError):
        read_words(wrong)


SPEC_ROWS = [
    (0, "không"),
    (1, "một"),
    (4, "bốn"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    (24, "hai mươi bốn"),
    (25, "hai mươi lăm"),
    (101, "một trăm linh một"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (115, "một trăm mười lăm"),
    (310, "ba trăm mười"),
    (1_000, "một nghìn"),
    (1_005, "một nghìn không trăm linh năm"),
    (1_021, "một nghìn không trăm hai mươi mốt"),
    (1_100, "một nghìn một trăm"),
    (10_000, "mười nghìn"),
    (21_000, "hai mươi mốt nghìn"),
    (1_000_000, "một triệu"),
    (1_000_021, "một triệu không trăm hai mươi mốt"),
    (5_000_021, "năm triệu không trăm hai mươi mốt"),
    (15_015_015, "mười lăm triệu không trăm mười lăm nghìn không trăm mười lăm"),
    (1_337_000_000, "một tỷ ba trăm ba mươi bảy triệu"),
    (592_300_000, "năm trăm chín mươi hai triệu ba trăm nghìn"),
    (1_000_000_000_000, "một nghìn tỷ"),
    (2_500_000_000_000, "hai nghìn năm trăm tỷ"),
    (1_001_000_000_000, "một nghìn không trăm linh một tỷ"),
    (1_000_005_000_000, "một nghìn tỷ không trăm linh năm triệu"),
    (1_000_000_000_021, "một nghìn tỷ không trăm hai mươi mốt"),
    (
        MAX,
        "chín trăm chín mươi chín nghìn chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu"
        " chín trăm chín mươi chín nghìn chín trăm chín mươi chín",
    ),
]


@pytest.mark.parametrize(("number", "words"), SPEC_ROWS)
def test_spec_rows(number: int, words: str) -> None:
    assert bang_chu(number) == words
    assert read_words(words) == number


@pytest.mark.parametrize(
    ("value", "options", "expected"),
    [
        (592300000, {"dong": True, "hoa": True}, "Năm trăm chín mươi hai triệu ba trăm nghìn đồng"),
        (0, {"dong": True}, "không đồng"),
        (105, {"linh": "lẻ"}, "một trăm lẻ năm"),
        (24, {"tu": True}, "hai mươi tư"),
        (24_000_000_024, {"tu": True}, "hai mươi tư tỷ không trăm hai mươi tư"),
        (104, {"tu": True}, "một trăm linh tư"),
        (14, {"tu": True}, "mười bốn"),
        (21, {"hoa": True}, "Hai mươi mốt"),
        ("1021", {}, "một nghìn không trăm hai mươi mốt"),
        (Decimal("1337000000"), {}, "một tỷ ba trăm ba mươi bảy triệu"),
        (1.5e9, {}, "một tỷ năm trăm triệu"),
        (25.0, {}, "hai mươi lăm"),
    ],
)
def test_options_and_inputs(value: object, options: dict[str, Any], expected: str) -> None:
    assert bang_chu(value, **options) == expected


@pytest.mark.parametrize(
    "value", [None, True, "abc", "1.337.000", float("nan"), float("inf"), -1, 1.5, MAX + 1]
)
def test_bad_values(value: object) -> None:
    with pytest.raises(FilterError, match="bang_chu") as raised:
        bang_chu(value)
    assert repr(value) in str(raised.value)


def test_bad_linh_option() -> None:
    with pytest.raises(FilterError, match="lẻ"):
        bang_chu(105, linh="lẽ")


def test_number_words_defaults() -> None:
    """As `van_ban` figures read them: "linh", and a units 4 read "bốn"."""
    assert vi.number_words(24) == "hai mươi bốn"
    assert vi.number_words(104) == "một trăm linh bốn"


@pytest.mark.parametrize(
    ("function", "argument", "message"),
    [
        (vi.number_words, -1, "chỉ đọc được số nguyên từ 0 đến 999.999.999.999.999"),
        (vi.number_words, MAX + 1, "chỉ đọc được số nguyên từ 0 đến 999.999.999.999.999"),
        (vi.roman, 0, "chỉ viết được số La Mã từ 1 đến 39"),
        (vi.roman, 40, "chỉ viết được số La Mã từ 1 đến 39"),
    ],
)
def test_range_errors_say_what_is_allowed(
    function: Callable[[int], str], argument: int, message: str
) -> None:
    with pytest.raises(ValueError) as raised:
        function(argument)
    assert str(raised.value) == message


def test_bad_linh_says_what_is_allowed() -> None:
    with pytest.raises(ValueError) as raised:
        vi.number_words(105, linh="lẽ")
    assert str(raised.value) == 'tham số linh phải là "linh" hoặc "lẻ"'


def test_injective_and_clean_up_to_a_million() -> None:
    readings = [vi.number_words(n) for n in range(10**6 + 1)]
    assert len(set(readings)) == len(readings)
    assert not [text for text in readings if "  " in text or text != text.strip()]


_ANY = st.integers(min_value=0, max_value=MAX)
_MOT_AFTER_MUOI = re.compile(r"(?<!mươi) mốt|^mốt")
_LAM_ALONE = re.compile(r"(?<!mười)(?<!mươi) lăm|^lăm")


@settings(max_examples=2000)
@given(_ANY, st.sampled_from(["linh", "lẻ"]), st.booleans())
def test_reads_back_over_the_whole_range(number: int, linh: str, tu: bool) -> None:
    words = bang_chu(number, linh=linh, tu=tu)
    assert read_words(words) == number
    assert words == words.strip() and "  " not in words
    assert not _MOT_AFTER_MUOI.search(words) and not _LAM_ALONE.search(words)
    assert words.count("tỷ") <= 1
    if number >= 10:
        assert not words.startswith("không")


@settings(max_examples=1000)
@given(_ANY, _ANY)
def test_injective_over_pairs(first: int, second: int) -> None:
    assert (bang_chu(first) == bang_chu(second)) == (first == second)


@settings(max_examples=1000)
@given(_ANY)
def test_money_form(number: int) -> None:
    words = bang_chu(number, dong=True, hoa=True)
    assert words.endswith(" đồng")
    plain = words.removesuffix(" đồng")
    assert read_words(plain[0].lower() + plain[1:]) == number
    assert words[0].isupper() and words[1:] == plain[1:] + " đồng"
