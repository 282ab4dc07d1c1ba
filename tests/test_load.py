"""`engine.load`: plain data, positions, and one located Vietnamese message per problem in hand-typed YAML."""

from __future__ import annotations

import json
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from ruamel.yaml.error import YAMLError

from engine import load
from engine.errors import Issue, ReportError
from engine.load import LoadedDocument, Positions, load_document
from tests.conftest import SAMPLES

CONTROL_HINT = "(thường do dán từ Word/Excel; hãy xóa ký tự này hoặc gõ lại đoạn đó)"
TAG_HINT = "(tệp dữ liệu chỉ chứa chữ, số, danh sách và các trường; hãy xóa phần bắt đầu bằng `!`)"


def write(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "demo.yaml"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def loaded(tmp_path: Path, content: str | bytes) -> LoadedDocument:
    return load_document(write(tmp_path, content), "demo.yaml")


def problems(tmp_path: Path, content: str | bytes) -> list[str]:
    with pytest.raises(ReportError) as caught:
        loaded(tmp_path, content)
    return [issue.format() for issue in caught.value.issues]


def test_builds_plain_values_with_yaml_1_2_core_scalars(tmp_path: Path) -> None:
    text = (
        "loai: demo\n"
        "so: [1, -2, +3, 0o17, 0x1F, 1.5, 1e3, .inf, true, False, ~, null, '']\n"
        "chu: [yes, no, on, 1_000, 1.337.000.000, 0912]\n"
        "ngay: [2023-06-15, 2023-02-30, 2023-06-15 10:00]\n"
        'khac: {"a b": !!str 12, c: !!float 1, d: !!int "7"}\n'
        "doan: |\n  dòng một\n  dòng hai\n"
    )
    data = loaded(tmp_path, text).data
    assert data == {
        "loai": "demo",
        "so": [1, -2, 3, 15, 31, 1.5, 1000.0, float("inf"), True, False, None, None, ""],
        "chu": ["yes", "no", "on", "1_000", "1.337.000.000", 912],
        "ngay": ["2023-06-15", "2023-02-30", "2023-06-15 10:00"],
        "khac": {"a b": "12", "c": 1.0, "d": 7},
        "doan": "dòng một\ndòng hai\n",
    }
    assert type(data["khac"]["c"]) is float


@pytest.mark.parametrize("sign", ["", "-", "+"])
def test_an_integer_longer_than_python_converts_stays_text(tmp_path: Path, sign: str) -> None:
    digits = sign + "9" * 5000
    assert loaded(tmp_path, f"loai: demo\nso: {digits}\n").data["so"] == digits


def test_records_value_key_and_number_text_positions(tmp_path: Path) -> None:
    doc = loaded(
        tmp_path, "# chú thích\nloai: demo\ntin_dung:\n  so_tien: 300.000\n  ds:\n    - a\n    - 0912\n"
    )
    positions = doc.positions
    assert positions.value(()) == (2, 1)
    assert positions.value(("tin_dung",)) == (4, 3)
    assert positions.value(("tin_dung", "so_tien")) == (4, 12)
    assert positions.value(("tin_dung", "ds", 1)) == (7, 7)
    assert positions.key(("tin_dung", "so_tien")) == (4, 3)
    assert positions.text(("tin_dung", "so_tien")) == "300.000"
    assert positions.text(("tin_dung", "ds", 1)) == "0912"
    assert positions.text(("loai",)) is None


def test_missing_paths_fall_back_to_nearest_ancestor(tmp_path: Path) -> None:
    positions = loaded(tmp_path, "loai: demo\ntin_dung:\n  so_tien: 5\n").positions
    assert positions.value(("tin_dung", "ho_ngheo")) == (3, 3)
    assert positions.value(("khong_co", "sau", 3)) == (1, 1)
    assert positions.key(("tin_dung", "ho_ngheo")) == (3, 3)
    assert Positions().value(("x",)) == (1, 1)


def test_locate_fills_from_path_and_keeps_a_position_already_set(tmp_path: Path) -> None:
    positions = loaded(tmp_path, "loai: demo\ntin_dung:\n  so_tien: 5\n").positions
    issue = Issue("phải là số nguyên", path=("tin_dung", "so_tien"))
    assert (
        positions.locate(issue, "demo.yaml").format()
        == "demo.yaml:3:12: lỗi: tin_dung.so_tien: phải là số nguyên"
    )
    placed = Issue("x", path=("tin_dung",), line=9, col=2)
    assert positions.locate(placed, "demo.yaml") == placed.at("demo.yaml", 9, 2)
    assert positions.locate(placed.at("khac.yaml", 9, 2), "demo.yaml").file == "khac.yaml"


def test_every_duplicate_key_is_reported_with_its_first_line(tmp_path: Path) -> None:
    text = "nam: 2024\nnam: 2023\ntin_dung:\n  ho_ngheo: 3\n  ho_can_ngheo: 2\n  ho_ngheo: 4\n"
    assert problems(tmp_path, text) == [
        "demo.yaml:2:1: lỗi: nam: trường bị lặp lại, đã có ở dòng 1 (giữ một dòng, xóa dòng còn lại)",
        "demo.yaml:6:3: lỗi: tin_dung.ho_ngheo: trường bị lặp lại, đã có ở dòng 4 "
        "(giữ một dòng, xóa dòng còn lại)",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "tin_dung:\n  ho_ngheo: 3\n\tho_can_ngheo: 2\n",
            "demo.yaml:3:1: lỗi: có ký tự Tab ở đây "
            "(YAML không cho dùng Tab để thụt lề hay ngăn cách; hãy thay bằng dấu cách)",
        ),
        (
            'co_quan:\n  ten: "UBND xã\n  dia_danh: An Bình\n',
            'demo.yaml:2:8: lỗi: dấu ngoặc " mở ở đây nhưng chưa đóng (thêm dấu " ở cuối giá trị)',
        ),
        (
            "co_quan:\n  ten: 'UBND xã\n",
            "demo.yaml:2:8: lỗi: dấu ngoặc ' mở ở đây nhưng chưa đóng (thêm dấu ' ở cuối giá trị)",
        ),
        (
            "ghi_chu: Ghi chú: xem phụ lục\n",
            "demo.yaml:1:17: lỗi: dấu `:` không hợp lệ ở đây (giá trị có dấu `:` như `Ghi chú: …` phải đặt "
            "trong ngoặc kép; nếu đây là trường mới thì thiếu dấu cách sau `:` hoặc thụt lề sai)",
        ),
        (
            "nam: 2024\nso_thang\nloai: demo\n",
            "demo.yaml:2:1: lỗi: thiếu dấu `:` sau tên trường (mỗi dòng phải có dạng `tên_trường: giá trị`; "
            "đoạn văn nhiều dòng hãy đặt trong ngoặc kép)",
        ),
        (
            "tin_dung:\n    ho_ngheo: 3\n  ho_can_ngheo: 2\n",
            "demo.yaml:3:3: lỗi: thụt lề không đúng "
            "(các trường cùng cấp phải thẳng cột với nhau, cùng số dấu cách đầu dòng)",
        ),
        (
            'ten: "UBND" xã\n',
            "demo.yaml:1:13: lỗi: có chữ thừa sau giá trị đã đóng ngoặc "
            "(đặt cả giá trị trong một cặp ngoặc kép)",
        ),
        ("ds: [1, 2\nnam: 3\n", "demo.yaml:1:5: lỗi: thiếu dấu phẩy hoặc dấu `]` đóng ngoặc"),
        (
            "ma: @abc\n",
            "demo.yaml:1:5: lỗi: ký tự `@` không được đứng đầu giá trị (hãy đặt cả giá trị trong ngoặc kép)",
        ),
        (
            "nam: 1\n---\nnam: 2\n",
            "demo.yaml:2:1: lỗi: tệp chỉ được chứa một khối dữ liệu (xóa dòng `---` này)",
        ),
        (
            "a: *goc\n",
            "demo.yaml:1:4: lỗi: bí danh `*goc` chưa được khai báo (cần có `&goc` ở giá trị gốc phía trên)",
        ),
        ("a: [1, 2]]\n", "demo.yaml:1:10: lỗi: lỗi cú pháp YAML: expected <block end>, but found ']'"),
    ],
    ids=[
        "tab",
        "double-quote",
        "single-quote",
        "colon",
        "no-colon",
        "indent",
        "after-quote",
        "flow",
        "at",
        "two-documents",
        "undefined-alias",
        "fallback",
    ],
)
def test_syntax_errors_are_one_located_vietnamese_issue(tmp_path: Path, text: str, expected: str) -> None:
    assert problems(tmp_path, text) == [expected]


