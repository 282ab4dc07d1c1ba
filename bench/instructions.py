"""`ratio_to_floor` in machine instructions (issue 19): the comparison bench/run.py makes, without the noise.

    python -m bench.instructions [--calls N]

Wall times on a shared machine move by ±20 % from one run to the next; the instructions valgrind's
callgrind counts do not depend on how busy the machine is. Each step of one document (the first valid
data/ sample of kind `bao_cao_6_thang`, as in bench/run.py) runs N times in a child under callgrind, and
a child that sets everything up but runs nothing is subtracted. Prints millions of instructions per call
and each step's share of the floor, then `ratio_to_floor_instructions`. Needs `valgrind`.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.run import SAMPLE_KINDS, Metric, floor_renderer, samples
from engine.filters import FILTERS
from engine.kinds import derive
from engine.load import _Builder, _compose, _control_issues, _decode, _read_bytes
from engine.pipeline import check, render_checked, rules_of
from engine.previous import resolve_previous
from engine.schema import field_paths, validate
from engine.templates import load_template
from engine.workspace import lookup

NOTHING = "nothing"
COLLECTED = re.compile(r"Collected : (\d+)")
# A document is `check` then `render`; the steps after them are what `check` is made of, in order.
STEPS = {
    "floor": "the least work one document needs (bench/run.py floor_renderer)",
    "render": "the .docx from the derived context (render_checked)",
    "check": "read, parse, validate, derive (check)",
    "read": "read the bytes, decode",
    "controls": "look for control characters",
    "compose": "nesting and size screens, libyaml composing ruamel's nodes",
    "build": "plain values, positions and checks from the nodes",
    "lookup": "the kinds the file sees",
    "validate": "JSON Schema, compiled validator",
    "derive": "rules, optional fields, the kind's deriver",
}
CHECK_PARTS = ("read", "controls", "compose", "build", "lookup", "validate", "derive")


def step_calls(path: Path) -> dict[str, Callable[[], object]]:
    """One call of each step on the document at `path`, with what it needs made beforehand."""
    checked = check(path)
    floor = floor_renderer(load_template(checked.files.template, FILTERS))
    document, kind = checked.document, checked.kind
    kinds = lookup(path)
    fields, rules = field_paths(kind, kinds), rules_of(checked.files, kinds)
    text = _decode(checked.document.source, "f")  # the bytes `check` read
    root, _ = _compose(text)
    assert root is not None  # a valid sample
    return {
        NOTHING: lambda: None,
        "floor": lambda: floor(checked.derivation.context),
        "render": lambda: render_checked(checked),
        "check": lambda: check(path),
        "read": lambda: _decode(_read_bytes(path, "f"), "f"),
        "controls": lambda: _control_issues(text, "f"),
        "compose": lambda: _compose(text),
        "build": lambda: _Builder("f", text, check_controls="\\" in text).value(root, ()),
        "lookup": lambda: lookup(path),
        "validate": lambda: validate(document, kinds),
        "derive": lambda: derive(kind, resolve_previous(document, path), rules, fields),
    }


def child(step: str, calls: int) -> None:
    """Set every step up (so all children do the same work before the loop), then run `step`."""
    path, _ = samples()[SAMPLE_KINDS[0]]
    run = step_calls(path)[step]
    for _ in range(calls):
        run()


def counted(step: str, calls: int) -> int:
    """Instructions callgrind counts for a child running `step` `calls` times."""
    argv = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable]
    argv += ["-m", "bench.instructions", "--child", step, "--calls", str(calls)]
    run = subprocess.run(argv, capture_output=True, text=True, check=False)
    found = COLLECTED.search(run.stderr)
    if run.returncode or found is None:
        raise RuntimeError(f"callgrind on {step} failed: {run.stderr.strip()[-300:]}")
    return int(found.group(1))


def instruction_metrics(calls: int) -> Iterator[Metric]:
    if shutil.which("valgrind") is None:
        yield Metric("ratio_to_floor_instructions", None, note="valgrind not found")
        return
    if SAMPLE_KINDS[0] not in samples():
        yield Metric("ratio_to_floor_instructions", None, note=f"no valid {SAMPLE_KINDS[0]} sample in data/")
        return
    steps = [NOTHING, *STEPS]
    with ThreadPoolExecutor() as pool:  # one child per core; the counts do not depend on it
        totals = dict(zip(steps, pool.map(lambda step: counted(step, calls), steps), strict=True))
    per_call = {step: (totals[step] - totals[NOTHING]) / calls / 1e6 for step in STEPS}
    floor = per_call["floor"]
    for step, what in STEPS.items():
        share = f"{per_call[step] / floor:.2f} floor; {what}"
        yield Metric(f"instructions_{step}", per_call[step], "M", note=share)
    glue = per_call["check"] - sum(per_call[step] for step in CHECK_PARTS)
    yield Metric("instructions_check_rest", glue, "M", note="check's own work between its steps")
    document = per_call["check"] + per_call["render"]
    note = f"check + render {document:.1f} M, floor {floor:.1f} M"
    yield Metric("ratio_to_floor_instructions", document / floor, "x", ("<=", 2), note)


def main(argv: Sequence[str] | None = None) -> None:
    description = "ratio_to_floor in instructions (callgrind)"
    parser = argparse.ArgumentParser(prog="python -m bench.instructions", description=description)
    parser.add_argument("--calls", type=int, default=20, help="calls of each step per child (default 20)")
    parser.add_argument("--child", choices=[NOTHING, *STEPS], help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.child:
        child(arguments.child, arguments.calls)
        return
    for metric in instruction_metrics(arguments.calls):
        print(metric.line(), flush=True)


if __name__ == "__main__":
    main()
