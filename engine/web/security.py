"""What guards every request: access token (when not on loopback), CSRF on writes, bounded bodies,
a bounded number of renders at once, and Vietnamese error pages instead of tracebacks."""

from __future__ import annotations

import hmac
import tempfile
import threading
import traceback
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

MAX_BODY = 4 * 1024 * 1024
TOKEN_COOKIE = "baocao_ma"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
BUSY_SECONDS = 20


class Refused(Exception):  # noqa: N818 - a response, not a bug
    """A request refused with a status and a Vietnamese message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Busy:
    """At most `slots` renders at once; a request waiting longer than BUSY_SECONDS gets 503."""

    def __init__(self, slots: int) -> None:
        self._slots = threading.BoundedSemaphore(slots)

    def __enter__(self) -> None:
        if not self._slots.acquire(timeout=BUSY_SECONDS):
            raise Refused(503, "Máy chủ đang bận, vui lòng thử lại sau ít giây.")

    def __exit__(self, *_: object) -> None:
        self._slots.release()


def error_page(status: int, message: str) -> HTMLResponse:
    """A page a clerk can read; the same frame as the app, nothing from the program's inside."""
    from html import escape

    body = (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Lỗi</title>'
        '<link rel="stylesheet" href="/static/app.css"></head><body><header class="dau">'
        '<a href="/" class="ten">baocao</a></header><main class="loi-trang">'
        f"<h1>Không thực hiện được</h1><p>{escape(message)}</p>"
        '<p><a href="/">← Về danh sách văn bản</a></p></main></body></html>'
    )
    return HTMLResponse(body, status_code=status)


def log_internal(error: BaseException) -> str:
    with tempfile.NamedTemporaryFile(
        "w", prefix="baocao-serve-loi-", suffix=".log", delete=False, encoding="utf-8"
    ) as log:
        traceback.print_exception(error, file=log)
    return log.name


def guard(
    token: str | None,
) -> Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]:
    """HTTP middleware: the token (from `?ma=` once, then a cookie) when the app is not on loopback."""

    async def middleware(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        given = request.query_params.get("ma") or request.cookies.get(TOKEN_COOKIE) or ""
        if (
            token is not None
            and not request.url.path.startswith("/static/")
            and not hmac.compare_digest(given.encode(), token.encode())
        ):
            return error_page(
                401, "Cần mã truy cập: mở đường dẫn có `?ma=…` in ra khi khởi động baocao serve."
            )
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_BODY:
            return error_page(413, f"Dữ liệu gửi lên quá lớn (giới hạn {MAX_BODY // 1024 // 1024} MB).")
        response = await call_next(request)
        if token is not None and request.query_params.get("ma"):
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return response

    return middleware


async def read_body(request: Request) -> bytes:
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise Refused(413, f"Dữ liệu gửi lên quá lớn (giới hạn {MAX_BODY // 1024 // 1024} MB).")
    return bytes(body)


async def read_form(request: Request, csrf: str) -> dict[str, str]:
    """A write's form fields (URL-encoded, UTF-8), refused without the page's CSRF token."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and origin.split("//", 1)[-1] != request.headers.get("host", ""):
        raise Refused(403, "Yêu cầu đến từ trang khác: đã từ chối.")
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    if content_type != "application/x-www-form-urlencoded":
        raise Refused(415, "Dạng dữ liệu gửi lên không được hỗ trợ.")
    try:
        text = (await read_body(request)).decode("ascii")
        pairs = parse_qsl(
            text, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=20000
        )
    except (UnicodeDecodeError, ValueError) as error:
        raise Refused(400, "Dữ liệu gửi lên không phải UTF-8 hợp lệ.") from error
    form = dict(pairs)
    given = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER, "")
    if not hmac.compare_digest(given.encode(), csrf.encode()):
        raise Refused(403, "Thiếu hoặc sai mã chống giả mạo (CSRF): tải lại trang rồi thử lại.")
    return form
