"""`baocao build`: incremental, parallel, one bad file never stops the others; output independent of TZ."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document
from ruamel.yaml import YAML

from engine.build import (
    BuildOptions,
    BuildResult,
    Entry,
    FileResult,
    Status,
    _shared_hashes,
    build,
    data_copy_path,
    digest,
    find_sources,
    input_files,
    load_manifest,
)
from engine.errors import BaocaoError
from engine.pipeline import Checked, check, render_checked
from tests.conftest import DATA_DIR, ROOT, run_cli

SAMPLE = DATA_DIR / "xa-luc-binh-2023-6t.yaml"


class Recorder:
    """A build listener that keeps what it was told."""

    def __init__(self) -> None:
        self.total = -1
        self.results: list[FileResult] = []
        self.converting_count = 0
        self.converted_count = 0

    def started(self, total: int) -> None:
        self.total = total

    def finished(self, result: FileResult) -> None:
        self.results.append(result)

    def converting(self, count: int) -> None:
        self.converting_count = count

    def converted(self, done: int) -> None:
        self.converted_count = done


@pytest.fixture
def src(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    (folder / "huyen").mkdir(parents=True)
    shutil.copy(SAMPLE, folder / "xa-a.yaml")
    shutil.copy(SAMPLE, folder / "huyen" / "xa-b.yaml")
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_second_build_renders_nothing(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_cli(["build", str(src), "-o", str(out), "-j", "1"])
    assert first.exit_code == 0, first.stderr
    assert f"đã tạo {out / 'huyen' / 'xa-b.docx'}" in first.stderr
    assert first.stderr.endswith("đã tạo 2, không đổi 0, lỗi 0\n")
    built = (out / "xa-a.docx").read_bytes()
    assert built == render_checked(check(SAMPLE)) == (out / "huyen" / "xa-b.docx").read_bytes()
    second = run_cli(["build", str(src), "-o", str(out), "-j", "1"])
    assert second.exit_code == 0
    assert second.stderr.endswith("đã tạo 0, không đổi 2, lỗi 0\n")
    assert "đã tạo /" not in second.stderr
    assert (out / "xa-a.docx").read_bytes() == built


def test_warnings_are_located_as_in_render(src: Path, tmp_path: Path) -> None:
    result = run_cli(["build", str(src), "-o", str(tmp_path / "out"), "-j", "1"])
    line = next(n for n, text in enumerate(SAMPLE.read_text().splitlines(), 1) if "luot_ho:" in text)
    assert f"{src / 'xa-a.yaml'}:{line}:12: cảnh báo: tin_dung.luot_ho (21) khác tổng" in result.stderr


@pytest.mark.many_files
def test_changing_one_of_500_files_rebuilds_exactly_one(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    # The sample cut to its required fields: half the time per file of the full one.
    required = json.loads((ROOT / "schemas" / "bao_cao_6_thang.schema.json").read_text(encoding="utf-8"))
    short = {key: check(SAMPLE).document.data[key] for key in required["required"]}
    short |= {"ngay_ban_hanh": "2023-07-05", "can_cu": "Căn cứ", "chi_dao_dieu_hanh": ["Chỉ đạo"]}
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    for index in range(500):
        short["nguoi_ky"] = {**short["nguoi_ky"], "ho_ten": f"Người ký {index}"}
        with (src / f"xa-{index:03}.yaml").open("w", encoding="utf-8") as stream:
            yaml.dump(short, stream)
    options = BuildOptions(src, out)
    first = build(options, Recorder())
    assert (first.count(Status.RENDERED), first.count(Status.FAILED)) == (500, 0)
    edit(src / "xa-321.yaml", "giam_ho_ngheo: 42", "giam_ho_ngheo: 44")
    listener = Recorder()
    second = build(options, listener)
    rendered = [result.output for result in second.files if result.status is Status.RENDERED]
    assert rendered == ["xa-321.docx"]
    assert second.count(Status.UNCHANGED) == 499
    assert listener.total == 500 and len(listener.results) == 500


@pytest.mark.many_files
def test_parallel_build_gives_the_same_bytes(src: Path, tmp_path: Path) -> None:
    serial = build(BuildOptions(src, tmp_path / "serial", jobs=1), Recorder())
    parallel = build(BuildOptions(src, tmp_path / "parallel", jobs=2), Recorder())
    assert [result.output for result in parallel.files] == [result.output for result in serial.files]
    for name in ("xa-a.docx", "huyen/xa-b.docx"):
        assert (tmp_path / "parallel" / name).read_bytes() == (tmp_path / "serial" / name).read_bytes()


def test_bad_file_does_not_stop_the_others(src: Path, tmp_path: Path) -> None:
    (src / "hong.yaml").write_text("loai: bao_cao_6_thang\nnam: hai\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(["build", str(src), "-o", str(out), "-j", "2"])
    assert result.exit_code == 1
    assert f"{src / 'hong.yaml'}:2:6: lỗi: nam:" in result.stderr
    assert f"không tạo {out / 'hong.docx'}" in result.stderr
    assert result.stderr.endswith("đã tạo 2, không đổi 0, lỗi 1\n")
    assert not (out / "hong.docx").exists()
    again = run_cli(["build", str(src), "-o", str(out), "-j", "1"])
    assert again.exit_code == 1, "a failed file is tried again, not recorded as built"
    assert again.stderr.endswith("đã tạo 0, không đổi 2, lỗi 1\n")


def test_inputs_decide_what_is_rebuilt(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    options = BuildOptions(src, out, jobs=1)
    build(options, Recorder())
    edit(src / "xa-a.yaml", "# Báo cáo 6 tháng", "# Bản sửa: báo cáo 6 tháng")  # bytes changed, data did not
    (out / "huyen" / "xa-b.docx").unlink()  # a deleted output is made again
    result = build(options, Recorder())
    assert sorted(r.output for r in result.files if r.status is Status.RENDERED) == [
        "huyen/xa-b.docx",
        "xa-a.docx",
    ]
    strict = build(
        replace(options, strict=True), Recorder()
    )  # the sample has warnings: it fails under --strict
    assert strict.count(Status.FAILED) == 2
    assert strict.files[0].issues[0].severity == "error"


def test_manifest_records_every_input_and_a_data_copy(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(BuildOptions(src, out, jobs=1), Recorder())
    manifest = json.loads((out / ".baocao" / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["outputs"]["huyen/xa-b.docx"]
    assert entry["source"] == str((src / "huyen" / "xa-b.yaml").resolve())
    names = [Path(name).name for name in entry["inputs"]]
    assert names == [
        "xa-b.yaml",
        "bao_cao_6_thang.docx",
        "bao_cao_6_thang.schema.json",
        "chung.schema.json",
        "bao_cao_6_thang.rules.yaml",
    ]
    assert data_copy_path(out, "huyen/xa-b.docx").read_bytes() == SAMPLE.read_bytes()


def test_manifest_entries_share_their_file_names(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build(BuildOptions(src, out, jobs=1), Recorder())
    assert [file.entry for file in result.files] == [None, None], "the manifest holds the entries, once"
    first, second = load_manifest(out).values()
    assert first.inputs[1] == second.inputs[1] and first.inputs[1].endswith("bao_cao_6_thang.docx")
    assert first.inputs[1] is second.inputs[1]  # one string for the template's name in all entries


def test_an_entry_is_read_back_as_written(tmp_path: Path) -> None:
    (tmp_path / ".baocao").mkdir()
    entry = {"source": "/du-lieu/xa.yaml", "digest": "ab12", "inputs": ["/mau/bao_cao_6_thang.docx"]}
    manifest = {"format": 1, "outputs": {"xa.docx": entry}}
    (tmp_path / ".baocao" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert load_manifest(tmp_path) == {
        "xa.docx": Entry("/du-lieu/xa.yaml", "ab12", ("/mau/bao_cao_6_thang.docx",))
    }


def test_the_manifest_is_indented_sorted_utf8_text(tmp_path: Path) -> None:
    # README: UTF-8 JSON indented by 2, keys sorted, names as written (not `\u` escapes), a final newline
    src, out = tmp_path / "dữ liệu", tmp_path / "ra"
    src.mkdir()
    shutil.copy(SAMPLE, src / "xã-a.yaml")
    build(BuildOptions(src, out, jobs=1), Recorder())
    text = (out / ".baocao" / "manifest.json").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[:4] == ["{", '  "format": 1,', '  "outputs": {', '    "xã-a.docx": {']
    assert lines[4].startswith('      "digest": "') and lines[5] == '      "inputs": ['
    assert lines[6] == f'        "{(src / "xã-a.yaml").resolve()}",'
    assert text.endswith("\n  }\n}\n")


def test_templates_and_schemas_are_hashed_once_for_the_whole_build() -> None:
    # README (speed): their hashes are computed once per build, not again for each document
    shared = _shared_hashes()
    for sample in (SAMPLE, DATA_DIR / "tinh-hung-yen-2024-kh.yaml"):
        built_in = [str(path) for path in check(sample).files.inputs() if path.exists()]
        assert [Path(name).suffix for name in built_in] == [".docx", ".json", ".json", ".yaml"]
        hashes = {name: hashlib.sha256(Path(name).read_bytes()).hexdigest() for name in built_in}
        assert {name: shared[name] for name in built_in} == hashes


def test_referenced_data_files_are_inputs(tmp_path: Path) -> None:
    checked = check(SAMPLE)
    source = tmp_path / "2024" / "xa-a.yaml"
    with_reference = replace(
        checked,
        document=replace(checked.document, data={**checked.document.data, "ky_truoc": "../2023/xa-a.yaml"}),
    )
    previous, older = tmp_path / "2023" / "xa-a.yaml", tmp_path / "2022" / "xa-a.yaml"
    inputs = input_files(source, with_reference)
    assert inputs[-1] == str(previous.resolve())
    missing = digest(inputs, "1", False, {})
    previous.parent.mkdir()
    previous.write_text("ky_truoc: ../2022/xa-a.yaml\n", encoding="utf-8")
    present = digest(inputs, "1", False, {})
    assert missing != present
    inputs = input_files(source, with_reference)
    assert inputs[-2:] == (str(previous.resolve()), str(older.resolve())), "references are followed"
    before = digest(inputs, "1", False, {})
    older.parent.mkdir()
    older.write_text("nam: 2022\n", encoding="utf-8")
    assert digest(inputs, "1", False, {}) != before
    assert digest(inputs, "2", False, {}) != digest(inputs, "1", False, {}), "engine version counts"
    assert digest(inputs, "1", True, {}) != digest(inputs, "1", False, {}), "--strict counts"


def test_changing_a_previous_period_file_rebuilds_the_report_naming_it(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(DATA_DIR / "huyen-son-thuong", src)
    referencing = {
        path: match.group(1)
        for path in src.rglob("*.yaml")
        if (match := re.search(r"^ky_truoc: (\S+\.yaml)", path.read_text(encoding="utf-8"), re.MULTILINE))
    }
    assert referencing, "the sample folder has a report naming its previous period's file"
    report, name = next(iter(referencing.items()))
    options = BuildOptions(src, out, jobs=1)
    assert build(options, Recorder()).count(Status.FAILED) == 0
    with (report.parent / name).open("a", encoding="utf-8") as previous:
        previous.write("# đã rà soát lại\n")
    rebuilt = {r.output for r in build(options, Recorder()).files if r.status is Status.RENDERED}
    expected = {(report.parent / name).resolve(), report.resolve()}
    assert rebuilt == {path.relative_to(src.resolve()).with_suffix(".docx").as_posix() for path in expected}


def test_stale_outputs_are_reported_then_pruned(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_cli(["build", str(src), "-o", str(out), "-j", "1"])
    (out / "huyen" / "xa-b.pdf").write_bytes(b"%PDF")
    (src / "huyen" / "xa-b.yaml").unlink()
    kept = run_cli(["build", str(src), "-o", str(out), "-j", "1"])
    assert kept.exit_code == 0
    assert f"cũ: {out / 'huyen' / 'xa-b.docx'} (không còn tệp dữ liệu; dùng --prune để xóa)" in kept.stderr
    assert (out / "huyen" / "xa-b.docx").exists()
    pruned = run_cli(["build", str(src), "-o", str(out), "-j", "1", "--prune"])
    assert f"đã xóa {out / 'huyen' / 'xa-b.docx'}" in pruned.stderr
    assert not (out / "huyen").exists()
    assert not data_copy_path(out, "huyen/xa-b.docx").exists()
    manifest = json.loads((out / ".baocao" / "manifest.json").read_text(encoding="utf-8"))
    assert list(manifest["outputs"]) == ["xa-a.docx"]
    assert "cũ:" not in run_cli(["build", str(src), "-o", str(out)]).stderr


def test_output_folder_inside_source_is_not_scanned(src: Path) -> None:
    out = src / "out"
    build(BuildOptions(src, out, jobs=1), Recorder())
    again = build(BuildOptions(src, out, jobs=1), Recorder())
    assert [result.output for result in again.files] == ["huyen/xa-b.docx", "xa-a.docx"]


def test_rerendered_document_drops_its_outdated_pdf(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(BuildOptions(src, out, jobs=1), Recorder())
    (out / "xa-a.pdf").write_bytes(b"%PDF")
    (out / "huyen" / "xa-b.pdf").write_bytes(b"%PDF")
    edit(src / "xa-a.yaml", "giam_ho_ngheo: 42", "giam_ho_ngheo: 44")
    build(BuildOptions(src, out, jobs=1), Recorder())
    assert not (out / "xa-a.pdf").exists()
    assert (out / "huyen" / "xa-b.pdf").exists()


def test_a_pdf_deleted_while_building_is_not_an_error(
    src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user deletes an outdated PDF in Explorer after `build` listed it."""
    out = tmp_path / "out"
    build(BuildOptions(src, out, jobs=1), Recorder())
    edit(src / "xa-a.yaml", "giam_ho_ngheo: 42", "giam_ho_ngheo: 44")
    monkeypatch.setattr("engine.build._pdfs_of", lambda out, outputs: [out / "xa-a.pdf"])
    result = build(BuildOptions(src, out, jobs=1), Recorder())
    assert [file.output for file in result.files if file.status is Status.RENDERED] == ["xa-a.docx"]


