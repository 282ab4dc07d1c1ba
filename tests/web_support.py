"""A real `baocao serve` on loopback for the web tests and the load test: uvicorn in a thread."""

from __future__ import annotations

import re
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn

from engine.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = "xa-luc-binh-2023-6t.yaml"


def make_workspace(folder: Path) -> Path:
    """A folder with the 6-month report and the plan (which names no other file)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in (SAMPLE, "tinh-hung-yen-2024-kh.yaml"):
        shutil.copy(ROOT / "data" / name, folder / name)
    return folder


@contextmanager
def running(root: Path, token: str | None = None) -> Iterator[str]:
    """The server's base URL while the block runs."""
    app = create_app(root, root.parent / "out", token)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_level="error", ws="none", http="h11", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("baocao serve did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', page)
    assert found is not None, f"no hidden field {name}"
    return found.group(1)


def form_of(client: httpx.Client, name: str) -> dict[str, str]:
    """What the document page's form sends back unchanged: csrf, base version, draft."""
    page = client.get(f"/van-ban/{name}").text
    return {key: hidden(page, key) for key in ("csrf", "base", "draft")}
