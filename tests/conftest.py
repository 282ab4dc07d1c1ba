"""Shared helpers: run the CLI in-process and render the samples once per session."""

from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

from engine.cli import cli
from engine.paths import SCHEMA_DIR, TEMPLATE_DIR
from engine.pipeline import check, render_checked, rules_of
from engine.rules import Rule
from engine.workspace import RULES_SUFFIX, SCHEMA_SUFFIX, Kind

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


def kind_rules(kind: str, folder: Path = SCHEMA_DIR) -> tuple[Rule, ...]:
    """The rules `check` applies to `kind` when its schema and rules files are in `folder`."""
    files = Kind(
        kind,
        folder / f"{kind}{SCHEMA_SUFFIX}",
        folder / f"{kind}{RULES_SUFFIX}",
        TEMPLATE_DIR / f"{kind}.docx",
    )
    return rules_of(files, folder)


# mutmut (`make mutate`) names the running phase or mutant in this variable. Its stats phase credits a test
# with the engine functions called between that test's start and end, and every mutant is a fork of the
# process that ran the stats: a result shared across tests (a cache, a session fixture) would credit only
# the first test, and hide a mutant behind a value the unmutated code computed.
MUTMUT_STATS = os.environ.get("MUTANT_UNDER_TEST") == "stats"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "many_files: builds many documents; under mutmut, run only for mutants of engine/build.py"
    )


@pytest.fixture(autouse=True)
def _under_mutmut(request: pytest.FixtureRequest) -> None:
    """Under mutmut, every test starts with empty engine caches (`functools` caches of engine modules).

    A `many_files` test (half the time a surviving mutant of rules.py would take) is skipped for mutants
    outside build.py: a skipped test kills nothing, so the kill rate measured stays a lower bound."""
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if not mutant:
        return
    outside_build = mutant.startswith("engine.") and not mutant.startswith("engine.build.")
    if outside_build and request.node.get_closest_marker("many_files"):
        pytest.skip("many_files: run only for mutants of engine/build.py")
    for name, module in list(sys.modules.items()):
        if name.startswith("engine.") and module is not None:
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


class _Rendered(dict[str, bytes]):
    """Sample stem → .docx bytes, each rendered on first use and kept (kept only outside mutmut's stats)."""

    def __missing__(self, stem: str) -> bytes:
        rendered = render_checked(check(next(path for path in SAMPLES if path.stem == stem)))
        if not MUTMUT_STATS:
            self[stem] = rendered
        return rendered


@pytest.fixture(scope="session")
def rendered_samples() -> dict[str, bytes]:
    """Every sample in data/, each rendered once per session: stem → .docx bytes."""
    return _Rendered()
