"""Speed benchmark (issue 9): one line per metric, `name value unit`, then its target; a summary last.

    python -m bench.run [--quick]

This machine is shared and noisy, so every timing is taken against a baseline in the same run,
the two taking turns, and the median of at least 20 turns is kept where one turn is cheap.
`--quick` builds 1,000 documents instead of 10,000 (and times the incremental rebuild on them
rather than on a separate 500) and converts 5 PDFs instead of 20.
`ratio_to_floor` compares a whole document with the least work one needs (`floor_renderer`);
bench/instructions.py makes the same comparison in machine instructions, which noise does not move.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment

from bench.make_data import write_documents
from engine.errors import BaocaoError
from engine.filters import FILTERS
from engine.paths import ROOT
from engine.pdf import Office, convert_cold
from engine.pipeline import Checked, check, render_checked
from engine.render import _deflate, _zip, write_atomic
from engine.templates import CompiledTemplate, load_template, make_environment

BAOCAO = Path(sys.executable).with_name("baocao")
JOBS = 2  # the machine's cores
# Runs a command as a child and reports its wall time and the peak RSS of the largest process in
# its tree (workers included): this process's own children would mix in earlier measurements.
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
run = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"seconds": time.perf_counter() - start, "code": run.returncode,
                  "rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "error": run.stderr.strip()[-300:]}))
"""


