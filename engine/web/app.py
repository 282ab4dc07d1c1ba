"""`baocao serve`: routes that parse a request, call the engine and render a page; no engine logic here.

Pages: the folder's documents, a document's form with its live preview, the YAML text, the history,
"kỳ mới" from a previous period, downloads. Writes: save (form or text), list operations on the draft,
a new period, an upload; each needs the page's CSRF token.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from engine.errors import BaocaoError, ReportError, ToolMissingError
from engine.web import pages, sheets
from engine.web.drafts import StaleError, apply_form, apply_operation, examine, loaded, save
from engine.web.history import History
from engine.web.security import (
    Busy,
    Refused,
    error_page,
    guard,
    log_internal,
    read_form,
)
from engine.web.workspace import MAX_UPLOAD, OutsideError, Workspace, fingerprint

HERE = Path(__file__).parent
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
P = ParamSpec("P")
T = TypeVar("T")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class App:
    def __init__(self, workspace: Workspace, token: str | None) -> None:
        self.workspace = workspace
        self.history = History(workspace.root)
        self.csrf = secrets.token_urlsafe(24)
        self.token = token
        self.busy = Busy(4)
        self.env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape())
        self.env.filters["q"] = lambda text: quote(str(text))
        self.env.filters["at_field"] = pages.at_field
        self.env.filters["notes_json"] = pages.notes_json
        self.env.filters["placeholder"] = pages.placeholder
        self.env.filters["help"] = pages.help_html

    def page(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(template).render(csrf=self.csrf, **context)
        return HTMLResponse(html, status_code=status)

    # --- pages ---------------------------------------------------------------------------------

    async def index(self, request: Request, status: int = 200, **context: Any) -> Response:
        documents = await run_in_threadpool(self.workspace.documents)
        kinds = await run_in_threadpool(sheets.kinds, self.workspace)
        root = str(self.workspace.root)
        return self.page("index.html", status, documents=documents, root=root, kinds=kinds, **context)

    async def document(self, request: Request) -> Response:
        name = request.path_params["name"]
        file = self.workspace.file(name)
        content = file.read_bytes()
        view = await run_in_threadpool(self._view, file, name, content, content, {})
        if view.outcome.data is None:
            return RedirectResponse(f"/yaml/{quote(name)}", status_code=303)
        saved = "luu" in request.query_params
        return self.page("document.html", view=view, name=name, saved=saved)

    def _view(self, file: Path, name: str, base: bytes, draft: bytes, form: dict[str, str]) -> pages.View:
        with self.busy:
            where = pages.kinds_near(file)
            data = loaded(file, draft, name) if form else None
            if data is not None:
                draft = apply_form(draft, data, form, pages.form_fields(data, where, draft), name)
                if form.get("op"):
                    draft = apply_operation(draft, form["op"])
            return pages.view(examine(file, draft, name), fingerprint(base), where)

    async def preview(self, request: Request) -> Response:
        """The form's draft checked and rendered: preview, messages at fields, derived figures."""
        name, form = request.path_params["name"], await read_form(request, self.csrf)
        file = self.workspace.file(name)
        draft = _draft(form)
        try:
            view = await run_in_threadpool(self._view, file, name, b"", draft, form)
        except ReportError as error:
            return self.page("preview.html", view=None, issues=error.issues, name=name)
        view.base = form.get("base", "")
        if form.get("op"):
            return self.page("document.html", view=view, name=name, saved=False)
        response = self.page("preview.html", view=view, name=name, saved=False)
        if not view.preview:
            response.headers["HX-Reswap"] = "none"  # keep the last good preview; messages still update
        return response

    async def save_form(self, request: Request) -> Response:
        name, form = request.path_params["name"], await read_form(request, self.csrf)
        file = self.workspace.file(name)
        try:
            view = await run_in_threadpool(self._view, file, name, b"", _draft(form), form)
        except ReportError as error:
            return self.page("preview.html", 422, view=None, issues=error.issues, name=name)
        view.base = form.get("base", "")
        return await self._save(name, view.outcome.draft, view.base, view)

    async def _save(self, name: str, draft: bytes, base: str, view: pages.View | None) -> Response:
        try:
            outcome = await run_in_threadpool(save, self.workspace, self.history, name, draft, base)
        except StaleError as stale:
            return self.page("stale.html", 409, name=name, lines=stale.lines, draft=_encode(draft))
        if outcome.checked is None or any(issue.is_error for issue in outcome.issues):
            if view is None:
                return self.page(
                    "yaml.html",
                    422,
                    name=name,
                    text=draft.decode("utf-8", "replace"),
                    issues=outcome.issues,
                    base=base,
                    refused=True,
                )
            return self.page("document.html", 422, view=view, name=name, saved=False, refused=True)
        return RedirectResponse(f"/van-ban/{quote(name)}?luu=1", status_code=303)

    async def yaml_text(self, request: Request) -> Response:
        name = request.path_params["name"]
        content = self.workspace.file(name).read_bytes()
        outcome = await run_in_threadpool(examine, self.workspace.file(name), content, name)
        text = content.decode("utf-8", "replace")
        return self.page("yaml.html", name=name, text=text, issues=outcome.issues, base=fingerprint(content))

    async def save_yaml(self, request: Request) -> Response:
        name, form = request.path_params["name"], await read_form(request, self.csrf)
        self.workspace.file(name)
        draft = form.get("text", "").replace("\r\n", "\n").encode("utf-8")
        return await self._save(name, draft, form.get("base", ""), None)

    async def history_page(self, request: Request) -> Response:
        name = request.path_params["name"]
        file = self.workspace.file(name)
        versions = await run_in_threadpool(self.history.versions, name)
        reports = []
        for newer, older in itertools.pairwise(versions):
            lines = await run_in_threadpool(
                self.history.change_report, file, name, older.commit, newer.commit
            )
            reports.append((newer, lines))
        if versions:
            reports.append((versions[-1], ["(bản đầu tiên được ghi lại)"]))
        return self.page("history.html", name=name, reports=reports, available=self.history.available)

    async def download(self, request: Request) -> Response:
        name, pdf = request.path_params["name"], request.path_params["format"] == "pdf"
        if request.path_params["format"] not in ("docx", "pdf"):
            raise HTTPException(404)
        file = self.workspace.file(name)
        outcome = await run_in_threadpool(self._checked_docx, file, name)
        if outcome is None:
            raise Refused(422, "Văn bản còn lỗi nên chưa xuất được; mở văn bản để xem lỗi ở từng trường.")
        stem = Path(name).stem
        if not pdf:
            return Response(outcome, media_type=DOCX, headers=_attachment(f"{stem}.docx"))
        data = await run_in_threadpool(_to_pdf, outcome, stem)
        return Response(data, media_type="application/pdf", headers=_attachment(f"{stem}.pdf"))

    def _checked_docx(self, file: Path, name: str) -> bytes | None:
        with self.busy:
            return examine(file, file.read_bytes(), name).docx

    async def new_period(self, request: Request) -> Response:
        documents = await run_in_threadpool(self.workspace.documents)
        chosen = request.query_params.get("tu", "")
        return self.page("new.html", documents=documents, chosen=chosen, issues=[], target="")

    async def create_period(self, request: Request) -> Response:
        form = await read_form(request, self.csrf)
        source, target = form.get("tu", ""), form.get("ten", "").strip()
        if target and not target.endswith(".yaml"):
            target += ".yaml"
        try:
            written = await run_in_threadpool(pages.new_period, self.workspace, source, target)
        except (ReportError, BaocaoError) as error:
            issues = error.issues if isinstance(error, ReportError) else []
            documents = await run_in_threadpool(self.workspace.documents)
            message = "" if issues else str(error)
            return self.page(
                "new.html",
                422,
                documents=documents,
                chosen=source,
                issues=issues,
                target=target,
                message=message,
            )
        return RedirectResponse(f"/van-ban/{quote(written)}", status_code=303)

    async def upload(self, request: Request) -> Response:
        async with request.form(max_files=1, max_fields=5, max_part_size=MAX_UPLOAD + 1) as form:
            if form.get("csrf") != self.csrf:
                raise Refused(403, "Thiếu hoặc sai mã chống giả mạo (CSRF): tải lại trang rồi thử lại.")
            upload = form.get("tep")
            if upload is None or isinstance(upload, str):
                raise Refused(400, "Chưa chọn tệp.")
            content = await upload.read(MAX_UPLOAD + 1)
            filename = Path(upload.filename or "").name
        if len(content) > MAX_UPLOAD:
            raise Refused(413, f"Tệp quá lớn (giới hạn {MAX_UPLOAD // 1024 // 1024} MB).")
        try:
            written = await run_in_threadpool(pages.upload, self.workspace, filename, content)
        except ReportError as error:
            return await self.index(request, 422, upload_issues=error.issues)
        return RedirectResponse(f"/van-ban/{quote(written)}", status_code=303)

    # --- spreadsheets --------------------------------------------------------------------------

    async def export_figures(self, request: Request) -> Response:
        try:
            data = await run_in_threadpool(self._busy, sheets.figures, self.workspace)
        except ReportError as error:
            return await self.index(request, 422, export_issues=error.issues)
        return Response(data, media_type=XLSX, headers=_attachment("bang-so-lieu.xlsx"))

    async def blank_workbook(self, request: Request) -> Response:
        kind = request.path_params["kind"]
        data = await run_in_threadpool(self._busy, sheets.blank, self.workspace, kind)
        return Response(data, media_type=XLSX, headers=_attachment(f"bieu-mau-{kind}.xlsx"))

    async def import_sheet(self, request: Request) -> Response:
        async with request.form(max_files=1, max_fields=5, max_part_size=MAX_UPLOAD + 1) as form:
            if form.get("csrf") != self.csrf:
                raise Refused(403, "Thiếu hoặc sai mã chống giả mạo (CSRF): tải lại trang rồi thử lại.")
            upload = form.get("bang")
            if upload is None or isinstance(upload, str) or not upload.filename:
                raise Refused(400, "Chưa chọn tệp.")
            content = await upload.read(MAX_UPLOAD + 1)
            filename = Path(upload.filename).name
            base, folder = str(form.get("tu", "")), str(form.get("thu_muc", ""))
        if len(content) > MAX_UPLOAD:
            raise Refused(413, f"Tệp quá lớn (giới hạn {MAX_UPLOAD // 1024 // 1024} MB).")
        try:
            names, warnings = await run_in_threadpool(
                self._busy,
                sheets.import_upload,
                self.workspace,
                self.history,
                filename,
                content,
                base=base,
                folder=folder,
            )
        except ReportError as error:
            return self.page("import.html", 422, filename=filename, names=[], issues=error.issues)
        return self.page("import.html", filename=filename, names=names, issues=warnings)

    def _busy(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        with self.busy:
            return work(*args, **kwargs)


def _encode(draft: bytes) -> str:
    return base64.b64encode(draft).decode()


def _draft(form: dict[str, str]) -> bytes:
    try:
        return base64.b64decode(form.get("draft", ""), validate=True)
    except (binascii.Error, ValueError) as error:
        raise Refused(400, "Bản nháp gửi lên bị hỏng: tải lại trang.") from error


def _attachment(filename: str) -> dict[str, str]:
    return {"content-disposition": f"attachment; filename*=UTF-8''{quote(filename)}"}


def _to_pdf(docx: bytes, stem: str) -> bytes:
    from engine.pdf import convert_to_pdf

    with tempfile.TemporaryDirectory(prefix="baocao-serve-") as folder:
        source = Path(folder) / f"{stem}.docx"
        source.write_bytes(docx)
        try:
            return convert_to_pdf([source], Path(folder))[0].read_bytes()
        except ToolMissingError as error:
            raise Refused(503, f"Chưa xuất được PDF: {error}") from error


def create_app(root: Path, out: Path, token: str | None = None) -> Starlette:
    app = App(Workspace(root, out), token)

    async def refused(request: Request, error: Exception) -> Response:
        assert isinstance(error, Refused)
        return error_page(error.status, error.message)

    async def outside(request: Request, error: Exception) -> Response:
        return error_page(404, "Không có văn bản này trong thư mục đang mở.")

    async def http_error(request: Request, error: Exception) -> Response:
        status = error.status_code if isinstance(error, HTTPException) else 500
        messages = {404: "Không có trang này.", 405: "Thao tác này không dùng được ở đây."}
        return error_page(status, messages.get(status, "Yêu cầu không hợp lệ."))

    async def internal(request: Request, error: Exception) -> Response:
        log = log_internal(error)
        return error_page(500, f"Lỗi nội bộ của chương trình (không phải do dữ liệu); chi tiết ở {log}.")

    document = "/{name:path}"
    routes = [
        Route("/", app.index),
        Route("/van-ban" + document, app.document),
        Route("/xem-truoc" + document, app.preview, methods=["POST"]),
        Route("/luu" + document, app.save_form, methods=["POST"]),
        Route("/yaml" + document, app.yaml_text),
        Route("/yaml" + document, app.save_yaml, methods=["POST"]),
        Route("/lich-su" + document, app.history_page),
        Route("/tai/{format:str}" + document, app.download),
        Route("/ky-moi", app.new_period),
        Route("/ky-moi", app.create_period, methods=["POST"]),
        Route("/tai-len", app.upload, methods=["POST"]),
        Route("/bang-so-lieu.xlsx", app.export_figures),
        Route("/bieu-mau/{kind:str}.xlsx", app.blank_workbook),
        Route("/nhap-bang-tinh", app.import_sheet, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    handlers = {Refused: refused, OutsideError: outside, HTTPException: http_error, Exception: internal}
    middleware = [Middleware(BaseHTTPMiddleware, dispatch=guard(token))]
    return Starlette(routes=routes, exception_handlers=handlers, middleware=middleware)
