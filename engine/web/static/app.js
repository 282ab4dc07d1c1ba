// baocao serve: thousands dots while typing, messages and derived figures placed at their fields.
(function () {
  "use strict";
  function group(digits) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("so-nguyen")) return;
    var raw = input.value.replace(/\./g, "");
    if (!/^-?\d+$/.test(raw)) return;
    var fromEnd = input.value.length - input.selectionEnd;
    var sign = raw[0] === "-" ? "-" : "";
    input.value = sign + group(raw.replace("-", ""));
    var caret = Math.max(0, input.value.length - fromEnd);
    input.setSelectionRange(caret, caret);
  });
  var dirty = false;
  document.addEventListener("input", function (event) {
    if (!event.target.closest || !event.target.closest("#bieu-mau, .sua-yaml")) return;
    dirty = true;
    var mark = document.getElementById("chua-luu-dau");
    if (mark) mark.hidden = false;
  });
  document.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
  function place() {
    var source = document.getElementById("ghi-chu-du-lieu");
    if (!source) return;
    var notes = JSON.parse(source.textContent);
    document.querySelectorAll(".ghi-chu").forEach(function (box) { box.textContent = ""; });
    document.querySelectorAll(".tu-tinh").forEach(function (box) { box.textContent = ""; });
    Object.keys(notes).forEach(function (anchor) {
      var note = notes[anchor];
      var box = document.getElementById("gc-" + anchor);
      (note.m || []).forEach(function (message) {
        if (!box) return;
        var line = document.createElement("p");
        line.className = message[0];
        line.textContent = message[1];
        box.appendChild(line);
      });
      var derived = document.getElementById("tt-" + anchor);
      if (derived && note.d) derived.textContent = "tự tính: " + note.d;
    });
  }
  function fit() {
    var frame = document.getElementById("xem-truoc");
    var page = frame ? frame.querySelector(".trang") : null;
    if (!page) return;
    page.style.zoom = "";
    var room = frame.clientWidth - 28;
    if (page.offsetWidth > room) page.style.zoom = String(room / page.offsetWidth);
  }
  document.addEventListener("htmx:afterSettle", function () { place(); fit(); });
  window.addEventListener("resize", fit);
  var shownIssue = -1;
  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest("#toi-loi")) return;
    var issues = document.querySelectorAll("#bieu-mau .ghi-chu p, #thong-bao li");
    if (!issues.length) return;
    shownIssue = (shownIssue + 1) % issues.length;
    var form = document.getElementById("bieu-mau");
    var target = issues[shownIssue].closest(".truong, fieldset, #thong-bao");
    form.scrollTop += target.getBoundingClientRect().top - form.getBoundingClientRect().top - 60;
    var input = target.querySelector("input, textarea, select");
    if (input) input.focus({ preventScroll: true });
  });
  document.addEventListener("DOMContentLoaded", fit);
  document.addEventListener("click", function (event) {
    var item = event.target.closest ? event.target.closest("li[data-dong]") : null;
    var text = document.getElementById("yaml");
    if (!item || !text) return;
    var lines = text.value.split("\n");
    var line = Math.min(Number(item.dataset.dong), lines.length) - 1;
    var start = lines.slice(0, line).join("\n").length + (line > 0 ? 1 : 0);
    text.focus();
    text.setSelectionRange(start, start + lines[line].length);
    text.scrollTop = Math.max(0, line - 5) * parseFloat(getComputedStyle(text).lineHeight);
  });
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector("meta[name=csrf]");
    if (meta) event.detail.headers["X-CSRF-Token"] = meta.content;
  });
  document.addEventListener("DOMContentLoaded", function () {
    if (window.htmx) {
      window.htmx.config.responseHandling = [
        { code: "204", swap: false },
        { code: "[2345]..", swap: true, error: false }
      ];
    }
  });
})();
