"""The warm office's bookkeeping, with a stand-in bridge instead of LibreOffice: answers, a bridge that
hangs (killed, started again, the document retried once), and the cold way when no `uno` Python exists.
Real conversions are in test_pdf.py."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from engine import pdf
from engine.errors import BaocaoError

# Speaks office_bridge.py's protocol; its own session, so killing "LibreOffice's group" kills only it.
FAKE_BRIDGE = """
import json, os, sys, time
os.setsid()
print(json.dumps({"ready": True, "pid": os.getpid()}), flush=True)
with open(sys.argv[2].removeprefix("file://") + "/../starts", "a") as starts:
    starts.write("start\\n")
for line in sys.stdin:
    request = json.loads(line)
    if "hang" in request["docx"]:
        time.sleep(60)
    elif "broken" in request["docx"]:
        print(json.dumps({"ok": False, "error": "cannot open", "dead": False}), flush=True)
    else:
        open(request["pdf"], "w").close()
        print(json.dumps({"ok": True}), flush=True)
"""


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> pdf.Office:
    bridge = tmp_path / "fake_bridge.py"
    bridge.write_text(FAKE_BRIDGE, encoding="utf-8")
    monkeypatch.setattr(pdf, "BRIDGE", bridge)
    monkeypatch.setattr(pdf, "uno_pythons", lambda soffice: [sys.executable])
    monkeypatch.setattr(pdf, "find_soffice", lambda: "soffice")
    monkeypatch.setattr(pdf, "CONVERT_SECONDS", 1.0)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "profiles"))
    (tmp_path / "profiles").mkdir()
    return pdf.Office()


def starts(tmp_path: Path) -> int:
    path = tmp_path / "profiles" / "starts"
    return len(path.read_text().splitlines()) if path.exists() else 0


def test_documents_go_to_one_bridge(office: pdf.Office, tmp_path: Path) -> None:
    with office:
        made = office.convert([tmp_path / "a.docx", tmp_path / "b.docx"], tmp_path / "out")
        assert made == [tmp_path / "out" / "a.pdf", tmp_path / "out" / "b.pdf"]
        assert all(path.exists() for path in made)
        office.convert([tmp_path / "c.docx"], tmp_path / "out")
    assert office.pid is None
    assert starts(tmp_path) == 1


def test_a_document_it_cannot_open_is_named(office: pdf.Office, tmp_path: Path) -> None:
    with office, pytest.raises(BaocaoError, match=r"không xuất được PDF cho .*broken\.docx: cannot open"):
        office.convert([tmp_path / "broken.docx"], tmp_path / "out")
    assert starts(tmp_path) == 1


def test_a_hung_office_is_killed_restarted_and_the_document_retried_once(
    office: pdf.Office, tmp_path: Path
) -> None:
    with office:
        with pytest.raises(BaocaoError, match="dừng đột ngột hai lần"):
            office.convert([tmp_path / "hang.docx"], tmp_path / "out")
        assert starts(tmp_path) == 2
        assert office.convert([tmp_path / "a.docx"], tmp_path / "out") == [tmp_path / "out" / "a.pdf"]
    assert starts(tmp_path) == 3


def test_without_a_uno_python_one_cold_run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls: list[list[Path]] = []

    def cold(
        documents: Sequence[Path], out_dir: Path, progress: Callable[[int], None] | None = None
    ) -> list[Path]:
        calls.append(list(documents))
        return [out_dir / f"{document.stem}.pdf" for document in documents]

    monkeypatch.setattr(pdf, "find_soffice", lambda: "soffice")
    monkeypatch.setattr(pdf, "uno_pythons", lambda soffice: [])
    monkeypatch.setattr(pdf, "convert_cold", cold)
    documents = [tmp_path / "a.docx", tmp_path / "b.docx"]
    with pdf.Office() as office:
        assert office.convert(documents, tmp_path) == [tmp_path / "a.pdf", tmp_path / "b.pdf"]
        assert not office.warm
    assert calls == [documents]
