"""The instruction-count benchmark: each step runs on the sample; its parts are parts of `check`."""

from __future__ import annotations

import pytest

from bench import instructions
from bench.run import SAMPLE_KINDS, samples


def test_every_step_runs_on_the_sample() -> None:
    path, checked = samples()[SAMPLE_KINDS[0]]
    calls = instructions.step_calls(path)
    assert set(calls) == {instructions.NOTHING, *instructions.STEPS}
    assert set(instructions.CHECK_PARTS) < set(instructions.STEPS)
    assert calls["compose"]() is not None
    assert calls["build"]() == checked.document.data
    for step in instructions.STEPS:
        calls[step]()


def test_without_valgrind_the_metric_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bench.instructions.shutil.which", lambda name: None)
    [metric] = instructions.instruction_metrics(1)
    assert metric.name == "ratio_to_floor_instructions"
    assert (metric.value, metric.note) == (None, "valgrind not found")
