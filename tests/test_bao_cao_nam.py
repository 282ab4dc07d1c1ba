"""Annual report (`bao_cao_nam`): comparisons with last year and the plan, `ky_truoc` files, rollup.

Expected figures are computed by hand from the sample communes in data/huyen-son-thuong/2024.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from engine.derive import count_and_rate_change, count_change, plan_attainment, rate_change
from engine.docxtext import docx_text
from engine.errors import ReportError
from engine.filters import co_so_luong, phan_tram_gon, thoi_ky
from engine.load import load_document
from engine.pipeline import check, render_checked
from engine.previous import resolve_previous
from engine.rollup import rollup, write_rollup
from tests.conftest import DATA_DIR

FOLDER = DATA_DIR / "huyen-son-thuong"
DISTRICT = FOLDER / "huyen-son-thuong-2024.yaml"
COMMUNES = FOLDER / "2024"
AN_HOA = COMMUNES / "xa-an-hoa.yaml"


def test_count_change_reads_naturally() -> None:
    assert count_change(190, 145) == "giảm 45 hộ"
    assert count_change(40, 46) == "tăng 6 hộ"
    assert count_change(1200, 2450, "người") == "tăng 1.250 người"
    assert count_change(46, 46) == "không thay đổi"


def test_rate_change_in_percentage_points() -> None:
    assert rate_change(3.12, 2.5) == "từ 3,12% xuống còn 2,50% (giảm 0,62 điểm phần trăm)"
    assert rate_change(2.5, 2.8) == "từ 2,50% lên 2,80% (tăng 0,30 điểm phần trăm)"
    # compared as printed: 2,504% and 2,495% both print 2,50%
    assert rate_change(2.504, 2.495) == "không thay đổi (2,5%)"  # alone: trailing zero dropped


def test_plan_attainment() -> None:
    assert plan_attainment(42, 40) == "đạt 105% kế hoạch"
    assert plan_attainment(73, 75) == "đạt 97,33% kế hoạch"
    assert plan_attainment(5, 0) is None


def render_text(path: Path) -> str:
    return docx_text(render_checked(check(path)))


def with_previous(tmp_path: Path, previous: str) -> Path:
    """An Hòa's report with its inline `ky_truoc` replaced (`""` removes it)."""
    text = AN_HOA.read_text(encoding="utf-8")
    start = text.index("ky_truoc:")
    end = text.index("chi_dao_dieu_hanh:")
    changed = tmp_path / AN_HOA.name
    changed.write_text(text[:start] + previous + text[end:], encoding="utf-8")
    return changed


def comparison_line(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("So với cuối năm")]


def test_decrease_from_inline_previous_figures() -> None:
    # 2023: 62 / 1.830 = 3,39%, 80 / 1.830 = 4,37%; 2024: 46 / 1.842 = 2,50%, 73 / 1.842 = 3,96%
    assert comparison_line(render_text(AN_HOA)) == [
        "So với cuối năm 2023, số hộ nghèo giảm 16 hộ, tỷ lệ hộ nghèo từ 3,39% xuống còn 2,50% (giảm 0,89"
        " điểm phần trăm); số hộ cận nghèo giảm 7 hộ, tỷ lệ hộ cận nghèo từ 4,37% xuống còn 3,96%"
        " (giảm 0,41 điểm phần trăm)."
    ]


def test_increase_and_no_change(tmp_path: Path) -> None:
    path = with_previous(
        tmp_path, "ky_truoc: {nam: 2023, tong_so_ho: 1842, ho_ngheo: 40, ho_can_ngheo: 73}\n"
    )
    assert comparison_line(render_text(path)) == [
        "So với cuối năm 2023, số hộ nghèo tăng 6 hộ, tỷ lệ hộ nghèo từ 2,17% lên 2,50% (tăng 0,33 điểm phần"
        " trăm); số hộ và tỷ lệ hộ cận nghèo không thay đổi (3,96%)."
    ]


def test_no_previous_period_omits_the_sentence(tmp_path: Path) -> None:
    text = render_text(with_previous(tmp_path, ""))
    assert comparison_line(text) == []
    assert "None" not in text


