"""Translate ruamel.yaml's syntax errors into one located Vietnamese `Issue`.

ruamel reports where its scanner gave up, in English; clerks need the line to
fix and what to type. Each known problem text maps to a message and a hint.
"""

from __future__ import annotations

import re

from ruamel.yaml.error import MarkedYAMLError

from engine.errors import Issue

INDENT_HINT = "các trường cùng cấp phải thẳng cột với nhau, cùng số dấu cách đầu dòng"
DEPTH_MESSAGE = "dữ liệu lồng nhau quá sâu"
DEPTH_HINT = "tệp dữ liệu chỉ cần vài cấp trường lồng nhau; kiểm tra các dấu ngoặc `[` chưa đóng"

# ruamel problem text → (message, hint); `{0}` is the first regex group.
SYNTAX_MESSAGES: list[tuple[str, str, str]] = [
    (
        r"found character '\\t' that cannot start any token",
        "có ký tự Tab ở đây",
        "YAML không cho dùng Tab để thụt lề hay ngăn cách; hãy thay bằng dấu cách",
    ),
    (
        r"found character '(.*)' that cannot start any token",
        "ký tự `{0}` không được đứng đầu giá trị",
        "hãy đặt cả giá trị trong ngoặc kép",
    ),
    (
        r"mapping values are not allowed here",
        "dấu `:` không hợp lệ ở đây",
        "giá trị có dấu `:` như `Ghi chú: …` phải đặt trong ngoặc kép; "
        "nếu đây là trường mới thì thiếu dấu cách sau `:` hoặc thụt lề sai",
    ),
    (
        r"could not find expected ':'",
        "thiếu dấu `:` sau tên trường",
        "mỗi dòng phải có dạng `tên_trường: giá trị`; đoạn văn nhiều dòng hãy đặt trong ngoặc kép",
    ),
    (
        r"expected <block end>, but found '(\?|-|<block mapping start>|<block sequence start>)'",
        "thụt lề không đúng",
        INDENT_HINT,
    ),
    (
        r"expected <block end>, but found '<scalar>'",
        "có chữ thừa sau giá trị đã đóng ngoặc",
        "đặt cả giá trị trong một cặp ngoặc kép",
    ),
    (r"expected ',' or '([\]}])'", "thiếu dấu phẩy hoặc dấu `{0}` đóng ngoặc", ""),
    (r"but found another document", "tệp chỉ được chứa một khối dữ liệu", "xóa dòng `---` này"),
    (
        r"found undefined alias '(.*)'",
        "bí danh `*{0}` chưa được khai báo",
        "cần có `&{0}` ở giá trị gốc phía trên",
    ),
    (r"maximum depth", DEPTH_MESSAGE, DEPTH_HINT),
]


def syntax_issue(error: MarkedYAMLError, text: str, file: str) -> Issue:
    """The issue at the line the user must fix, which is not always where the scanner stopped."""
    problem = str(error.problem or error.context or "")
    mark = error.problem_mark or error.context_mark
    message, hint = f"lỗi cú pháp YAML: {problem}", ""
    for pattern, vi_message, vi_hint in SYNTAX_MESSAGES:
        found = re.search(pattern, problem)
        if found:
            message, hint = vi_message.format(*found.groups()), vi_hint.format(*found.groups())
            break
    context = str(error.context or "")
    if error.context_mark is not None and ("simple key" in context or "flow" in context):
        mark = error.context_mark
    if "quoted scalar" in context and error.context_mark is not None:
        mark = error.context_mark
        quote = text[mark.index] if mark.index < len(text) else '"'
        message, hint = f"dấu ngoặc {quote} mở ở đây nhưng chưa đóng", f"thêm dấu {quote} ở cuối giá trị"
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if "mapping values" in problem and (indent := _deeper_key_line(text, line)):
        message, hint, col = (
            "thụt lề không đúng: dòng này thụt vào sâu hơn dòng trên",
            INDENT_HINT,
            indent + 1,
        )
    return Issue(message, code="yaml.syntax", hint=hint, file=file, line=line, col=col)


def _deeper_key_line(text: str, line: int) -> int:
    """The indent of line `line` when it is a `key: …` line indented deeper than the line above
    (YAML then reads it as the continuation of the value above), else 0."""
    lines = text.split("\n")
    current = lines[line - 1] if line <= len(lines) else ""
    above = next((row for row in reversed(lines[: line - 1]) if row.strip()), "")
    indent = len(current) - len(current.lstrip(" "))
    is_key = re.match(r" *[^\s:#\-][^\s:]*:(\s|$)", current) is not None
    return indent if is_key and indent > len(above) - len(above.lstrip(" ")) else 0
