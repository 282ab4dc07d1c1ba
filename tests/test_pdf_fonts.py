"""Reading the fonts a PDF embeds, to warn when LibreOffice fell back to another typeface."""

from __future__ import annotations

from pathlib import Path

from engine.pdf import embedded_fonts, fallback_fonts, font_warning

# Font dictionaries as LibreOffice writes them (uncompressed), one subset per face.
MIXED = b"""%PDF-1.6
7 0 obj
<</Type/Font/Subtype/TrueType/BaseFont/BAAAAA+LiberationSerif/FirstChar 0>>
endobj
9 0 obj
<</Type/Font/Subtype/TrueType/BaseFont /CAAAAA+DejaVuSerif-Bold
/FirstChar 0>>
endobj
11 0 obj
<</Type/Font/Subtype/TrueType/BaseFont/TimesNewRomanPS-BoldMT>>
endobj
"""


def test_names_without_subset_prefix(tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(MIXED)
    assert embedded_fonts(pdf) == ["DejaVuSerif-Bold", "LiberationSerif", "TimesNewRomanPS-BoldMT"]
    assert fallback_fonts(pdf) == ["DejaVuSerif-Bold"]
    assert font_warning(pdf) == (
        f"{pdf}: cảnh báo: PDF dùng phông thay thế DejaVuSerif-Bold bên cạnh Times New Roman "
        "(máy thiếu phông có đủ chữ Việt; cài Times New Roman hoặc fonts-liberation2: "
        "`make install-libreoffice`)"
    )


def test_one_serif_family_gives_no_warning(tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(MIXED.replace(b"DejaVuSerif", b"LiberationSerif"))
    assert fallback_fonts(pdf) == []
    assert font_warning(pdf) is None
