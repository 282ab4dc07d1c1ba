"""Web preview speed (issue 19): edit one figure of the six-month report → its new preview ready, warm.

    python -m bench.preview [--quick]

The app runs in this process (httpx calling the ASGI app, no socket), over a copy of
the first data/ sample of kind `bao_cao_6_thang`. As a browser does after the page loaded, each turn
sends the whole form with one figure changed and the draft the previous preview returned, and waits for
the preview; the figure must show in it. `preview_ms` is the median turn, `preview_p95_ms` the 95th
percentile. `measure` is what bench/run.py calls.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from lxml import html

from bench.run import Metric
from engine.errors import BaocaoError
from engine.load import load_document
from engine.paths import ROOT
from engine.web.app import create_app

KIND = "bao_cao_6_thang"
FIELD = "f.tien_dien.chi_tra.so_ho"  # printed as "… {value} hộ nghèo …"
TARGET_MS = 300
DRAFT = re.compile(r'<input type="hidden" id="draft" name="draft" value="([^"]*)"')
TAGS = re.compile(r"<[^>]+>")


class PreviewBenchError(Exception):
    """The preview did not come back as expected; nothing is measured."""


def sample() -> Path:
    """The first data/ file of the six-month kind that loads."""
    for path in sorted((ROOT / "data").glob("*.yaml")):
        try:
            data = load_document(path).data
        except BaocaoError:
            continue
        if isinstance(data, dict) and data.get("loai") == KIND:
            return path
    raise PreviewBenchError(f"no {KIND} sample in data/")


def form_values(page: str) -> dict[str, str]:
    """What the document page's form sends: every named input, textarea and select with its value."""
    found = html.fromstring(page).xpath('//form[@id="bieu-mau"]')
    if not isinstance(found, list) or not found:
        raise PreviewBenchError("the document page has no form")
    form: html.FormElement = found[0]
    return {name: str(value) for name, value in form.form_values()}


async def turn(
    client: httpx.AsyncClient, name: str, form: dict[str, str], value: int
) -> tuple[float, float, str]:
    """One edit → preview: seconds until the response is complete, this process's CPU seconds meanwhile
    (less disturbed by other work on the machine), and the draft it returns."""
    sent = {**form, FIELD: str(value)}
    start, cpu = time.perf_counter(), time.process_time()
    response = await client.post(f"/xem-truoc/{name}", data=sent)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    if response.status_code != 200:
        raise PreviewBenchError(f"preview answered HTTP {response.status_code}")
    if f"{value} hộ nghèo" not in TAGS.sub("", response.text).replace(".", ""):
        raise PreviewBenchError(f"the preview does not show the edited figure {value}")
    draft = DRAFT.search(response.text)
    if draft is None:
        raise PreviewBenchError("the preview returned no draft")
    return elapsed, cpu, draft.group(1)


def measure(quick: bool) -> dict[str, float]:
    """`preview_ms` (median), `preview_p95_ms` and `preview_cpu_ms` (median) over 20 turns (`quick`) or 60,
    after 3 warm-up turns."""
    times, cpu = asyncio.run(_turns(20 if quick else 60))
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return {
        "preview_ms": statistics.median(times) * 1e3,
        "preview_p95_ms": p95 * 1e3,
        "preview_cpu_ms": statistics.median(cpu) * 1e3,
    }


async def _turns(turns: int) -> tuple[list[float], list[float]]:
    with tempfile.TemporaryDirectory(prefix="baocao-bench-preview-") as temporary:
        folder = Path(temporary) / "ho-so"
        folder.mkdir()
        source = sample()
        shutil.copy(source, folder / source.name)
        app = create_app(folder, Path(temporary) / "out")
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            page = await client.get(f"/van-ban/{source.name}")
            if page.status_code != 200:
                raise PreviewBenchError(f"the document page answered HTTP {page.status_code}")
            form = form_values(page.text)
            times, cpu = [], []
            for number in range(3 + turns):
                elapsed, used, form["draft"] = await turn(client, source.name, form, 1000 + number)
                if number >= 3:
                    times.append(elapsed)
                    cpu.append(used)
    return times, cpu


def preview_metrics(quick: bool) -> Iterator[Metric]:
    """The bench lines: `preview_ms` against its target, then p95 and CPU time for the record."""
    turns = 20 if quick else 60
    try:
        result = measure(quick)
    except (PreviewBenchError, BaocaoError) as error:
        yield Metric("preview_ms", None, note=str(error))
        return
    note = f"median of {turns}, edit → preview, warm, in-process"
    yield Metric("preview_ms", result["preview_ms"], "ms", ("<=", TARGET_MS), note)
    yield Metric("preview_p95_ms", result["preview_p95_ms"], "ms")
    note = "median CPU time of this process: app and client"
    yield Metric("preview_cpu_ms", result["preview_cpu_ms"], "ms", note=note)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.preview", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="20 turns instead of 60")
    for metric in preview_metrics(parser.parse_args(argv).quick):
        print(metric.line())


if __name__ == "__main__":
    main()