def test_utf8_bom_and_windows_line_ends_are_accepted(tmp_path: Path) -> None:
    doc = loaded(tmp_path, b"\xef\xbb\xbfloai: demo\r\nten: x\r\n")
    assert doc.data == {"loai": "demo", "ten": "x"}
    assert doc.positions.key(("loai",)) == (1, 1)
    assert doc.positions.value(("ten",)) == (2, 6)


def test_non_utf8_points_at_the_first_bad_byte(tmp_path: Path) -> None:
    content = "loai: demo\nten: Ủy ban nh".encode() + "ân dân".encode("cp1258") + b"\n"
    assert problems(tmp_path, content) == [
        "demo.yaml:2:15: lỗi: tệp không phải mã UTF-8: không đọc được byte 0xE2 "
        "(mở tệp và lưu lại với mã hóa UTF-8; Notepad: Lưu thành… → Mã hóa: UTF-8)"
    ]


def test_utf16_is_named(tmp_path: Path) -> None:
    assert problems(tmp_path, "loai: demo\n".encode("utf-16")) == [
        "demo.yaml:1:1: lỗi: tệp được lưu bằng mã UTF-16, không phải UTF-8 "
        "(mở tệp và lưu lại với mã hóa UTF-8; Notepad: Lưu thành… → Mã hóa: UTF-8)"
    ]