def test_previous_period_must_be_earlier(tmp_path: Path) -> None:
    path = with_previous(
        tmp_path, "ky_truoc: {nam: 2024, tong_so_ho: 1842, ho_ngheo: 40, ho_can_ngheo: 73}\n"
    )
    with pytest.raises(ReportError) as error:
        check(path)
    assert [issue.format() for issue in error.value.issues if issue.is_error] == [
        f"{path}:26:17: lỗi: ky_truoc.nam: kỳ trước (năm 2024) phải trước năm báo cáo 2024"
    ]


def test_plan_attainment_sentence() -> None:
    # An Hòa: 21 households out of poverty against 20 planned, 25 out of near-poverty against 25
    assert (
        "Trong năm có 21 hộ thoát nghèo, đạt 105% kế hoạch giảm hộ nghèo được giao (20 hộ); 25 hộ thoát cận"
        " nghèo, đạt 100% kế hoạch giảm hộ cận nghèo được giao (25 hộ); 5 hộ nghèo phát sinh, tái nghèo."
        in render_text(AN_HOA).splitlines()
    )


# --- ky_truoc as a file -------------------------------------------------------------------


def reference_problems(tmp_path: Path, reference: str) -> list[str]:
    (tmp_path / "2024").mkdir(exist_ok=True)
    path = tmp_path / "2024" / "bao-cao.yaml"
    path.write_text(with_previous(tmp_path, f"ky_truoc: {reference}\n").read_text(encoding="utf-8"), "utf-8")
    with pytest.raises(ReportError) as error:
        resolve_previous(load_document(path, "bao-cao.yaml"), path)
    return [issue.format() for issue in error.value.issues]


def test_reference_outside_the_data_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ngoai.yaml").write_text("loai: bao_cao_nam\n", encoding="utf-8")
    assert reference_problems(tmp_path, "../ngoai.yaml") == [
        "bao-cao.yaml:26:11: lỗi: ky_truoc: tệp kỳ trước '../ngoai.yaml' phải nằm trong thư mục của tệp này"
        " hoặc thư mục con của nó"
    ]
    assert len(reference_problems(tmp_path, "../../etc/passwd.yaml")) == 1


def test_missing_previous_file(tmp_path: Path) -> None:
    assert reference_problems(tmp_path, "2023.yaml") == [
        "bao-cao.yaml:26:11: lỗi: ky_truoc: không tìm thấy tệp kỳ trước '2023.yaml' (đường dẫn tính"
        " từ thư mục của tệp này)"
    ]


def test_errors_in_the_previous_file_are_errors_at_the_reference(tmp_path: Path) -> None:
    previous = tmp_path / "2024" / "cu"
    previous.mkdir(parents=True)
    text = AN_HOA.read_text(encoding="utf-8").replace("ho_ngheo: 46", 'ho_ngheo: "bốn sáu"')
    (previous / "2023.yaml").write_text(text, encoding="utf-8")
    [problem] = reference_problems(tmp_path, "cu/2023.yaml")
    assert problem.startswith("bao-cao.yaml:26:11: lỗi: ky_truoc: tệp kỳ trước có lỗi: cu/2023.yaml:")
    assert "ket_qua.ho_ngheo" in problem


def test_previous_file_figures_replace_the_reference() -> None:
    data = resolve_previous(load_document(DISTRICT), DISTRICT)
    assert data["ky_truoc"] == {
        "nam": 2023,
        "tong_so_ho": 5398,
        "ho_ngheo": 190,
        "ho_can_ngheo": 260,
        "ty_le_ho_ngheo": Decimal("3.52"),  # 190 / 5.398
        "ty_le_ho_can_ngheo": Decimal("4.82"),  # 260 / 5.398
    }


# --- rollup ---------------------------------------------------------------------------------


