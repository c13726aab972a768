// docket serve: live reload and the error overlay. Injected by the dev server into the
// pages it serves; never part of `docket build` output.
(function () {
  "use strict";
  var SCROLL = "docket-serve-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(SCROLL);
  if (saved !== null) {
    sessionStorage.removeItem(SCROLL);
    var position = JSON.parse(saved);
    var restore = function () { window.scrollTo(position[0], position[1]); };
    if (document.readyState === "complete") restore(); else window.addEventListener("load", restore);
  }

  function reload() {
    // Keep the scroll position only when the page still exists after the rebuild.
    fetch(location.href, { method: "HEAD", cache: "no-store" }).then(function (response) {
      if (response.ok) sessionStorage.setItem(SCROLL, JSON.stringify([window.scrollX, window.scrollY]));
    }).catch(function () {}).then(function () { location.reload(); });
  }

  function overlay(status) {
    var old = document.getElementById("docket-serve-overlay");
    if (old) old.remove();
    if (status.ok) return;
    var box = document.createElement("div");
    box.id = "docket-serve-overlay";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#2b0d0d;color:#fde8e8;font:14px/1.45 ui-monospace,monospace;padding:1em 1.25em;" +
      "border-top:4px solid #e5484d;box-shadow:0 -4px 16px rgba(0,0,0,.4)";
    var title = document.createElement("strong");
    title.style.cssText = "color:#fde8e8";
    title.textContent = "docket: the last edit has " + status.errors + " error(s); showing the last good build";
    box.appendChild(title);
    var close = document.createElement("button");
    close.textContent = "×";
    close.setAttribute("aria-label", "Hide");
    close.style.cssText = "float:right;background:none;border:0;color:#fde8e8;font-size:1.5em;cursor:pointer";
    close.onclick = function () { box.remove(); };
    box.insertBefore(close, title);
    status.diagnostics.forEach(function (d) {
      var item = document.createElement("pre");
      // Set every colour here: the site's own `pre` style (a light code background in the
      // light scheme) under this light text made 1.08:1 contrast.
      item.style.cssText = "white-space:pre-wrap;margin:.75em 0 0;padding:0;border:0;border-radius:0;" +
        "background:transparent;color:#fde8e8;font:inherit";
      var where = d.line ? d.path + ":" + d.line + ":" + d.column : d.path;
      item.textContent = where + ": " + d.severity + "[" + d.code + "]: " + d.message + (d.hint ? "\n  hint: " + d.hint : "");
      box.appendChild(item);
    });
    document.body.appendChild(box);
  }

  function refreshStatus() {
    fetch("/__docket/status", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(overlay)
      .catch(function () {});
  }

  var events = new EventSource("/__docket/events");
  events.addEventListener("reload", reload);
  events.addEventListener("status", refreshStatus);
  events.addEventListener("open", refreshStatus);
})();
