"""The preview benchmark's turns: each edit of the figure shows in the next preview, draft after draft."""

from __future__ import annotations

from bench.preview import measure


def test_every_turn_shows_its_edit_and_is_reported() -> None:
    result = measure(quick=True)  # raises PreviewBenchError when a preview misses its edited figure
    assert sorted(result) == ["preview_cpu_ms", "preview_ms", "preview_p95_ms"]
    assert 0 < result["preview_ms"] <= result["preview_p95_ms"]