def test_rollup_sums_by_hand() -> None:
    data = load_document_text(rollup(COMMUNES, DISTRICT).text)
    assert data["ket_qua"] == {
        "tong_so_ho": 1842 + 2315 + 1268,  # 5.425
        "ho_ngheo": 46 + 61 + 38,  # 145
        "ho_can_ngheo": 73 + 98 + 55,  # 226
        "ho_thoat_ngheo": 21 + 24 + 15,  # 60
        "ho_thoat_can_ngheo": 25 + 30 + 18,  # 73
        "ho_ngheo_phat_sinh": 5 + 6 + 4,  # 15
        "ho_can_ngheo_phat_sinh": 18 + 12 + 9,  # 39
    }
    assert data["muc_tieu"] == {"giam_ho_ngheo": 60, "giam_ho_can_ngheo": 75}
    assert data["chinh_sach"]["tin_dung"] == {
        "luot_ho": 38 + 52 + 27,  # 117
        "ho_ngheo": 20 + 27 + 14,  # 61
        "ho_can_ngheo": 12 + 17 + 9,  # 38
        "ho_moi_thoat_ngheo": 6 + 8 + 4,  # 18
        "so_tien": 4_650_000_000,
    }
    # the same programme period in every commune is kept, not added up
    assert data["chinh_sach"]["bhyt"] == {"so_the": 412 + 563 + 301, "ky": {"tu_nam": 2021, "den_nam": 2024}}
    assert data["chinh_sach"]["tien_dien"] == {"so_ho": 145, "so_tien": 94_002_000}
    assert data["mtqg"] == {"von_phan_bo": 2_600_000_000, "von_giai_ngan": 2_455_500_000}
    assert [row["ten"] for row in data["tong_hop"]["don_vi"]] == ["xã An Hòa", "xã Tân Lập", "xã Phú Xuân"]


def load_document_text(text: str) -> dict[str, Any]:
    from ruamel.yaml import YAML

    loaded: dict[str, Any] = YAML(typ="safe", pure=True).load(text)
    return loaded


def test_district_rates_come_from_summed_counts() -> None:
    text = docx_text(render_checked(check(DISTRICT)))
    # 145 / 5.425 = 2,67% (the mean of the communes' rates 2,50, 2,63, 3,00 would be 2,71%)
    assert "có 145 hộ nghèo, chiếm tỷ lệ 2,67%, và 226 hộ cận nghèo, chiếm tỷ lệ 4,17%" in text
    assert " | Tổng cộng | 5.425 | 145 | 2,67% | 226 | 4,17% | 60" in text
    assert (
        "So với cuối năm 2023, số hộ nghèo giảm 45 hộ, tỷ lệ hộ nghèo từ 3,52% xuống còn 2,67% (giảm 0,85"
        " điểm phần trăm)" in text
    )


def test_committed_district_file_is_up_to_date() -> None:
    assert rollup(COMMUNES, DISTRICT).text == DISTRICT.read_text(encoding="utf-8")


def copy_district(tmp_path: Path) -> tuple[Path, Path]:
    shutil.copytree(FOLDER, tmp_path / FOLDER.name)
    return tmp_path / FOLDER.name / "2024", tmp_path / FOLDER.name / DISTRICT.name


def test_changing_a_commune_changes_the_district_report(tmp_path: Path) -> None:
    communes, district = copy_district(tmp_path)
    before = docx_text(render_checked(check(district)))
    commune = communes / "xa-tan-lap.yaml"
    commune.write_text(commune.read_text(encoding="utf-8").replace("ho_ngheo: 61", "ho_ngheo: 51"), "utf-8")
    write_rollup(communes, district)
    after = docx_text(render_checked(check(district)))
    changed = sorted(set(after.splitlines()) - set(before.splitlines()))
    # 135 / 5.425 = 2,49%; 190 − 135 = 55; 3,52 − 2,49 = 1,03 points; 51 / 2.315 = 2,20%
    assert changed == [
        " | Tổng cộng | 5.425 | 135 | 2,49% | 226 | 4,17% | 60",
        "2 | xã Tân Lập | 2.315 | 51 | 2,20% | 98 | 4,23% | 24",
        "So với cuối năm 2023, số hộ nghèo giảm 55 hộ, tỷ lệ hộ nghèo từ 3,52% xuống còn 2,49% (giảm 1,03"
        " điểm phần trăm); số hộ cận nghèo giảm 34 hộ, tỷ lệ hộ cận nghèo từ 4,82% xuống còn 4,17%"
        " (giảm 0,65 điểm phần trăm).",
        "Theo kết quả rà soát hộ nghèo, hộ cận nghèo cuối năm 2024, trên địa bàn huyện Sơn Thượng có 5.425"
        " hộ dân cư; trong đó có 135 hộ nghèo, chiếm tỷ lệ 2,49%, và 226 hộ cận nghèo, chiếm tỷ lệ 4,17%.",
    ]