def test_decomposed_vietnamese_is_normalized_to_nfc(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "dia_danh: Lục Bình\nghi_chú: Hưng Yên\n")
    data = loaded(tmp_path, decomposed).data
    assert data == {"dia_danh": "Lục Bình", "ghi_chú": "Hưng Yên"}
    assert all(unicodedata.is_normalized("NFC", text) for text in [*data, *data.values()])


def test_keys_equal_after_nfc_are_duplicates(tmp_path: Path) -> None:
    text = "ghi_chú: a\n" + unicodedata.normalize("NFD", "ghi_chú: b\n")
    assert problems(tmp_path, text) == [
        "demo.yaml:2:1: lỗi: ghi_chú: trường bị lặp lại, đã có ở dòng 1 (giữ một dòng, xóa dòng còn lại)"
    ]


def test_control_characters_are_located_raw_and_escaped(tmp_path: Path) -> None:
    assert problems(tmp_path, 'ten: Ủy ban\x0bxã\nghi_chu: "a\\x07b"\nx: \x00\n') == [
        f"demo.yaml:1:12: lỗi: ký tự điều khiển U+000B không được phép {CONTROL_HINT}",
        f"demo.yaml:2:10: lỗi: ghi_chu: có ký tự điều khiển U+0007 trong chuỗi {CONTROL_HINT}",
        f"demo.yaml:3:4: lỗi: ký tự điều khiển U+0000 không được phép {CONTROL_HINT}",
    ]


def test_many_control_characters_are_summarized(tmp_path: Path) -> None:
    found = problems(tmp_path, "ten: " + "\x01" * 25 + "\n")
    assert len(found) == load.MAX_CONTROL_REPORTS + 1
    assert found[-1] == "demo.yaml:1:26: lỗi: còn 5 ký tự điều khiển khác từ đây trở đi"


def test_alias_bomb_is_refused_fast(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 10)]
    started = time.perf_counter()
    found = problems(tmp_path, "\n".join(lines) + "\n")
    assert time.perf_counter() - started < 2
    assert found == [
        "demo.yaml:5:5: lỗi: quá nhiều giá trị sau khi mở rộng bí danh (hơn 100.000) "
        "(tệp có thể bị hỏng; hãy bớt dùng `*bí_danh`)"
    ]


