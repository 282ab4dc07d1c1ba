"""Consistency rules: filling omitted figures, flagging stated ones that disagree, rule files themselves."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from engine.errors import Severity
from engine.paths import SCHEMA_DIR
from engine.pipeline import check
from engine.rules import (
    CHECKS,
    PATH_FIELDS,
    WILDCARD,
    Rule,
    RuleFileError,
    RuleResult,
    load_rules,
    parse_pattern,
    rules_path,
)
from engine.schema import list_kinds

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = Path(__file__).parents[1] / "data" / "xa-luc-binh-2023-6t.yaml"


def run(kind: str, fields: dict[str, Any], data: dict[str, Any]) -> RuleResult:
    result = RuleResult(data)
    CHECKS[kind](Rule(kind, fields), result)
    return result


def test_sum_fills_an_omitted_total_and_records_its_sources() -> None:
    result = run("tong", {"tong": "a.tong", "thanh_phan": ["a.x", "a.y"]}, {"a": {"x": 2, "y": 3}})
    assert result.data["a"]["tong"] == 5
    assert result.sources["a.tong"] == (("a", "x"), ("a", "y"))
    assert not result.issues


def test_sum_keeps_a_stated_total_that_disagrees_and_warns() -> None:
    result = run("tong", {"tong": "a.tong", "thanh_phan": ["a.x", "a.y"]}, {"a": {"tong": 6, "x": 2, "y": 3}})
    assert result.data["a"]["tong"] == 6
    [issue] = result.issues
    assert (issue.path, issue.severity, issue.code) == (("a", "tong"), Severity.WARNING, "rules.tong")
    assert issue.message == "(6) khác tổng các thành phần (2 + 3 = 5)"


def test_wildcard_in_the_target_binds_the_same_item_and_sums_the_rest() -> None:
    data = {"ds": [{"parts": [{"v": 1}, {"v": 2}]}, {"parts": [{"v": 10}], "tong": 11}, {"khac": 1}]}
    result = run("tong", {"tong": "ds[*].tong", "thanh_phan": ["ds[*].parts[*].v"]}, data)
    assert [item.get("tong") for item in result.data["ds"]] == [3, 11, None]
    [issue] = result.issues
    assert issue.path == ("ds", 1, "tong")
    assert issue.message == "(11) khác tổng các thành phần (10 = 10)"


def test_sum_of_money_uses_vietnamese_digit_groups() -> None:
    data = {"kp": {"tong": 592000000, "ds": [{"t": 500000000}, {"t": 92300000}]}}
    [issue] = run("tong", {"tong": "kp.tong", "thanh_phan": ["kp.ds[*].t"]}, data).issues
    assert issue.message == "(592.000.000) khác tổng các thành phần (500.000.000 + 92.300.000 = 592.300.000)"


def test_sum_of_many_parts_names_their_count() -> None:
    data = {"tong": 1, "ds": [{"v": 1}] * 8}
    [issue] = run("tong", {"tong": "tong", "thanh_phan": ["ds[*].v"]}, data).issues
    assert issue.message == "(1) khác tổng các thành phần (8 thành phần = 8)"


def test_part_of_whole() -> None:
    fields = {"phan": "a.phan", "tong": "a.tong"}
    assert not run("khong_vuot", fields, {"a": {"phan": 3, "tong": 3}}).issues
    [issue] = run("khong_vuot", fields, {"a": {"phan": 4, "tong": 3}}).issues
    assert issue.message == "(4) lớn hơn a.tong (3)"


@pytest.mark.parametrize(
    ("stated", "warns"), [(None, False), (0.66, False), (Decimal("0.656"), False), (0.65, True)]
)
def test_rate_is_compared_at_its_published_precision(stated: float | None, warns: bool) -> None:
    item: dict[str, Any] = {"ho": 407668, "ngheo": 2675}
    if stated is not None:
        item["ty_le"] = stated
    result = run(
        "ty_le", {"ty_le": "ds[*].ty_le", "tu_so": "ds[*].ngheo", "mau_so": "ds[*].ho"}, {"ds": [item]}
    )
    assert bool(result.issues) is warns
    if stated is None:
        assert result.data["ds"][0]["ty_le"] == Decimal("0.66")
    if warns:
        assert result.issues[0].message == "(0,65%) khác tỷ lệ tính được (2.675 / 407.668 = 0,66%)"


def test_rate_with_zero_denominator_is_left_alone() -> None:
    result = run("ty_le", {"ty_le": "a.r", "tu_so": "a.x", "mau_so": "a.y"}, {"a": {"x": 1, "y": 0}})
    assert "r" not in result.data["a"] and not result.issues


def test_count_of_listed_items() -> None:
    fields = {"so": "a.so", "danh_sach": "a.ds"}
    assert run("dem", fields, {"a": {"ds": ["x", "y"]}}).data["a"]["so"] == 2
    [issue] = run("dem", fields, {"a": {"so": 3, "ds": ["x", "y"]}}).issues
    assert issue.message == "(3) khác số mục đã liệt kê ở a.ds (2)"


@pytest.mark.parametrize(
    ("issued", "message"),
    [
        ("2023-07-05", None),
        ("2024-01-15", None),
        ("2023-06", None),
        ("2023-06-29", "ban hành ngày 29/6/2023, trước khi kỳ báo cáo kết thúc (30/6/2023)"),
        ("2023-04", "ban hành tháng 4/2023, trước khi kỳ báo cáo kết thúc (30/6/2023)"),
        ("2025-01-02", "ban hành năm 2025, quá xa kỳ báo cáo năm 2023"),
    ],
)
def test_issue_date_against_the_reported_period(issued: str, message: str | None) -> None:
    fields = {"ngay": "ngay", "nam": "nam", "thang_cuoi": 6}
    issues = run("ky_bao_cao", fields, {"ngay": issued, "nam": 2023}).issues
    assert [issue.message for issue in issues] == ([message] if message else [])


def test_annual_period_ends_in_december() -> None:
    fields = {"ngay": "ngay", "nam": "nam", "thang_cuoi": 12}
    [issue] = run("ky_bao_cao", fields, {"ngay": "2023-12-20", "nam": 2023}).issues
    assert issue.message.endswith("(31/12/2023)")


def test_published_sample_keeps_its_figures_and_shows_both_warnings() -> None:
    checked = check(SAMPLE, display_name="mau.yaml")
    assert [(issue.line, issue.format()) for issue in checked.warnings] == [
        (
            18,
            "mau.yaml:18:16: cảnh báo: ngay_ban_hanh: ban hành tháng 4/2023,"
            " trước khi kỳ báo cáo kết thúc (30/6/2023)",
        ),
        (77, "mau.yaml:77:12: cảnh báo: tin_dung.luot_ho (21) khác tổng các thành phần (11 + 5 + 4 = 20)"),
    ]
    context = checked.derivation.context
    assert context["tin_dung"]["luot_ho"] == 21
    assert context["nha_o"]["tong_so_ho"] == 20
    assert context["mtqg"]["du_an"][0]["mo_hinh"]["tong_kinh_phi"] == 592300000
    assert checked.derivation.sources["nha_o.tong_so_ho"] == tuple(
        ("nha_o", "de_nghi_ho_tro", index, "so_ho") for index in range(4)
    )


def test_corrected_copy_of_the_sample_is_clean_under_strict() -> None:
    checked = check(FIXTURES / "xa-luc-binh-2023-6t-dinh-chinh.yaml", strict=True)
    assert checked.warnings == []
    assert checked.derivation.context["tin_dung"]["luot_ho"] == 20


def _schema_at(schema: dict[str, Any], pattern: tuple[str | int, ...]) -> dict[str, Any] | None:
    document = schema  # a `#/$defs/…` reference points into the file it is written in
    for part in pattern:
        while "$ref" in schema:
            file, _, pointer = schema["$ref"].partition("#")
            document = json.loads((SCHEMA_DIR / file).read_text(encoding="utf-8")) if file else document
            schema = document
            for key in filter(None, pointer.split("/")):
                schema = schema[key]
        if part == WILDCARD:
            schema = schema.get("items", {})
        elif part in schema.get("properties", {}):
            schema = schema["properties"][part]
        else:
            return None
    return schema


@pytest.mark.parametrize("kind", list_kinds())
def test_every_rule_names_fields_of_its_schema(kind: str) -> None:
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    for rule in load_rules(kind):
        texts = [rule.fields[name] for name in PATH_FIELDS & rule.fields.keys()]
        for text in [*texts, *rule.fields.get("thanh_phan", [])]:
            assert _schema_at(schema, parse_pattern(text)) is not None, f"{kind}: {text}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- kiem_tra: cong\n", "`kiem_tra` phải là một trong"),
        ("- kiem_tra: tong\n  tong: a\n", "thiếu thanh_phan"),
        ("- kiem_tra: dem\n  so: a\n  danh_sach: b\n  them: c\n", "không có trường them"),
        ("- kiem_tra: dem\n  so: A.b\n  danh_sach: b\n", "đường dẫn không hợp lệ 'A.b'"),
        ("kiem_tra: dem\n", "phải là một danh sách"),
    ],
)
def test_malformed_rules_files_are_refused(
    text: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "thu.rules.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr("engine.rules.SCHEMA_DIR", tmp_path)
    assert rules_path("thu").parent == tmp_path
    with pytest.raises(RuleFileError, match=message):
        load_rules("thu")