@dataclass(frozen=True)
class Metric:
    name: str
    value: float | None  # None: not measured, `note` says why
    unit: str = ""
    target: tuple[str, float] | None = None  # (">=" or "<=", bound)
    note: str = ""

    @property
    def holds(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        operator, bound = self.target
        return self.value >= bound if operator == ">=" else self.value <= bound

    def line(self) -> str:
        if self.value is None:
            return f"{self.name} skipped ({self.note})"
        text = f"{self.name} {self.value:.3g} {self.unit}".rstrip()
        if self.target is not None:
            operator, bound = self.target
            text += f"  target {operator} {bound:g}: {'ok' if self.holds else 'MISSED'}"
        return text + (f"  ({self.note})" if self.note else "")


def medians(cases: Mapping[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """Median seconds per case; the cases take turns (order alternating) so noise hits all alike."""
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for case in cases.values():
        case()  # warm-up: caches, imports, disk
    for turn in range(runs):
        order = list(cases.items())
        for name, case in order if turn % 2 else reversed(order):
            start = time.perf_counter()
            case()
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def docxtpl_render(path: Path, context: Mapping[str, Any], env: Environment) -> bytes:
    """What a plain docxtpl user does for each document."""
    document = DocxTemplate(path)
    document.render(context, env)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


Floor = Callable[[Mapping[str, Any]], bytes]


def floor_renderer(template: CompiledTemplate) -> Floor:
    """The least work one document needs: render the entries that depend on the data and deflate
    them; the constant entries' compressed bytes are made once, here, and only copied per document.
    It shares the engine's deflate and zip writer, so it differs from the engine only by the work skipped."""
    constant = {name: _deflate(data) for name, data in template.entries if name not in template.parts}

    def render(context: Mapping[str, Any]) -> bytes:
        return _zip(
            (name, _deflate(template.parts[name].template.render(context).encode()))
            if name in template.parts
            else (name, constant[name])
            for name, _ in template.entries
        )

    return render


# Seed 002's report and seed 003's plan; the first kind is also the one measured against the floor.
SAMPLE_KINDS = ("bao_cao_6_thang", "ke_hoach")


def samples() -> dict[str, tuple[Path, Checked]]:
    """The first valid data/ sample of each kind in SAMPLE_KINDS that data/ has."""
    found: dict[str, tuple[Path, Checked]] = {}
    for path in sorted((ROOT / "data").glob("*.yaml")):
        try:
            checked = check(path)
        except BaocaoError:
            continue  # a sample being edited; the benchmark measures the others
        if checked.kind in SAMPLE_KINDS and checked.kind not in found:
            found[checked.kind] = (path, checked)
    return {kind: found[kind] for kind in SAMPLE_KINDS if kind in found}


def speedup_vs_docxtpl(checked: Checked, env: Environment, runs: int) -> float:
    template, context = checked.files.template, checked.derivation.context
    times = medians(
        {
            "docxtpl": lambda: docxtpl_render(template, context, env),
            "baocao": lambda: render_checked(checked),
        },
        runs,
    )
    return times["docxtpl"] / times["baocao"]


def render_metrics(runs: int) -> Iterator[Metric]:
    found = samples()
    if not found:
        for name in ("speedup_vs_docxtpl", "ratio_to_floor", "ratio_to_floor_render_only"):
            yield Metric(name, None, note=f"no valid sample of {' or '.join(SAMPLE_KINDS)} in data/")
        return
    env = make_environment(FILTERS)  # docxtpl gets the same filters, sandbox and autoescape
    speedups = {checked.kind: speedup_vs_docxtpl(checked, env, runs) for _, checked in found.values()}
    worst = min(speedups, key=speedups.__getitem__)
    detail = ", ".join(f"{kind} {value:.1f}" for kind, value in speedups.items())
    yield Metric("speedup_vs_docxtpl", speedups[worst], "x", (">=", 6), detail)

    path, checked = next(iter(found.values()))
    floor = floor_renderer(load_template(checked.files.template, FILTERS))
    times = medians(
        {
            "floor": lambda: floor(checked.derivation.context),
            "render": lambda: render_checked(checked),
            "document": lambda: render_checked(check(path)),
        },
        runs,
    )
    floor_ms, document_ms = times["floor"] * 1e3, times["document"] * 1e3
    note = f"load+validate+derive+render {document_ms:.1f} ms, floor {floor_ms:.1f} ms"
    yield Metric("ratio_to_floor", times["document"] / times["floor"], "x", ("<=", 2), note)
    yield Metric("ratio_to_floor_render_only", times["render"] / times["floor"], "x", ("<=", 1.5))


def cold_start_metrics(runs: int) -> Iterator[Metric]:
    def run(*argv: str | Path) -> None:
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)

    times = medians(
        {"baocao": lambda: run(BAOCAO, "--help"), "python": lambda: run(sys.executable, "-c", "pass")}, runs
    )
    yield Metric("cold_start_s", times["baocao"], "s", ("<=", 0.5), f"python -c pass {times['python']:.3f} s")
    yield Metric("cold_start_ratio", times["baocao"] / times["python"], "x", ("<=", 5))


class BenchError(Exception):
    """A measurement that could not be made; its metrics are reported as skipped with the reason."""


@dataclass(frozen=True)
class Build:
    seconds: float
    rss_mb: float


def build(source: Path, out: Path) -> Build:
    """`baocao build` on all cores, in a fresh child so its peak RSS is its own."""
    argv = [
        sys.executable,
        "-c",
        MEASURE,
        str(BAOCAO),
        "build",
        str(source),
        "-o",
        str(out),
        "--jobs",
        str(JOBS),
    ]
    result = json.loads(subprocess.run(argv, check=True, capture_output=True, text=True).stdout)
    if result["code"] != 0:
        raise BenchError(f"baocao build failed with exit {result['code']}: {result['error']}")
    return Build(result["seconds"], result["rss_kb"] / 1024)


BUILD_METRICS = ("docs_per_second", "build_efficiency", "peak_rss_mb", "incremental_rebuild_s", "rss_growth")


def build_metrics(work: Path, documents: int, changes: int, quick: bool) -> Iterator[Metric]:
    done: list[str] = []
    if subprocess.run([BAOCAO, "build", "--help"], capture_output=True, check=False).returncode:
        reason = "baocao build not available"
    else:
        try:
            for metric in _build_metrics(work, documents, changes, quick):
                done.append(metric.name)
                yield metric
            return
        except BenchError as error:
            reason = str(error)
    for name in BUILD_METRICS:
        if name not in done:
            yield Metric(name, None, note=reason)


def _build_metrics(work: Path, documents: int, changes: int, quick: bool) -> Iterator[Metric]:
    source, out = work / "data-big", work / "out-big"
    sample = write_documents(documents, 1, source)[:10]
    # In-process time per document just before the build, to tell the build's own overhead from noise.
    batch = medians({"sample": lambda: [render_checked(check(path)) for path in sample]}, 3)["sample"]
    writes = files_written(work / "writes", render_checked(check(sample[0])), sample[0].read_bytes())
    big = build(source, out)
    note = f"{documents} in {big.seconds:.1f} s, --jobs {JOBS}"
    yield Metric("docs_per_second", documents / big.seconds, "docs/s", (">=", 300), note)
    note = (
        f"docs/s × in-process s/document ({batch / len(sample) * 1e3:.1f} ms) ÷ {JOBS} cores;"
        f" 1 = no build overhead, all cores busy; writing a document's two files"
        f" (.docx and data copy, new, atomically) takes {writes * 1e3:.1f} ms here"
    )
    efficiency = documents / big.seconds * batch / len(sample) / JOBS
    yield Metric("build_efficiency", efficiency, "x", (">=", 0.85), note)
    yield Metric("peak_rss_mb", big.rss_mb, "MB", note="largest single process of the build")

    full = big
    if not quick:  # the 500; a quick run reuses its 1,000 to stay short
        source, out = work / "data-500", work / "out-500"
        write_documents(500, 2, source)
        full = build(source, out)
    rebuilds = [rebuild_one(source / f"xa-{index * 7:05d}.yaml", out) for index in range(changes)]
    count = len(list(source.glob("*.yaml")))
    note = f"1 of {count} changed, median of {changes}; full build of the {count}: {full.seconds:.1f} s"
    yield Metric(
        "incremental_rebuild_s", statistics.median(r.seconds for r in rebuilds), "s", ("<=", 2), note
    )
    note = f"peak RSS building {documents} vs rebuilding 1"
    yield Metric("rss_growth", big.rss_mb / min(r.rss_mb for r in rebuilds), "x", ("<=", 1.2), note)


def files_written(folder: Path, document: bytes, data: bytes, count: int = 200) -> float:
    """Seconds to write one document's two new files as `build` does (atomically, synced once at the end):
    the part of a build's time that is the file system's, not the engine's."""
    start = time.perf_counter()
    for index in range(count):
        write_atomic(folder / f"{index}.docx", document, sync=False)
        write_atomic(folder / ".baocao" / f"{index}.yaml", data, sync=False)
    return (time.perf_counter() - start) / count


def rebuild_one(changed: Path, out: Path) -> Build:
    """Change one figure of one data file, rebuild, and make sure its document was rewritten."""
    changed.write_text(changed.read_text("utf-8").replace("  luot_kham: ", "  luot_kham: 1"), "utf-8")
    output = out / f"{changed.stem}.docx"
    before = output.read_bytes()
    rebuilt = build(changed.parent, out)
    if output.read_bytes() == before:
        raise BenchError(f"{changed.name} changed but {output.name} was not rebuilt")
    return rebuilt


PDF_METRICS = ("pdf_warm_ms", "pdf_batch_speedup")


def pdf_metrics(work: Path, documents: int, rounds: int) -> Iterator[Metric]:
    """One warm LibreOffice for all documents vs one `soffice --convert-to` run per document."""
    docx = []
    for path in write_documents(documents, 3, work / "pdf-data"):
        docx.append(work / "pdf" / f"{path.stem}.docx")
        write_atomic(docx[-1], render_checked(check(path)))
    singles, ratios = [], []
    try:
        with Office() as office:
            start = time.perf_counter()
            office.convert(docx[:1], work / "pdf-warm-up")
            started = time.perf_counter() - start
            if not office.warm:
                raise BenchError("no Python with LibreOffice's uno module: PDFs go the cold way")
            for document in docx[:5]:
                start = time.perf_counter()
                office.convert([document], work / "pdf-single")
                singles.append(time.perf_counter() - start)
            for _ in range(rounds):
                start = time.perf_counter()
                for document in docx:
                    convert_cold([document], work / "pdf-one")
                separate = time.perf_counter() - start
                start = time.perf_counter()
                office.convert(docx, work / "pdf-batch")
                ratios.append(separate / (time.perf_counter() - start))
    except (BaocaoError, BenchError) as error:  # LibreOffice missing (ToolMissingError) or failing
        for name in PDF_METRICS:
            yield Metric(name, None, note=str(error))
        return
    note = f"median of {len(singles)}; starting the office took {started:.1f} s"
    yield Metric("pdf_warm_ms", statistics.median(singles) * 1e3, "ms", ("<=", 400), note)
    note = f"{documents} documents, median of {rounds} round{'s' * (rounds > 1)}, office already running"
    yield Metric("pdf_batch_speedup", statistics.median(ratios), "x", (">=", 8), note)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description="baocao speed benchmark")
    parser.add_argument("--quick", action="store_true", help="1,000 documents, 5 PDFs (a few minutes)")
    quick = parser.parse_args(argv).quick
    start = time.perf_counter()
    metrics: list[Metric] = []

    def report(found: Iterator[Metric]) -> None:
        for metric in found:
            print(metric.line(), flush=True)
            metrics.append(metric)

    with tempfile.TemporaryDirectory(prefix="baocao-bench-") as temporary:
        work = Path(temporary)
        report(render_metrics(20 if quick else 50))
        report(cold_start_metrics(20 if quick else 30))
        report(build_metrics(work, 1_000 if quick else 10_000, 5 if quick else 20, quick))
        report(pdf_metrics(work, 5 if quick else 20, 1 if quick else 3))
        from bench.preview import preview_metrics  # these two import Metric from here
        from bench.van_ban import large_general_document_metrics

        report(large_general_document_metrics(5 if quick else 20))
        report(preview_metrics(quick))
    missed = [metric.name for metric in metrics if metric.holds is False]
    held = sum(metric.holds is True for metric in metrics)
    skipped = sum(metric.value is None for metric in metrics)
    missed_names = f" ({', '.join(missed)})" if missed else ""
    print(
        f"summary: {held} targets met, {len(missed)} missed{missed_names},"
        f" {skipped} skipped; {'quick' if quick else 'full'} run, {time.perf_counter() - start:.0f} s,"
        f" {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