def test_aliases_and_merge_keys_expand_to_independent_values(tmp_path: Path) -> None:
    text = "goc: &goc {don_vi: hộ, so: 1}\nmot: *goc\nhai:\n  <<: *goc\n  so: 2\n"
    data = loaded(tmp_path, text).data
    assert data == {
        "goc": {"don_vi": "hộ", "so": 1},
        "mot": {"don_vi": "hộ", "so": 1},
        "hai": {"don_vi": "hộ", "so": 2},
    }
    assert data["mot"] is not data["goc"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: &x [*x]\n", "demo.yaml:1:4: lỗi: bí danh trỏ vào chính giá trị chứa nó"),
        (
            "a: " + "[" * 150 + "]" * 150 + "\n",
            "demo.yaml:1:103: lỗi: dữ liệu lồng nhau quá sâu "
            "(tệp dữ liệu chỉ cần vài cấp trường lồng nhau; kiểm tra các dấu ngoặc `[` chưa đóng)",
        ),
        (
            "a: &a 1\nb:\n  <<: *a\n",
            "demo.yaml:1:4: lỗi: b: `<<` phải trỏ tới một nhóm trường, ví dụ `<<: *chung`",
        ),
        (
            "? [1]\n: 2\n",
            "demo.yaml:1:3: lỗi: tên trường phải là chữ đơn giản, không phải danh sách hay nhóm trường",
        ),
        ('a: !!int "hai"\n', 'demo.yaml:1:4: lỗi: a: giá trị "hai" không đúng với thẻ `!!int`'),
    ],
    ids=["alias-cycle", "too-deep", "bad-merge", "complex-key", "tag-mismatch"],
)
def test_structural_problems(tmp_path: Path, text: str, expected: str) -> None:
    assert problems(tmp_path, text) == [expected]


def test_python_and_custom_tags_are_refused(tmp_path: Path) -> None:
    text = "a: !!python/object/apply:os.system ['echo hi']\nb: !custom 3\nc: !!timestamp 2023-06-15\n"
    assert problems(tmp_path, text) == [
        f"demo.yaml:1:4: lỗi: a: thẻ `!!python/object/apply:os.system` không được phép {TAG_HINT}",
        f"demo.yaml:2:4: lỗi: b: thẻ `!custom` không được phép {TAG_HINT}",
        f"demo.yaml:3:4: lỗi: c: thẻ `!!timestamp` không được phép {TAG_HINT}",
    ]


@pytest.mark.parametrize("text", ["", "# chỉ có chú thích\n", "~\n", "---\n"])
def test_empty_file(tmp_path: Path, text: str) -> None:
    assert problems(tmp_path, text) == [
        "demo.yaml:1:1: lỗi: tệp không có dữ liệu "
        "(tệp phải có các dòng `tên_trường: giá trị`, bắt đầu bằng `loai: …`)"
    ]


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    assert problems(tmp_path, "# danh sách\n- loai: demo\n- nam: 2024\n") == [
        "demo.yaml:2:1: lỗi: cấp ngoài cùng của tệp phải là các dòng `tên_trường: giá trị`, "
        "không phải một danh sách (bỏ dấu `-` ở đầu các dòng ngoài cùng)"
    ]
    assert problems(tmp_path, "chỉ một dòng chữ\n") == [
        "demo.yaml:1:1: lỗi: cấp ngoài cùng của tệp phải là các dòng `tên_trường: giá trị`, "
        "không phải một giá trị đơn"
    ]


def test_problems_from_every_check_come_together_in_file_order(tmp_path: Path) -> None:
    text = 'a: !custom 1\nb: "x\\x07"\nb: 2\n'
    assert problems(tmp_path, text) == [
        f"demo.yaml:1:4: lỗi: a: thẻ `!custom` không được phép {TAG_HINT}",
        f"demo.yaml:2:4: lỗi: b: có ký tự điều khiển U+0007 trong chuỗi {CONTROL_HINT}",
        "demo.yaml:3:1: lỗi: b: trường bị lặp lại, đã có ở dòng 2 (giữ một dòng, xóa dòng còn lại)",
    ]


def test_oversized_file_is_refused_at_the_line_passing_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(load, "MAX_BYTES", 30)
    assert problems(tmp_path, "loai: bao_cao_6_thang\ncan_cu: " + "a" * 40 + "\n") == [
        "demo.yaml:2:1: lỗi: tệp quá lớn (hơn 0 MB), vượt giới hạn ở dòng này "
        "(tệp dữ liệu thường chỉ vài chục KB; kiểm tra đoạn văn bị dán nhiều lần)"
    ]


