"""Load test of `baocao serve` on loopback: concurrent clients mixing previews and saves over many files.

`make bench-web` (20 clients × 200 requests over 50 files); `--quick` for a smaller run. Each client
owns some files and saves a counter into one figure of them, so at the end every file must hold the
last value its client saved: a save that is lost, a server error (5xx other than "busy"), or a preview
without the edited figure makes the run fail. Prints the p95 (and p50, max) preview latency.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from engine.load import load_document
from tests.web_support import ROOT, SAMPLE

FIELD = "f.tien_dien.chi_tra.so_ho"
HIDDEN = re.compile(r'name="(csrf|base|draft)" value="([^"]*)"')


@dataclass
class Tally:
    previews: list[float] = field(default_factory=list)
    saves: int = 0
    busy: int = 0
    errors: list[str] = field(default_factory=list)
    last_saved: dict[str, int] = field(default_factory=dict)


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """`baocao serve FOLDER` in its own process (the clients' threads do not share its interpreter)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, str(ROOT / "cli.py"), "serve", str(folder), "--port", str(port)]
    server = subprocess.Popen([*command, "-o", str(folder.parent / "out")], stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(url + "/static/app.css", timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("baocao serve không khởi động được") from None
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def client_run(url: str, files: list[str], requests: int, seed: int) -> Tally:
    tally, chance = Tally(), random.Random(seed)
    with httpx.Client(base_url=url, timeout=120) as http:
        for number in range(requests):
            name = chance.choice(files)
            page = http.get(f"/van-ban/{name}")
            if page.status_code == 503:
                tally.busy += 1
                continue
            if page.status_code != 200:
                tally.errors.append(f"{name}: HTTP {page.status_code} khi mở")
                continue
            form = dict(HIDDEN.findall(page.text))
            value = 100 + seed * 10_000 + number
            saving = chance.random() < 0.3
            started = time.perf_counter()
            if saving:
                response = http.post(f"/luu/{name}", data={**form, FIELD: str(value)})
            else:
                response = http.post(f"/xem-truoc/{name}", data={**form, FIELD: str(value)})
            elapsed = time.perf_counter() - started
            if response.status_code == 503:
                tally.busy += 1
            elif saving and response.status_code == 303:
                tally.saves += 1
                tally.last_saved[name] = value
            elif not saving and response.status_code == 200:
                tally.previews.append(elapsed)
                if f"{value} hộ nghèo" not in re.sub(r"<[^>]+>", "", response.text).replace(".", ""):
                    tally.errors.append(f"{name}: bản xem trước không có số {value}")
            else:
                tally.errors.append(f"{name}: HTTP {response.status_code}")
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--quick", action="store_true", help="4 clients × 20 requests over 8 files")
    options = parser.parse_args(argv)
    if options.quick:
        options.clients, options.requests, options.files = 4, 20, 8
    work = Path(tempfile.mkdtemp(prefix="baocao-web-load-"))
    folder = work / "ho-so"
    folder.mkdir()
    for index in range(options.files):
        shutil.copy(ROOT / "data" / SAMPLE, folder / f"xa-{index:02d}.yaml")
    names = sorted(path.name for path in folder.glob("*.yaml"))
    shares = [names[client :: options.clients] or names for client in range(options.clients)]
    try:
        with serving(folder) as url:
            started = time.perf_counter()
            with concurrent.futures.ThreadPoolExecutor(options.clients) as pool:
                tallies = list(
                    pool.map(
                        client_run,
                        [url] * options.clients,
                        shares,
                        [options.requests] * options.clients,
                        range(options.clients),
                    )
                )
            wall = time.perf_counter() - started
        lost = []
        for tally in tallies:
            for name, value in tally.last_saved.items():
                stored = load_document(folder / name).data["tien_dien"]["chi_tra"]["so_ho"]
                if stored != value and options.clients <= len(names):
                    lost.append(f"{name}: lưu {value}, trên đĩa {stored}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    previews = sorted(latency for tally in tallies for latency in tally.previews)
    errors = [error for tally in tallies for error in tally.errors]
    total = options.clients * options.requests
    shape = f"{options.clients} máy khách × {options.requests} yêu cầu trên {options.files} tệp"
    print(f"{shape}: {total} yêu cầu, {wall:.1f} s")
    saves, busy = sum(tally.saves for tally in tallies), sum(tally.busy for tally in tallies)
    print(f"lưu: {saves}, xem trước: {len(previews)}, bận (503): {busy}")
    if previews:
        p95 = previews[max(0, int(len(previews) * 0.95) - 1)]
        print(
            f"xem trước: p50 {statistics.median(previews) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms,"
            f" tối đa {previews[-1] * 1000:.0f} ms"
        )
    for problem in (errors + lost)[:20]:
        print(f"LỖI: {problem}", file=sys.stderr)
    print(f"lưu bị mất: {len(lost)}, lỗi máy chủ: {len(errors)}")
    return 1 if errors or lost else 0


if __name__ == "__main__":
    sys.exit(main())
