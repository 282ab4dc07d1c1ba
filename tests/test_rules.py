"""Consistency rules: filling omitted figures, flagging stated ones that disagree, rule files themselves."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from engine.errors import Severity
from engine.pipeline import check
from engine.ruletypes import CHECKS, Rule, RuleResult, apply_rules

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = Path(__file__).parents[1] / "data" / "xa-luc-binh-2023-6t.yaml"


def run(kind: str, fields: dict[str, Any], data: dict[str, Any], *, derived: bool = False) -> RuleResult:
    result = RuleResult(data)
    CHECKS[kind](Rule(kind, fields, derived=derived), result)
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


# --- rule types added for derivations -----------------------------------------------


@pytest.mark.parametrize(
    ("part", "whole", "digits", "expected"),
    [
        (1, 8, 0, Decimal("13")),  # 12,5 → 13: ties round away from zero
        (1, 20000, 2, Decimal("0.01")),  # 0,005 → 0,01
        (3, 8, 1, Decimal("37.5")),
        (2675, 407668, 2, Decimal("0.66")),
        (1, 3, 2, Decimal("33.33")),
    ],
)
def test_rate_and_share_round_half_up(part: int, whole: int, digits: int, expected: Decimal) -> None:
    rate = run(
        "ty_le", {"ty_le": "r", "tu_so": "a", "mau_so": "b", "chu_so": digits}, {"a": part, "b": whole}
    )
    share = run(
        "ty_trong", {"ty_trong": "r", "phan": "a", "tong": "b", "chu_so": digits}, {"a": part, "b": whole}
    )
    assert rate.data["r"] == share.data["r"] == expected
    assert rate.sources["r"] == share.sources["r"] == (("a",), ("b",))


def test_share_stated_differently_warns() -> None:
    [issue] = run("ty_trong", {"ty_trong": "r", "phan": "a", "tong": "b"}, {"a": 1, "b": 3, "r": 30}).issues
    assert (issue.path, issue.code) == (("r",), "rules.ty_trong")
    assert issue.message == "(30%) khác tỷ trọng tính được (1 / 3 = 33,33%)"


def test_difference_fills_and_warns() -> None:
    fields = {"hieu": "d.con_lai", "so_bi_tru": "d.tong", "so_tru": "d.da_chi"}
    assert (
        run("hieu", fields, {"d": {"tong": 592300000, "da_chi": 500000000}}).data["d"]["con_lai"] == 92300000
    )
    assert run("hieu", fields, {"d": {"tong": 5, "da_chi": 8}}).data["d"]["con_lai"] == -3
    assert run("hieu", fields, {"d": {"tong": 2.5, "da_chi": 0.25}}).data["d"]["con_lai"] == Decimal("2.25")
    [issue] = run("hieu", fields, {"d": {"tong": 10, "da_chi": 4, "con_lai": 5}}).issues
    assert issue.message == "(5) khác hiệu tính được (10 - 4 = 6)"
    assert not run("hieu", fields, {"d": {"tong": 10}}).data["d"].get("con_lai")


def test_sum_takes_fixed_numbers() -> None:
    result = run("tong", {"tong": "nam_sau", "thanh_phan": ["nam", 1]}, {"nam": 2023})
    assert result.data["nam_sau"] == 2024
    assert result.sources["nam_sau"] == (("nam",),)


@pytest.mark.parametrize(
    ("done", "plan", "digits", "phrase"),
    [
        (42, 40, 2, "đạt 105% kế hoạch"),
        (47, 42, 2, "đạt 111,9% kế hoạch"),
        (1, 3, 1, "đạt 33,3% kế hoạch"),
        (1, 8, 0, "đạt 13% kế hoạch"),
        (5, 0, 2, None),  # no plan to measure against
    ],
)
def test_plan_attainment(done: int, plan: int, digits: int, phrase: str | None) -> None:
    fields = {"dat_ke_hoach": "kh.dat", "thuc_hien": "kq.thoat", "ke_hoach": "mt.giam", "chu_so": digits}
    result = run("dat_ke_hoach", fields, {"kq": {"thoat": done}, "mt": {"giam": plan}}, derived=True)
    assert result.data["kh"] == {"dat": phrase}


@pytest.mark.parametrize(
    ("before", "after", "unit", "phrase"),
    [
        (143, 98, "hộ", "giảm 45 hộ"),
        (98, 101, "hộ", "tăng 3 hộ"),
        (7, 7, "hộ", "không thay đổi"),
        (1000, 3500, "người", "tăng 2.500 người"),
    ],
)
def test_count_change_with_the_previous_period(before: int, after: int, unit: str, phrase: str) -> None:
    fields = {"so_sanh": "so_sanh.ho", "truoc": "ky_truoc.ho", "sau": "ho", "don_vi": unit}
    result = run("so_sanh", fields, {"ky_truoc": {"ho": before}, "ho": after}, derived=True)
    assert result.data["so_sanh"] == {"ho": phrase}


@pytest.mark.parametrize(
    ("before", "after", "digits", "phrase"),
    [
        (3.12, 2.5, 2, "từ 3,12% xuống còn 2,50% (giảm 0,62 điểm phần trăm)"),
        (Decimal("2.5"), 2.8, 2, "từ 2,50% lên 2,80% (tăng 0,30 điểm phần trăm)"),
        (2.504, 2.5, 2, "không thay đổi (2,5%)"),  # a lone rate drops trailing zeros
        (2.45, 3.14, 1, "từ 2,5% lên 3,1% (tăng 0,6 điểm phần trăm)"),
    ],
)
def test_rate_change_in_percentage_points(before: float, after: float, digits: int, phrase: str) -> None:
    fields = {"so_sanh_ty_le": "ss.ty_le", "truoc": "truoc", "sau": "sau", "chu_so": digits}
    assert run("so_sanh_ty_le", fields, {"truoc": before, "sau": after}, derived=True).data["ss"] == {
        "ty_le": phrase
    }


def test_derived_only_target_is_none_without_its_inputs() -> None:
    fields = {"so_sanh": "so_sanh.ho", "truoc": "ky_truoc.ho", "sau": "ho", "don_vi": "hộ"}
    assert run("so_sanh", fields, {"ho": 3}, derived=True).data == {"ho": 3, "so_sanh": {"ho": None}}


def test_stored_target_without_inputs_is_left_out() -> None:
    fields = {"ty_le": "kt.ty_le", "tu_so": "kt.ngheo", "mau_so": "kt.ho"}
    assert run("ty_le", fields, {"nam": 1}).data == {"nam": 1}


def test_stated_phrase_that_disagrees_warns() -> None:
    fields = {"so_sanh": "ss", "truoc": "a", "sau": "b", "don_vi": "hộ"}
    [issue] = run("so_sanh", fields, {"a": 5, "b": 3, "ss": "giảm 3 hộ"}, derived=True).issues
    assert issue.message == '"giảm 3 hộ" khác câu tính được ("giảm 2 hộ")'


def test_rules_run_in_the_order_given_on_a_copy() -> None:
    data = {"a": 1, "b": 3}
    rules = [
        Rule("tong", {"tong": "c", "thanh_phan": ["a", "b"]}),
        Rule("ty_le", {"ty_le": "r", "tu_so": "a", "mau_so": "c"}),
    ]
    assert apply_rules(rules, data).data == {"a": 1, "b": 3, "c": 4, "r": Decimal("25.00")}
    assert data == {"a": 1, "b": 3}


# --- each rule type where a wrong result would be silent: list items one by one, exact types,
# located warnings (path, code), and the check-only `can_doi`, `so_ho_huong` (README examples).

BALANCE = {
    "cuoi": "ket_qua.ho_ngheo",
    "dau": "ky_truoc.ho_ngheo",
    "tang": ["ket_qua.ho_ngheo_phat_sinh"],
    "giam": ["ket_qua.ho_thoat_ngheo"],
}
BENEFICIARIES = {"so_ho": "chinh_sach.tien_dien.so_ho", "tong": "ket_qua.ho_ngheo", "tru_khi_co": "ky"}


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


def test_balance_takes_a_fixed_number_in_its_lists_as_a_value_like_tong() -> None:
    # README: the lists of `can_doi`, like `thanh_phan` of `tong`, hold paths or fixed numbers.
    fields = {"cuoi": "cuoi", "dau": "dau", "tang": ["tang", 2], "giam": [1]}
    assert not run("can_doi", fields, {"dau": 10, "tang": 3, "cuoi": 14}).issues  # 10 + 3 + 2 - 1
    [issue] = run("can_doi", fields, {"dau": 10, "tang": 3, "cuoi": 15}).issues
    assert issue.path == ("cuoi",)
    assert issue.message == "(15) khác số tính theo kỳ trước (dau 10 + tang 3 + 2 - 1 = 14)"


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


def test_count_per_list_item_only_of_lists() -> None:
    fields = {"so": "xa[*].so_mo_hinh", "danh_sach": "xa[*].mo_hinh"}
    data = {"xa": [{"ten": "A"}, {"mo_hinh": "nuôi bò"}, {"mo_hinh": ["nuôi bò", "trồng cam"]}]}
    result = run("dem", fields, data)
    assert [item.get("so_mo_hinh") for item in result.data["xa"]] == [None, None, 2]
    assert result.sources == {"xa[2].so_mo_hinh": (("xa", 2, "mo_hinh"),)}


def test_part_of_whole_per_list_item_is_located_at_the_part() -> None:
    fields = {"phan": "xa[*].sap", "tong": "xa[*].nha"}
    data = {"xa": [{"nha": 3}, {"sap": 2}, {"sap": 5, "nha": 4}, {"sap": 4, "nha": 4}]}
    [issue] = run("khong_vuot", fields, data).issues
    assert (issue.path, issue.severity, issue.code) == (
        ("xa", 2, "sap"),
        Severity.WARNING,
        "rules.khong_vuot",
    )
    assert issue.message == "(5) lớn hơn xa[2].nha (4)"


@pytest.mark.parametrize(("count", "terms"), [(6, "1 + 1 + 1 + 1 + 1 + 1"), (7, "7 thành phần")])
def test_sum_names_up_to_six_terms(count: int, terms: str) -> None:
    [issue] = run(
        "tong", {"tong": "tong", "thanh_phan": ["ds[*].v"]}, {"tong": 1, "ds": [{"v": 1}] * count}
    ).issues
    assert issue.message == f"(1) khác tổng các thành phần ({terms} = {count})"


def test_sum_without_any_given_part_is_left_out() -> None:
    result = run("tong", {"tong": "a.tong", "thanh_phan": ["a.x", "a.y", 1]}, {"a": {}})
    assert (result.data, result.sources, result.issues) == ({"a": {}}, {}, [])


def test_derived_only_target_creates_its_parent_mappings() -> None:
    fields = {"tong": "so_sanh.ho.tong", "thanh_phan": ["a", "b"]}
    assert run("tong", fields, {"a": 1, "b": 2}, derived=True).data == {
        "a": 1,
        "b": 2,
        "so_sanh": {"ho": {"tong": 3}},
    }
    assert run("tong", fields, {"a": 1, "b": 2, "so_sanh": None}, derived=True).data["so_sanh"] == {
        "ho": {"tong": 3}
    }


@pytest.mark.parametrize("data", [{"nam": 2023}, {"ngay": "2023-04-01"}, {}])
def test_issue_date_is_checked_only_with_both_date_and_year(data: dict[str, Any]) -> None:
    assert not run("ky_bao_cao", {"ngay": "ngay", "nam": "nam", "thang_cuoi": 6}, data).issues


def test_count_stated_differently_is_located_at_its_figure() -> None:
    [issue] = run("dem", {"so": "a.so", "danh_sach": "a.ds"}, {"a": {"so": 3, "ds": ["x", "y"]}}).issues
    assert (issue.path, issue.severity, issue.code) == (("a", "so"), Severity.WARNING, "rules.dem")


@pytest.mark.parametrize(
    ("issued", "warns"), [("2023-06-30", False), ("2023-06-29", True), ("2025-01-02", True)]
)
def test_issue_date_warning_is_located_at_the_date(issued: str, warns: bool) -> None:
    # "trước khi kỳ báo cáo kết thúc (30/6/2023)": issuing on the period's last day is not before its end
    fields = {"ngay": "van_ban.ngay", "nam": "nam", "thang_cuoi": 6}
    issues = run("ky_bao_cao", fields, {"van_ban": {"ngay": issued}, "nam": 2023}).issues
    assert [(issue.path, issue.severity, issue.code) for issue in issues] == (
        [(("van_ban", "ngay"), Severity.WARNING, "rules.ky_bao_cao")] if warns else []
    )


def test_sum_over_nested_lists_takes_every_item() -> None:
    data = {"huyen": [{"xa": [{"ho": 1}, {"ho": 2}]}, {"xa": [{"ho": 4}]}]}
    assert run("tong", {"tong": "tong", "thanh_phan": ["huyen[*].xa[*].ho"]}, data).data["tong"] == 7


def test_a_path_walks_a_list_only_where_it_says_so() -> None:
    fields = {"tong": "tong", "thanh_phan": ["a[*].v", "b.v"]}
    assert run("tong", fields, {"a": {"v": 1}, "b": [{"v": 2}]}).data == {"a": {"v": 1}, "b": [{"v": 2}]}


def test_a_stated_phrase_is_left_alone_without_its_inputs() -> None:
    fields = {"so_sanh": "ss", "truoc": "a", "sau": "b", "don_vi": "hộ"}
    result = run("so_sanh", fields, {"a": 5, "ss": "giảm 2 hộ"})
    assert (result.data, result.issues) == ({"a": 5, "ss": "giảm 2 hộ"}, [])


def test_a_rule_reads_its_inputs_then_its_lists() -> None:
    rule = Rule("can_doi", {"cuoi": "c", "dau": "d", "tang": ["t1", 5, "t2"], "giam": ["g"]})
    assert rule.inputs() == [
        ("cuoi", "c"),
        ("dau", "d"),
        ("tang[0]", "t1"),
        ("tang[2]", "t2"),
        ("giam[0]", "g"),
    ]
    assert rule.paths() == ["c", "d", "t1", "t2", "g"]


def test_rules_leave_nested_input_data_untouched() -> None:
    data = {"a": {"x": 1, "y": 2}}
    rules = [Rule("tong", {"tong": "a.tong", "thanh_phan": ["a.x", "a.y"]})]
    assert apply_rules(rules, data).data == {"a": {"x": 1, "y": 2, "tong": 3}}
    assert data == {"a": {"x": 1, "y": 2}}