def test_too_many_written_values_stop_composing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "MAX_VALUES", 9)  # aliases are not counted again
    assert problems(tmp_path, "a: &x [1, 2]\nb: [*x, *x]\nc: [3, 4, 5]\n") == [
        "demo.yaml:3:5: lỗi: tệp có quá nhiều giá trị (hơn 9), dừng đọc ở đây "
        "(một văn bản chỉ cần vài nghìn giá trị; hãy tách bảng rất dài ra tệp khác)"
    ]


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ReportError) as caught:
        load_document(tmp_path / "khong_co.yaml", "khong_co.yaml")
    assert [issue.format() for issue in caught.value.issues] == ["khong_co.yaml: lỗi: không tìm thấy tệp"]
    with pytest.raises(ReportError) as caught:
        load_document(tmp_path)
    assert [issue.format() for issue in caught.value.issues] == [
        f"{tmp_path}: lỗi: đây là thư mục, không phải tệp"
    ]


def test_display_name_defaults_to_the_path(tmp_path: Path) -> None:
    path = write(tmp_path, "loai: demo\n")
    assert load_document(path).file == str(path)


# JSON is YAML: any JSON object of plain values must load back unchanged (NFC apart).
TEXT = st.text(
    st.characters(
        max_codepoint=0xFFFD, exclude_categories=("Cc", "Cs", "Zl", "Zp")
    ),  # U+FFFE/U+FFFF are refused like control characters
    max_size=30,
)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20,
)


def nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc(item) for item in value]
    if isinstance(value, dict):
        return {nfc(key): nfc(item) for key, item in value.items()}
    return value


def distinct_after_nfc(value: Any) -> bool:
    if isinstance(value, dict):
        keys = [unicodedata.normalize("NFC", key) for key in value]
        return len(set(keys)) == len(keys) and all(distinct_after_nfc(item) for item in value.values())
    return all(distinct_after_nfc(item) for item in value) if isinstance(value, list) else True


@given(st.dictionaries(TEXT, VALUES, max_size=5))
def test_json_documents_round_trip(data: dict[str, Any]) -> None:
    assume(distinct_after_nfc(data))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        assert load_document(path).data == nfc(data)


@pytest.mark.parametrize("sample", SAMPLES, ids=[path.stem for path in SAMPLES])
def test_libyaml_and_pure_parser_load_the_same(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # ruamel.yaml.clib is a dependency on CPython; without it this would compare pure with pure.
    assert load.HAVE_LIBYAML
    fast = load_document(sample)
    monkeypatch.setattr("engine.load.HAVE_LIBYAML", False)
    pure = load_document(sample)
    assert fast.data == pure.data
    assert fast.positions == pure.positions


def test_libyaml_refuses_too_many_values_like_the_pure_parser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "dai.yaml"
    path.write_text("loai: x\nds:\n" + "".join(f"  - {index}\n" for index in range(25_000)), encoding="utf-8")
    refusals = []
    for libyaml in (True, False):
        monkeypatch.setattr("engine.load.HAVE_LIBYAML", libyaml)
        with pytest.raises(ReportError) as raised:
            load_document(path)
        refusals.append([issue.format() for issue in raised.value.issues])
    assert refusals[0] == refusals[1]
    assert refusals[0][0].startswith(f"{path}:19998:5: lỗi: tệp có quá nhiều giá trị")


COMMENT_HINT = "nếu là chú thích, để hai dấu cách trước `#`"


def test_text_cut_by_a_comment_is_a_located_warning(tmp_path: Path) -> None:
    document = loaded(tmp_path, "ghi_chu: Hỗ trợ hộ #5 thôn Đông\nten: xã Vũ Quý\n")
    assert document.data["ghi_chu"] == "Hỗ trợ hộ"
    assert [issue.format() for issue in document.warnings] == [
        'demo.yaml:1:20: cảnh báo: ghi_chu: phần "#5 thôn Đông" bị bỏ qua: YAML coi dấu cách và `#` là đầu '
        'chú thích (nếu đó là một phần của câu, đặt cả câu trong ngoặc kép: "Hỗ trợ hộ #5 thôn Đông"; '
        f"{COMMENT_HINT})"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "ten: Ủy ban nhân dân  # dựng lại\n",  # two spaces: a comment meant as one
        "so_tien: 300 #5\n",  # a number, not prose
        "co: true #x\n",
        "trong: #x\n",
        "# một dòng chú thích\nten: An Bình\n",
        'ten: "Tổ #5" #x\n',  # quoted: the author chose where the text ends
        "ten: >-\n  Tổ 5 #x\n",  # a folded block keeps `#` as text
        "ds: [An Bình, Tân Lập] #x\n",
        "ten: Tổ#5\n",  # no space: `#` is text
    ],
)
def test_intended_comments_and_non_text_values_stay_silent(tmp_path: Path, text: str) -> None:
    assert loaded(tmp_path, text).warnings == []


