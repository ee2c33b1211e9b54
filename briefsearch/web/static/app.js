// briefsearch serve: keyboard shortcuts and copy buttons. Every page works without this file.
(function () {
  "use strict";
  var current = -1;

  function typing(target) {
    var tag = (target && target.tagName) || "";
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function hits() { return Array.prototype.slice.call(document.querySelectorAll(".hit")); }

  function select(index) {
    var list = hits();
    if (!list.length) { return; }
    current = Math.max(0, Math.min(list.length - 1, index));
    list.forEach(function (hit, i) { hit.classList.toggle("current", i === current); });
    var link = list[current].querySelector("a.open");
    if (link) { link.focus(); }
    list[current].scrollIntoView({ block: "nearest" });
  }

  function showShortcuts() {
    var dialog = document.getElementById("shortcuts");
    if (dialog && typeof dialog.showModal === "function" && !dialog.open) { dialog.showModal(); }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (typing(event.target)) {
      if (event.key === "Escape") { event.target.blur(); }
      return;
    }
    var dialog = document.getElementById("shortcuts");
    if (dialog && dialog.open) { return; }
    if (event.key === "/") {
      var box = document.getElementById("q");
      if (box) { event.preventDefault(); box.focus(); box.select(); }
    } else if (event.key === "j") {
      event.preventDefault(); select(current + 1);
    } else if (event.key === "k") {
      event.preventDefault(); select(current - 1);
    } else if (event.key === "Enter" && current >= 0 && !(event.target && event.target.closest && event.target.closest("a, button"))) {
      var link = hits()[current].querySelector("a.open");
      if (link) { event.preventDefault(); link.click(); }
    } else if (event.key === "?") {
      event.preventDefault(); showShortcuts();
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".keys-link");
    if (link && document.getElementById("shortcuts")) { event.preventDefault(); showShortcuts(); return; }
    var button = event.target.closest && event.target.closest("button[data-copy]");
    if (!button) { return; }
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById("copy-status");
    if (!source) { return; }
    var text = source.textContent;
    var done = function () { if (status) { status.textContent = "Copied " + button.getAttribute("data-label") + " to the clipboard"; } };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(source, done); });
    } else { fallback(source, done); }
  });

  function fallback(source, done) {
    var range = document.createRange();
    range.selectNodeContents(source);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    try { if (document.execCommand("copy")) { done(); } } catch (e) { /* the text stays selected for Ctrl+C */ }
  }
})();
