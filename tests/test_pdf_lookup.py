"""Finding LibreOffice: an explicit path, PATH, then where the Windows and macOS installers put it."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import ToolMissingError
from engine.pdf import find_soffice


@pytest.fixture
def nowhere(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setattr("engine.pdf.shutil.which", lambda name: None)
    monkeypatch.setattr("engine.pdf.SOFFICE_PLACES", ())
    monkeypatch.delenv("BAOCAO_SOFFICE", raising=False)
    return monkeypatch


def test_missing_everywhere_names_the_ways_to_install(nowhere: pytest.MonkeyPatch) -> None:
    with pytest.raises(ToolMissingError, match=r"libreoffice\.org"):
        find_soffice()


def test_installer_location_when_not_on_path(nowhere: pytest.MonkeyPatch, tmp_path: Path) -> None:
    soffice = tmp_path / "LibreOffice" / "program" / "soffice.exe"
    soffice.parent.mkdir(parents=True)
    soffice.touch()
    nowhere.setattr("engine.pdf.SOFFICE_PLACES", (tmp_path / "khong-co.exe", soffice))
    assert find_soffice() == str(soffice)


def test_explicit_path_wins_and_must_exist(nowhere: pytest.MonkeyPatch, tmp_path: Path) -> None:
    chosen = tmp_path / "soffice"
    nowhere.setenv("BAOCAO_SOFFICE", str(chosen))
    with pytest.raises(ToolMissingError, match="không có tệp này"):
        find_soffice()
    chosen.touch()
    nowhere.setattr("engine.pdf.shutil.which", lambda name: "/usr/bin/soffice")
    assert find_soffice() == str(chosen)