def test_a_comment_warning_comes_with_the_errors(tmp_path: Path) -> None:
    assert problems(tmp_path, "ghi_chu: Tổ #5\nten: !!python/name:os.system\n") == [
        'demo.yaml:1:13: cảnh báo: ghi_chu: phần "#5" bị bỏ qua: YAML coi dấu cách và `#` là đầu chú thích '
        f'(nếu đó là một phần của câu, đặt cả câu trong ngoặc kép: "Tổ #5"; {COMMENT_HINT})',
        f"demo.yaml:2:6: lỗi: ten: thẻ `!!python/name:os.system` không được phép {TAG_HINT}",
    ]


@pytest.mark.parametrize(
    ("text", "within"),
    [
        ("a:\n" + " " * 7 + "b: 1\n", True),  # 0 flow openers + indentation 7 + 3 = 10
        ("a:\n" + " " * 8 + "b: 1\n", False),
        (" " * 8 + "b: 1\n", False),  # the first line counts too
        ("a:\n  - - c\n", True),  # `- ` markers count as indentation: 6 + 3
        ("a:\n  - - - c\n", False),
        ("a: [[1], {b: 2}]\n" + " " * 4 + "c\n", True),  # 3 openers + 4 + 3 = 10
        ("a: [[1], {b: 2}]\n" + " " * 5 + "c\n", False),
        ("a: " + "[[tên]] " * 20 + "\n", True),  # figure references nest nothing
        ("a: " + "[" * 9 + "]" * 9 + "\n", True),  # the innermost `[[]]` reads as a reference: 7 + 3
        ("a: " + "[" * 10 + "]" * 10 + "\n", False),
    ],
)
def test_libyaml_reads_only_text_that_cannot_nest_too_deep(text: str, within: bool) -> None:
    assert load._nests_within(text, 10) is within


def _nodes(node: Any) -> int:
    children = node.value if isinstance(node.value, list) else []
    parts = [part for child in children for part in (child if isinstance(child, tuple) else (child,))]
    return 1 + sum(_nodes(part) for part in parts)


@pytest.mark.parametrize(
    ("text", "nodes"),
    [
        ("[a: , b: , c: ]", 10),  # a list of three one-pair mappings with empty values
        ("? ? ?\n", 7),  # mappings as keys, three deep
        ("- - -\n", 4),
        ("{a, b}", 5),
        ("a: b\nc:\n", 5),
    ],
)
def test_node_count_of_indicator_dense_text(text: str, nodes: int) -> None:
    assert _nodes(load._libyaml_composer()(text).get_single_node()) == nodes


@given(st.text(alphabet=":?,-[]{} a\n", max_size=40))
def test_values_are_bounded_by_indicators(text: str) -> None:
    """`_few_values` skips counting nodes on the bound 1 + 3 × indicators: no text can exceed it."""
    try:
        root = load._libyaml_composer()(text).get_single_node()
    except YAMLError:
        assume(False)
        return
    assume(root is not None)
    assert _nodes(root) <= 1 + 3 * sum(map(text.count, load.INDICATORS))


def test_samples_take_the_fast_path() -> None:
    for sample in SAMPLES:
        text = sample.read_text(encoding="utf-8")
        assert load.libyaml_reads(text) and load._few_values(text), sample.name