def rollup_problems(communes: Path, district: Path) -> list[str]:
    with pytest.raises(ReportError) as error:
        rollup(communes, district)
    return [issue.format() for issue in error.value.issues if issue.is_error]


def test_duplicate_commune_is_located(tmp_path: Path) -> None:
    communes, district = copy_district(tmp_path)
    shutil.copy(communes / "xa-an-hoa.yaml", communes / "xa-an-hoa-ban-sao.yaml")
    assert rollup_problems(communes, district) == [
        f"{communes / 'xa-an-hoa.yaml'}:20:10: lỗi: dia_ban: xã An Hòa đã có báo cáo ở"
        f" {communes / 'xa-an-hoa-ban-sao.yaml'}"
    ]


def test_commune_from_another_period_is_located(tmp_path: Path) -> None:
    communes, district = copy_district(tmp_path)
    commune = communes / "xa-phu-xuan.yaml"
    text = (
        commune.read_text(encoding="utf-8")
        .replace("nam: 2024", "nam: 2023")
        .replace("2025-01-08", "2024-01-08")
    )
    commune.write_text(text, encoding="utf-8")
    assert rollup_problems(communes, district) == [
        f"{commune}:18:6: lỗi: nam: báo cáo năm 2023, khác kỳ tổng hợp (năm 2024 ở {district})"
    ]


def test_missing_commune_is_located_in_the_district_file(tmp_path: Path) -> None:
    communes, district = copy_district(tmp_path)
    (communes / "xa-tan-lap.yaml").unlink()
    [problem] = rollup_problems(communes, district)
    line = next(
        number
        for number, text in enumerate(district.read_text(encoding="utf-8").splitlines(), 1)
        if "don_vi_du_kien: [" in text
    )
    assert problem == (
        f"{district}:{line}:31: lỗi: tong_hop.don_vi_du_kien[1]: chưa có báo cáo năm 2024 của xã Tân Lập"
        " trong thư mục tổng hợp"
    )


def test_commune_name_with_its_tone_mark_elsewhere_gets_a_near_miss(tmp_path: Path) -> None:
    communes, district = copy_district(tmp_path)
    commune = communes / "xa-an-hoa.yaml"
    commune.write_text(
        commune.read_text(encoding="utf-8").replace("dia_ban: xã An Hòa", "dia_ban: xã An Hoà")
    )
    assert rollup_problems(communes, district) == [
        f"{commune}:20:10: lỗi: dia_ban: xã An Hoà không có trong tong_hop.don_vi_du_kien của {district}"
        " (có phải là `xã An Hòa`?)"
    ]


# --- prose rules (README "Quy tắc câu chữ") -------------------------------------------------


def test_prose_filters() -> None:
    assert phan_tram_gon(95.0) == "95%"
    assert phan_tram_gon(Decimal("2.50")) == "2,5%"
    assert phan_tram_gon(3.96) == "3,96%"
    assert phan_tram_gon(0) == "0%"
    assert co_so_luong(12, "hộ", "thoát nghèo") == "có 12 hộ thoát nghèo"
    assert co_so_luong(0, "hộ", "thoát nghèo") == "không có hộ nào thoát nghèo"
    assert co_so_luong(1500, "lượt") == "có 1.500 lượt"
    assert thoi_ky(None, 2024) == "trong năm"
    assert thoi_ky({"tu_nam": 2021, "den_nam": 2024}, 2024) == "lũy kế giai đoạn 2021–2024"
    assert thoi_ky({"tu_nam": 2022}, 2024) == "lũy kế giai đoạn 2022–2024"


