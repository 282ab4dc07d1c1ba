"""Rule types one by one, where a wrong result would be silent: each list item on its own, exact types,
the located warnings (path, code) and the check-only rules `can_doi`, `so_ho_huong` (README examples)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from engine.errors import Severity
from engine.ruletypes import CHECKS, Rule, RuleResult

BALANCE = {
    "cuoi": "ket_qua.ho_ngheo",
    "dau": "ky_truoc.ho_ngheo",
    "tang": ["ket_qua.ho_ngheo_phat_sinh"],
    "giam": ["ket_qua.ho_thoat_ngheo"],
}
BENEFICIARIES = {"so_ho": "chinh_sach.tien_dien.so_ho", "tong": "ket_qua.ho_ngheo", "tru_khi_co": "ky"}


def run(kind: str, fields: dict[str, Any], data: dict[str, Any]) -> RuleResult:
    result = RuleResult(data)
    CHECKS[kind](Rule(kind, fields), result)
    return result


def test_a_rule_without_a_recorded_position_is_located_at_the_rule() -> None:
    rule = Rule("dem", {"so": "a", "danh_sach": "b"}, "x.rules.yaml", 4, 3, positions={"so": (5, 7)})
    assert rule.position("so") == (5, 7)
    assert rule.position("danh_sach") == (4, 3)


def test_difference_per_list_item_goes_on_past_an_item_missing_a_figure() -> None:
    fields = {"hieu": "ds[*].con_lai", "so_bi_tru": "ds[*].tong", "so_tru": "ds[*].da_chi"}
    data = {"ds": [{"tong": 10, "da_chi": 4}, {"tong": 7}, {"tong": 5, "da_chi": 2}]}
    result = run("hieu", fields, data)
    assert [item.get("con_lai") for item in result.data["ds"]] == [6, None, 3]
    assert result.sources["ds[2].con_lai"] == (("ds", 2, "tong"), ("ds", 2, "da_chi"))


def test_difference_of_whole_numbers_stays_whole_and_decimals_are_exact() -> None:
    fields = {"hieu": "con_lai", "so_bi_tru": "tong", "so_tru": "da_chi"}
    whole = run("hieu", fields, {"tong": 10, "da_chi": 4}).data["con_lai"]
    assert (whole, type(whole)) == (6, int)
    # 0,3 - 0,1 in binary floating point is 0,19999999999999998; 1 - 0,1 is 0,9000000000000000222
    assert run("hieu", fields, {"tong": 0.3, "da_chi": 0.1}).data["con_lai"] == Decimal("0.2")
    assert run("hieu", fields, {"tong": 1, "da_chi": 0.1}).data["con_lai"] == Decimal("0.9")
    assert run("hieu", fields, {"tong": 0.3, "da_chi": 1}).data["con_lai"] == Decimal("-0.7")


def test_difference_stated_differently_is_located_at_its_figure() -> None:
    fields = {"hieu": "d.con_lai", "so_bi_tru": "d.tong", "so_tru": "d.da_chi"}
    [issue] = run("hieu", fields, {"d": {"tong": 10, "da_chi": 4, "con_lai": 5}}).issues
    assert (issue.path, issue.severity, issue.code) == (("d", "con_lai"), Severity.WARNING, "rules.hieu")


def test_balance_readme_example() -> None:
    # README: 143 - 50 + 5 = 98 ≠ 101 → a warning at ket_qua.ho_ngheo naming both figures
    data = {
        "ky_truoc": {"ho_ngheo": 143},
        "ket_qua": {"ho_ngheo": 101, "ho_ngheo_phat_sinh": 5, "ho_thoat_ngheo": 50},
    }
    [issue] = run("can_doi", BALANCE, data).issues
    assert (issue.path, issue.severity, issue.code) == (
        ("ket_qua", "ho_ngheo"),
        Severity.WARNING,
        "rules.can_doi",
    )
    assert issue.message == (
        "(101) khác số tính theo kỳ trước (ky_truoc.ho_ngheo 143 + ket_qua.ho_ngheo_phat_sinh 5"
        " - ket_qua.ho_thoat_ngheo 50 = 98)"
    )
    data["ket_qua"]["ho_ngheo"] = 98
    assert not run("can_doi", BALANCE, data).issues
    del data["ket_qua"]["ho_thoat_ngheo"]
    data["ket_qua"]["ho_ngheo"] = 7
    assert not run("can_doi", BALANCE, data).issues, "checked only when every figure is given"


def test_balance_per_list_item() -> None:
    fields = {"cuoi": "xa[*].cuoi", "dau": "xa[*].dau", "tang": ["xa[*].tang"], "giam": ["xa[*].giam"]}
    data = {
        "xa": [
            {"dau": 1, "tang": 1, "cuoi": 5},  # no decrease given: not checked
            {"dau": 10, "tang": 2, "giam": 3, "cuoi": 9},  # 10 + 2 - 3 = 9
            {"dau": 5, "tang": 4, "giam": 0, "cuoi": 8},  # 5 + 4 - 0 = 9
        ]
    }
    [issue] = run("can_doi", fields, data).issues
    assert issue.path == ("xa", 2, "cuoi")
    assert issue.message == "(8) khác số tính theo kỳ trước (xa[2].dau 5 + xa[2].tang 4 - xa[2].giam 0 = 9)"


@pytest.mark.parametrize(
    ("households", "period", "message"),
    [
        (
            160,
            None,
            "(160 hộ) nhiều hơn ket_qua.ho_ngheo (145 hộ): mỗi hộ chỉ tính một lần"
            " (số lượt hỗ trợ ghi ở trường so_luot)",
        ),
        (145, None, None),
        (160, "2021-2025", None),  # a cumulative figure: skipped
    ],
)
def test_beneficiaries_readme_example(households: int, period: str | None, message: str | None) -> None:
    # README: 160 hộ được hỗ trợ tiền điện > 145 hộ nghèo → cảnh báo
    support: dict[str, Any] = {"so_ho": households}
    if period is not None:
        support["ky"] = period
    result = run(
        "so_ho_huong", BENEFICIARIES, {"chinh_sach": {"tien_dien": support}, "ket_qua": {"ho_ngheo": 145}}
    )
    assert [issue.message for issue in result.issues] == ([message] if message else [])
    if message:
        assert (result.issues[0].path, result.issues[0].code) == (
            ("chinh_sach", "tien_dien", "so_ho"),
            "rules.so_ho_huong",
        )


def test_phrase_per_list_item_records_its_two_sources() -> None:
    fields = {"so_sanh": "xa[*].so_sanh", "truoc": "xa[*].truoc", "sau": "xa[*].sau", "don_vi": "hộ"}
    data = {"xa": [{"truoc": 4}, {"truoc": 10, "sau": 7}, {"truoc": 2, "sau": 2}]}
    result = run("so_sanh", fields, data)
    assert [item.get("so_sanh") for item in result.data["xa"]] == [None, "giảm 3 hộ", "không thay đổi"]
    assert result.sources["xa[1].so_sanh"] == (("xa", 1, "truoc"), ("xa", 1, "sau"))


def test_beneficiaries_per_list_item() -> None:
    fields = {"so_ho": "xa[*].ho_huong", "tong": "xa[*].ho_ngheo"}
    data = {"xa": [{"ho_ngheo": 3}, {"ho_huong": 5, "ho_ngheo": 4}, {"ho_huong": 4, "ho_ngheo": 4}]}
    [issue] = run("so_ho_huong", fields, data).issues
    assert issue.path == ("xa", 1, "ho_huong")
    assert issue.message.startswith("(5 hộ) nhiều hơn xa[1].ho_ngheo (4 hộ): ")


def test_rate_per_list_item_is_shown_with_its_decimals() -> None:
    # spec/formatting.md: a rate is shown with 2 decimals unless the data says otherwise
    fields = {"ty_le": "xa[*].ty_le", "tu_so": "xa[*].ngheo", "mau_so": "xa[*].ho"}
    data = {"xa": [{"ngheo": 1}, {"ngheo": 1, "ho": 4, "ty_le": 30}, {"ngheo": 1, "ho": 8}]}
    result = run("ty_le", fields, data)
    assert [item.get("ty_le") for item in result.data["xa"]] == [None, 30, Decimal("12.50")]
    [issue] = result.issues
    assert (issue.path, issue.code) == (("xa", 1, "ty_le"), "rules.ty_le")
    assert issue.message == "(30%) khác tỷ lệ tính được (1 / 4 = 25,00%)"


def test_stated_phrase_that_disagrees_is_located_at_its_figure() -> None:
    fields = {"so_sanh": "ss", "truoc": "a", "sau": "b", "don_vi": "hộ"}
    [issue] = run("so_sanh", fields, {"a": 5, "b": 3, "ss": "giảm 3 hộ"}).issues
    assert (issue.path, issue.severity, issue.code) == (("ss",), Severity.WARNING, "rules.so_sanh")
