"""Shared helpers: run the CLI in-process and render the samples once per session."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

from engine.cli import cli
from engine.pipeline import check, render_checked

# Property tests check results, never speed: a busy shared machine must not fail them (no deadline).
settings.register_profile("baocao", deadline=None)
settings.load_profile("baocao")

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
SAMPLES = sorted(DATA_DIR.rglob("*.yaml"))


@dataclass(frozen=True)
class Run:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(args: str | list[str]) -> Run:
    argv = shlex.split(args) if isinstance(args, str) else args
    result = CliRunner().invoke(cli, argv, prog_name="baocao")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


def changed_copy(sample: Path, directory: Path, *replacements: tuple[str, str]) -> Path:
    """A copy of `sample` in `directory` with each `(old, new)` replaced; every `old` must occur."""
    text = sample.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    changed = directory / sample.name
    changed.write_text(text, encoding="utf-8")
    return changed


@pytest.fixture(scope="session")
def rendered_samples() -> dict[str, bytes]:
    """Every sample in data/ rendered once: stem → .docx bytes."""
    return {path.stem: render_checked(check(path)) for path in SAMPLES}