def test_count_and_rate_unchanged_said_once() -> None:
    assert count_and_rate_change("hộ cận nghèo", "không thay đổi", "không thay đổi (0%)") == (
        "số hộ và tỷ lệ hộ cận nghèo không thay đổi (0%)"
    )
    assert count_and_rate_change("hộ nghèo", "tăng 1 hộ", "không thay đổi (2,5%)") == (
        "số hộ nghèo tăng 1 hộ, tỷ lệ hộ nghèo không thay đổi (2,5%)"
    )


def with_text(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    text = AN_HOA.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    changed = tmp_path / AN_HOA.name
    changed.write_text(text, encoding="utf-8")
    return changed


def test_zero_counts_and_whole_percentages_in_sentences(tmp_path: Path) -> None:
    # 0 near-poor households in both years; 46 / 1.840 = 2,5% exactly; nobody left near-poverty
    path = with_text(
        tmp_path,
        (
            "  tong_so_ho: 1842\n  ho_ngheo: 46\n  ho_can_ngheo: 73\n",
            "  tong_so_ho: 1840\n  ho_ngheo: 46\n  ho_can_ngheo: 0\n",
        ),
        ("  ho_ngheo: 62\n  ho_can_ngheo: 80\n", "  ho_ngheo: 62\n  ho_can_ngheo: 0\n"),
        (
            "  ho_thoat_can_ngheo: 25\n  ho_ngheo_phat_sinh: 5\n",
            "  ho_thoat_can_ngheo: 0\n  ho_ngheo_phat_sinh: 5\n",
        ),
        ("  ho_thoat_ngheo: 21\n", "  ho_thoat_ngheo: 21\n"),
        ("  giam_ho_can_ngheo: 25\n", ""),
        ("  von_giai_ngan: 812500000\n", "  von_giai_ngan: 850000000\n"),
    )
    lines = render_text(path).splitlines()
    assert (
        "Theo kết quả rà soát hộ nghèo, hộ cận nghèo cuối năm 2024, trên địa bàn xã An Hòa có 1.840"
        " hộ dân cư; trong đó có 46 hộ nghèo, chiếm tỷ lệ 2,5%, và không còn hộ cận nghèo." in lines
    )
    assert comparison_line("\n".join(lines)) == [
        "So với cuối năm 2023, số hộ nghèo giảm 16 hộ, tỷ lệ hộ nghèo từ 3,39% xuống còn 2,50% (giảm 0,89"
        " điểm phần trăm); số hộ và tỷ lệ hộ cận nghèo không thay đổi (0%)."
    ]
    assert (
        "Trong năm có 21 hộ thoát nghèo, đạt 105% kế hoạch giảm hộ nghèo được giao (20 hộ); không có hộ nào"
        " thoát cận nghèo; 5 hộ nghèo phát sinh, tái nghèo." in lines
    )
    assert any(line.endswith("đã giải ngân 850.000.000 đồng, đạt 100%.") for line in lines)
    assert not [line for line in lines if " 0 hộ" in line or "0,00%" in line]


def test_nobody_out_of_poverty_reads_in_words(tmp_path: Path) -> None:
    path = with_text(
        tmp_path,
        ("  ho_thoat_ngheo: 21\n", "  ho_thoat_ngheo: 0\n"),
        ("  ho_ngheo: 62\n", "  ho_ngheo: 41\n"),
    )
    assert any(
        line.startswith("Trong năm không có hộ nào thoát nghèo; 25 hộ thoát cận nghèo")
        for line in render_text(path).splitlines()
    )


# --- plausibility ---------------------------------------------------------------------------


def test_previous_file_two_years_back_is_an_error_at_the_reference(tmp_path: Path) -> None:
    _, district = copy_district(tmp_path)
    previous = district.parent / "2023" / "huyen-son-thuong-2023.yaml"
    text = previous.read_text(encoding="utf-8").replace("nam: 2023", "nam: 2022")
    previous.write_text(text.replace("ngay_ban_hanh: 2024-", "ngay_ban_hanh: 2023-"), encoding="utf-8")
    line = next(
        number
        for number, text in enumerate(district.read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith("ky_truoc:")
    )
    with pytest.raises(ReportError) as error:
        check(district)
    assert [issue.format() for issue in error.value.issues] == [
        f"{district}:{line}:11: lỗi: ky_truoc.nam: kỳ trước là năm 2022, phải là năm liền trước năm báo cáo"
        " (2023)"
    ]


def test_flow_identity_holds_in_the_samples_and_is_checked(tmp_path: Path) -> None:
    # An Hòa: 62 − 21 + 5 = 46 hộ nghèo; 80 − 25 + 18 = 73 hộ cận nghèo
    assert check(AN_HOA).warnings == []
    broken = with_text(tmp_path, ("ho_can_ngheo_phat_sinh: 18", "ho_can_ngheo_phat_sinh: 10"))
    assert [issue.format() for issue in check(broken).warnings] == [
        f"{broken}:49:17: cảnh báo: ket_qua.ho_can_ngheo (73) khác số tính theo kỳ trước"
        " (ky_truoc.ho_can_ngheo 80 + ket_qua.ho_can_ngheo_phat_sinh 10 - ket_qua.ho_thoat_can_ngheo 25 = 65)"
    ]


def test_rollup_compares_the_communes_previous_period_with_the_districts(tmp_path: Path) -> None:
    communes, district = copy_district(tmp_path)
    commune = communes / "xa-tan-lap.yaml"
    commune.write_text(commune.read_text(encoding="utf-8").replace("ho_ngheo: 79", "ho_ngheo: 84"), "utf-8")
    line = next(
        number
        for number, text in enumerate(district.read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith("ky_truoc:")
    )
    warnings = [
        issue.format() for issue in rollup(communes, district).warnings if issue.code == "rollup.previous"
    ]
    # 2023 district file: 190 poor households; communes: 62 + 84 + 49 = 195
    assert warnings == [
        f"{district}:{line}:11: cảnh báo: ky_truoc: ho_ngheo của kỳ trước (190) khác tổng kỳ trước của các xã"
        " (62 + 84 + 49 = 195)"
    ]


def test_rollup_writes_the_communes_previous_period_when_the_district_has_none(tmp_path: Path) -> None:
    communes, district = copy_district(tmp_path)
    text = district.read_text(encoding="utf-8")
    district.write_text(text.replace("ky_truoc: 2023/huyen-son-thuong-2023.yaml\n", ""), encoding="utf-8")
    data = load_document_text(rollup(communes, district).text)
    assert data["ky_truoc"] == {
        "nam": 2023,
        "tong_so_ho": 1830 + 2300 + 1268,
        "ho_ngheo": 190,
        "ho_can_ngheo": 260,
    }


def policy_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(("- Chính sách", "- Hỗ trợ"))]


def test_policies_in_their_own_unit_period_and_missing_figures(tmp_path: Path) -> None:
    path = with_text(
        tmp_path,
        ("tien_dien: {so_ho: 46, so_tien: 29821000}", "tien_dien: {so_luot: 552, ky: {tu_nam: 2022}}"),
        ("giao_duc: {so_em: 96, kinh_phi: 124800000}", "giao_duc: {chua_co_so_lieu: true}"),
        ("viec_lam: {so_nguoi: 25}", "viec_lam: {so_nguoi: 0}"),
        (
            "luot_ho: 38, ho_ngheo: 20, ho_can_ngheo: 12, ho_moi_thoat_ngheo: 6",
            "ho_ngheo: 20, ho_can_ngheo: 0",
        ),
    )
    assert policy_lines(render_text(path)) == [
        "- Chính sách tín dụng ưu đãi: trong năm hộ nghèo, hộ cận nghèo, hộ mới thoát nghèo được vay vốn"
        " (trong đó hộ nghèo: 20), tổng số tiền 1.520.000.000 đồng.",
        "- Hỗ trợ việc làm: không có lao động nào được tư vấn, giới thiệu việc làm.",
        "- Chính sách hỗ trợ y tế: lũy kế giai đoạn 2021–2024, cấp 412 thẻ bảo hiểm y tế cho người thuộc hộ"
        " nghèo, hộ cận nghèo.",
        "- Chính sách hỗ trợ giáo dục: chưa có số liệu.",
        "- Chính sách hỗ trợ nhà ở: hỗ trợ xây mới, sửa chữa nhà ở cho 4 hộ nghèo, hộ cận nghèo (trong đó hộ"
        " nghèo: 3, hộ cận nghèo: 1), kinh phí 160.000.000 đồng.",
        "- Hỗ trợ tiền điện: lũy kế giai đoạn 2022–2024, chi trả tiền điện 552 lượt cho hộ nghèo.",
    ]


def test_previous_period_from_a_figures_only_file(tmp_path: Path) -> None:
    (tmp_path / "so-lieu-2023.yaml").write_text(
        "nam: 2023\ntong_so_ho: 1830\nho_ngheo: 62\nho_can_ngheo: 80\n", encoding="utf-8"
    )
    path = with_previous(tmp_path, "ky_truoc: so-lieu-2023.yaml\n")
    assert comparison_line(render_text(path)) == comparison_line(render_text(AN_HOA))
    (tmp_path / "so-lieu-2023.yaml").write_text("tong_so_ho: 1830\nho_ngheo: 62\nho_can_ngheo: 80\n", "utf-8")
    with pytest.raises(ReportError) as error:
        check(path)
    assert [issue.format() for issue in error.value.issues] == [
        f"{path}:26:11: lỗi: ky_truoc: tệp kỳ trước có lỗi: {tmp_path / 'so-lieu-2023.yaml'}:1:1: lỗi: nam:"
        " thiếu trường bắt buộc (Năm)"
    ]


def test_supported_households_above_the_poor_are_checked_only_within_the_year(tmp_path: Path) -> None:
    yearly = with_text(tmp_path, ("tien_dien: {so_ho: 46,", "tien_dien: {so_ho: 47,"))
    assert [issue.format() for issue in check(yearly).warnings] == [
        f"{yearly}:67:22: cảnh báo: chinh_sach.tien_dien.so_ho (47 hộ) nhiều hơn ket_qua.ho_ngheo (46 hộ):"
        " mỗi hộ chỉ tính một lần (số lượt hỗ trợ ghi ở trường so_luot)"
    ]
    cumulative = with_text(
        tmp_path, ("tien_dien: {so_ho: 46,", "tien_dien: {ky: {tu_nam: 2021}, so_ho: 120,")
    )
    assert check(cumulative).warnings == []


def test_rollup_keeps_a_period_only_when_every_commune_gives_it(tmp_path: Path) -> None:
    communes, district = copy_district(tmp_path)
    commune = communes / "xa-tan-lap.yaml"
    text = commune.read_text(encoding="utf-8").replace(
        "ky: {tu_nam: 2021, den_nam: 2024}", "ky: {tu_nam: 2022}"
    )
    commune.write_text(text, encoding="utf-8")
    result = rollup(communes, district)
    assert "ky" not in load_document_text(result.text)["chinh_sach"]["bhyt"]
    assert [issue.format().split(": cảnh báo: ")[1] for issue in result.warnings] == [
        "chinh_sach.bhyt.ky: khác nhau giữa các xã nên báo cáo huyện không ghi mục này"
    ] * 2


def test_no_poor_household_left(tmp_path: Path) -> None:
    path = with_text(
        tmp_path,
        ("  ho_ngheo: 46\n  ho_can_ngheo: 73\n", "  ho_ngheo: 0\n  ho_can_ngheo: 73\n"),
        ("  ho_ngheo: 62\n", "  ho_ngheo: 16\n"),
        ("tien_dien: {so_ho: 46, so_tien: 29821000}", "tien_dien: {chua_co_so_lieu: true}"),
    )
    assert (
        "Theo kết quả rà soát hộ nghèo, hộ cận nghèo cuối năm 2024, trên địa bàn xã An Hòa có 1.842"
        " hộ dân cư; trong đó không còn hộ nghèo, và có 73 hộ cận nghèo, chiếm tỷ lệ 3,96%."
        in render_text(path).splitlines()
    )