def test_a_source_edited_during_the_build_is_rebuilt_next_time(
    src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The manifest keeps the hash of the bytes rendered, not of the file as it is after rendering."""
    out = tmp_path / "out"
    source = src / "xa-a.yaml"

    def render_then_edit(checked: Checked) -> bytes:
        document = render_checked(checked)
        if checked.document.file.endswith("xa-a.yaml"):
            edit(source, "giam_ho_ngheo: 42", "giam_ho_ngheo: 44")
        return document

    monkeypatch.setattr("engine.build.render_checked", render_then_edit)
    build(BuildOptions(src, out, jobs=1), Recorder())
    monkeypatch.undo()
    again = build(BuildOptions(src, out, jobs=1), Recorder())
    assert [file.output for file in again.files if file.status is Status.RENDERED] == ["xa-a.docx"]
    assert "44" in data_copy_path(out, "xa-a.docx").read_text(encoding="utf-8")


def test_a_source_deleted_after_the_scan_is_a_located_failure(
    src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user deletes a data file while a long build is still on the files before it."""
    gone = src / "xa-c.yaml"
    monkeypatch.setattr("engine.build.find_sources", lambda folder, out: [gone, src / "xa-a.yaml"])
    result = build(BuildOptions(src, tmp_path / "out", jobs=1), Recorder())
    assert [(file.output, file.status) for file in result.files] == [
        ("xa-c.docx", Status.FAILED),
        ("xa-a.docx", Status.RENDERED),
    ]
    assert [issue.format() for issue in result.files[0].issues] == [f"{gone}: lỗi: không tìm thấy tệp"]


def test_pdf_without_libreoffice_exits_3_before_rendering(
    src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("engine.pdf.shutil.which", lambda name: None)
    monkeypatch.setattr("engine.pdf.SOFFICE_PLACES", ())
    monkeypatch.delenv("BAOCAO_SOFFICE", raising=False)
    result = run_cli(["build", str(src), "-o", str(tmp_path / "out"), "--pdf"])
    assert result.exit_code == 3
    assert "không tìm thấy LibreOffice" in result.stderr
    assert not (tmp_path / "out").exists()


def test_unreadable_manifest_means_rebuild(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(BuildOptions(src, out, jobs=1), Recorder())
    (out / ".baocao" / "manifest.json").write_text("{không phải json", encoding="utf-8")
    assert build(BuildOptions(src, out, jobs=1), Recorder()).count(Status.RENDERED) == 2


def test_rendered_bytes_do_not_depend_on_time_zone(tmp_path: Path) -> None:
    outputs = []
    for zone in ("UTC", "Asia/Ho_Chi_Minh", "Pacific/Kiritimati"):
        target = tmp_path / f"{zone.replace('/', '-')}.docx"
        environment = {**os.environ, "TZ": zone}
        command = [sys.executable, str(ROOT / "cli.py"), "render", str(SAMPLE), "-o", str(target)]
        subprocess.run(command, env=environment, check=True, capture_output=True)
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]


def _rendered(result: BuildResult) -> list[str]:
    return sorted(file.output for file in result.files if file.status is Status.RENDERED)


def test_editing_a_template_schema_or_rules_file_rebuilds_exactly_the_documents_of_that_kind(
    tmp_path: Path,
) -> None:
    workspace = tmp_path / "huyen"
    data, templates, schemas = workspace / "data", workspace / "templates" / "docx", workspace / "schemas"
    for folder in (data, templates, schemas):
        folder.mkdir(parents=True)
    shutil.copy(SAMPLE, data / "xa-a.yaml")
    shutil.copy(SAMPLE, data / "xa-b.yaml")
    shutil.copy(DATA_DIR / "tinh-hung-yen-2024-kh.yaml", data / "ke-hoach.yaml")
    options = BuildOptions(data, tmp_path / "out", jobs=1)
    assert _rendered(build(options, Recorder())) == ["ke-hoach.docx", "xa-a.docx", "xa-b.docx"]
    assert _rendered(build(options, Recorder())) == []

    six_months = check(SAMPLE).files
    template = templates / "bao_cao_6_thang.docx"
    template.write_bytes(six_months.template.read_bytes())  # an override equal to the built-in one
    assert _rendered(build(options, Recorder())) == ["xa-a.docx", "xa-b.docx"]
    doc = Document(str(template))
    doc.add_paragraph("Mẫu riêng của huyện.")
    doc.save(str(template))
    assert _rendered(build(options, Recorder())) == ["xa-a.docx", "xa-b.docx"]

    plan = check(DATA_DIR / "tinh-hung-yen-2024-kh.yaml").files
    rules = schemas / "ke_hoach.rules.yaml"
    rules.write_text(plan.rules.read_text(encoding="utf-8") + "# sửa của huyện\n", encoding="utf-8")
    assert _rendered(build(options, Recorder())) == ["ke-hoach.docx"]
    schema = json.loads(plan.schema.read_text(encoding="utf-8"))
    schema["description"] = "Lược đồ kế hoạch của huyện"
    (schemas / "ke_hoach.schema.json").write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    assert _rendered(build(options, Recorder())) == ["ke-hoach.docx"]
    assert _rendered(build(options, Recorder())) == []


def test_a_workspace_kinds_rules_file_is_not_a_document(tmp_path: Path) -> None:
    workspace = tmp_path / "huyen"
    (workspace / "schemas").mkdir(parents=True)
    shutil.copy(check(SAMPLE).files.rules, workspace / "schemas" / "bao_cao_6_thang.rules.yaml")
    shutil.copy(SAMPLE, workspace / "xa.yaml")
    result = build(BuildOptions(workspace, tmp_path / "out", jobs=1), Recorder())
    assert [(file.output, file.status) for file in result.files] == [("xa.docx", Status.RENDERED)]


def test_hidden_folders_and_the_output_folder_hold_no_documents(tmp_path: Path) -> None:
    source = tmp_path / "src"
    for name in ("xa.yaml", "huyen/xa.yaml", ".nhap/xa.yaml", "huyen/.cu/xa.yaml", "ra/xa.yaml"):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text("nam: 2024\n", encoding="utf-8")
    assert find_sources(source, source / "ra") == [source / "huyen" / "xa.yaml", source / "xa.yaml"]


def test_previous_period_files_are_followed_once_past_missing_ones(tmp_path: Path) -> None:
    # spec: a data file depends on the files its `ky_truoc` names, and on the files those name in turn;
    # a file that does not load is still an input (fixing it changes the output)
    checked = check(SAMPLE)
    source = tmp_path / "2024" / "bc.yaml"
    data = {
        **checked.document.data,
        "ky_truoc": "../2023/bc.yaml",
        "phu_luc": {"xa": [{"ky_truoc": "../2023/khong-co.yaml"}, {"ky_truoc": "../2023/xa.yaml"}]},
    }
    with_references = replace(checked, document=replace(checked.document, data=data))
    previous = tmp_path / "2023"
    previous.mkdir()
    # naming the report itself again, then a file named from a list
    (previous / "bc.yaml").write_text(
        "ky_truoc: ../2024/bc.yaml\nphu_luc:\n  - ky_truoc: ../2022/bc.yaml\n", encoding="utf-8"
    )
    (previous / "xa.yaml").write_text("nam: 2023\n", encoding="utf-8")
    inputs = input_files(source, with_references)
    assert inputs[-4:] == tuple(
        str((tmp_path / name).resolve())
        for name in ("2023/bc.yaml", "2023/khong-co.yaml", "2023/xa.yaml", "2022/bc.yaml")
    )
    assert inputs.count(str(source)) == 1


def test_pruning_a_document_that_has_no_pdf(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(BuildOptions(src, out, jobs=1), Recorder())
    assert (out / ".baocao" / "du-lieu" / "huyen" / "xa-b.yaml").read_bytes() == SAMPLE.read_bytes()  # README
    (src / "huyen" / "xa-b.yaml").unlink()
    result = build(BuildOptions(src, out, jobs=1, prune=True), Recorder())
    assert result.stale == ["huyen/xa-b.docx"]
    assert sorted(path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file()) == [
        ".baocao/du-lieu/xa-a.yaml",
        ".baocao/manifest.json",
        "xa-a.docx",
    ]


def fake_office(calls: list[tuple[Path, list[str]]]) -> Callable[..., list[Path]]:
    """A stand-in for LibreOffice: each staged .docx becomes a "PDF" holding that document's bytes."""

    def convert(documents: list[Path], out_dir: Path, progress: Callable[[int], None]) -> list[Path]:
        calls.append((out_dir.parent, [document.name for document in documents]))
        produced = []
        for done, document in enumerate(documents, 1):
            pdf = out_dir / document.with_suffix(".pdf").name
            pdf.write_bytes(b"%PDF " + document.read_bytes())
            produced.append(pdf)
            progress(done)
        return produced

    return convert


def test_pdfs_land_beside_their_documents(src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Path, list[str]]] = []
    monkeypatch.setattr("engine.build.find_soffice", lambda: "soffice")
    monkeypatch.setattr("engine.build.convert_to_pdf", fake_office(calls))
    monkeypatch.setattr(
        "engine.build.font_warning", lambda pdf: f"{pdf.name}: phông" if "huyen" in str(pdf) else None
    )
    shutil.copy(SAMPLE, src / "huyen" / "xa-a.yaml")  # the same name as a document in another folder
    edit(src / "huyen" / "xa-a.yaml", "giam_ho_ngheo: 42", "giam_ho_ngheo: 44")
    out = tmp_path / "out"
    listener = Recorder()
    result = build(BuildOptions(src, out, jobs=1, pdf=True), listener)
    outputs = ["huyen/xa-a", "huyen/xa-b", "xa-a"]
    assert result.pdfs == [f"{output}.pdf" for output in outputs]
    assert (listener.converting_count, listener.converted_count, result.pdf_error) == (3, 3, "")
    assert (result.count(Status.RENDERED), result.stale) == (3, [])
    assert result.pdf_warnings == ("xa-a.pdf: phông", "xa-b.pdf: phông")
    for output in outputs:
        assert (out / f"{output}.pdf").read_bytes() == b"%PDF " + (out / f"{output}.docx").read_bytes()
    assert sorted(path.name for path in (out / ".baocao").iterdir()) == ["du-lieu", "manifest.json"]
    again = build(BuildOptions(src, out, jobs=1, pdf=True), Recorder())
    assert (again.count(Status.UNCHANGED), again.stale, again.pdfs) == (3, [], [])
    (out / "huyen" / "xa-b.pdf").unlink()
    assert build(BuildOptions(src, out, jobs=1, pdf=True), Recorder()).pdfs == ["huyen/xa-b.pdf"]
    # staged inside OUTDIR, so each PDF is moved within one file system
    assert calls == [(out / ".baocao", ["0.docx", "1.docx", "2.docx"]), (out / ".baocao", ["0.docx"])]


def test_a_failed_pdf_conversion_keeps_the_documents(
    src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(documents: list[Path], out_dir: Path, progress: Callable[[int], None]) -> list[Path]:
        raise BaocaoError("LibreOffice dừng giữa chừng")

    monkeypatch.setattr("engine.build.find_soffice", lambda: "soffice")
    monkeypatch.setattr("engine.build.convert_to_pdf", broken)
    out = tmp_path / "out"
    result = build(BuildOptions(src, out, jobs=1, pdf=True), Recorder())
    assert (result.count(Status.RENDERED), result.pdfs, result.pdf_error) == (
        2,
        [],
        "LibreOffice dừng giữa chừng",
    )
    assert result.stale == []
    assert sorted(path.name for path in (out / ".baocao").iterdir()) == ["du-lieu", "manifest.json"]


def test_an_output_that_cannot_be_written_fails_alone(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "huyen").write_text("một tệp chắn chỗ thư mục huyen/", encoding="utf-8")
    result = build(BuildOptions(src, out, jobs=1), Recorder())
    failed, rendered = result.files
    assert (failed.output, failed.status, rendered.status) == (
        "huyen/xa-b.docx",
        Status.FAILED,
        Status.RENDERED,
    )
    [issue] = failed.issues
    assert (issue.file, issue.severity) == (str(src / "huyen" / "xa-b.yaml"), "error")
    assert issue.message.startswith(f"không ghi được {out / 'huyen' / 'xa-b.docx'}: ")
    manifest = json.loads((out / ".baocao" / "manifest.json").read_text(encoding="utf-8"))
    assert list(manifest["outputs"]) == ["xa-a.docx"], "a failed file is tried again next time"


def test_a_broken_template_fails_the_documents_of_its_kind(tmp_path: Path) -> None:
    workspace = tmp_path / "huyen"
    (workspace / "templates" / "docx").mkdir(parents=True)
    (workspace / "templates" / "docx" / "bao_cao_6_thang.docx").write_bytes(b"not a zip")
    shutil.copy(SAMPLE, workspace / "xa.yaml")
    shutil.copy(DATA_DIR / "tinh-hung-yen-2024-kh.yaml", workspace / "ke-hoach.yaml")
    result = build(BuildOptions(workspace, tmp_path / "out", jobs=1), Recorder())
    assert [(file.output, file.status) for file in result.files] == [
        ("ke-hoach.docx", Status.RENDERED),
        ("xa.docx", Status.FAILED),
    ]
    [issue] = result.files[1].issues
    assert (issue.file, issue.severity) == (str(workspace / "xa.yaml"), "error")
    assert "bao_cao_6_thang.docx" in issue.message


def test_the_manifest_is_the_same_however_the_outputs_were_built(src: Path, tmp_path: Path) -> None:
    """Sorted, so its bytes do not depend on the order documents were first built in."""
    later = src / "huyen" / "xa-b.yaml"
    later.rename(tmp_path / "xa-b.yaml")
    build(BuildOptions(src, tmp_path / "dan", jobs=1), Recorder())  # "dần": xa-a first, then xa-b
    (tmp_path / "xa-b.yaml").rename(later)
    build(BuildOptions(src, tmp_path / "dan", jobs=1), Recorder())
    build(BuildOptions(src, tmp_path / "mot-lan", jobs=1), Recorder())
    incremental = (tmp_path / "dan" / ".baocao" / "manifest.json").read_text(encoding="utf-8")
    at_once = (tmp_path / "mot-lan" / ".baocao" / "manifest.json").read_text(encoding="utf-8")
    assert incremental == at_once.replace(str(tmp_path / "mot-lan"), str(tmp_path / "dan"))
    assert list(json.loads(incremental)["outputs"]) == ["huyen/xa-b.docx", "xa-a.docx"]


def test_messages_name_data_files_as_the_user_named_the_folder(
    src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = build(BuildOptions(Path("src"), Path("out"), jobs=1), Recorder())
    assert {issue.file for file in result.files for issue in file.issues} == {
        str(Path("src") / "huyen" / "xa-b.yaml"),
        str(Path("src") / "xa-a.yaml"),
    }


def test_kinds_option_gives_every_file_that_workspace(src: Path, tmp_path: Path) -> None:
    workspace = tmp_path / "kho"
    (workspace / "templates" / "docx").mkdir(parents=True)
    (workspace / "templates" / "docx" / "bao_cao_6_thang.docx").write_bytes(b"not a zip")
    plain = build(BuildOptions(src, tmp_path / "out", jobs=1), Recorder())
    assert plain.count(Status.RENDERED) == 2
    with_kinds = build(BuildOptions(src, tmp_path / "out-kho", jobs=1, kinds_dir=workspace), Recorder())
    assert with_kinds.count(Status.FAILED) == 2


def test_a_new_engine_version_rebuilds_everything(
    src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = BuildOptions(src, tmp_path / "out", jobs=1)
    build(options, Recorder())
    assert build(options, Recorder()).count(Status.UNCHANGED) == 2
    monkeypatch.setattr("engine.build.package_version", lambda name: "99.0")
    assert build(options, Recorder()).count(Status.RENDERED) == 2


@pytest.mark.skipif(not hasattr(os, "sync"), reason="the OS flushes files one by one")
def test_a_build_syncs_once_before_the_manifest_records_its_outputs(
    src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(os, "fsync", lambda descriptor: calls.append("fsync"))
    monkeypatch.setattr(os, "sync", lambda: calls.append("sync"))
    options = BuildOptions(src, tmp_path / "out", jobs=1)
    build(options, Recorder())
    assert calls == ["sync", "fsync"], "documents and data copies unsynced, one sync, then the manifest"
    calls.clear()
    build(options, Recorder())
    assert calls == ["fsync"], "nothing rendered: only the manifest is written"
