// Link previews: resting the pointer on an internal link, or moving keyboard focus to it,
// shows the target page's title and opening text (or, for a link to a #section, that
// section's text) in a tooltip beside the link. Links work the same without this script.
//
// Off where it would get in the way or cannot work: on touch screens (no hover), on pages
// opened from file:// (no fetch), and for links that stay on the page or leave the site.
// The tooltip holds text only, so it never takes focus (WCAG 1.4.13: Escape dismisses it,
// the pointer may move onto it, it stays until the pointer or focus leaves).
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch || !window.DOMParser || location.protocol === "file:") { return; }
  if (!window.matchMedia || !window.matchMedia("(hover: hover) and (pointer: fine)").matches) { return; }

  // The script lives at <site root>static/preview.js, under whatever base path the site has.
  var root = new URL("..", script.src).href;
  var SHOW_DELAY = 300, HIDE_DELAY = 250, MAX_CHARS = 320;
  var pages = {};
  var tip = null, anchor = null, dismissed = null, showTimer = 0, hideTimer = 0, serial = 0;

  function pageOf(url) { return url.split("#")[0].replace(/index\.html$/, ""); }

  // A link that leads to another HTML page of this site, inside the page's main text.
  function previewable(link) {
    if (!link || !link.href || link.hasAttribute("download") || !link.closest("main") || link.closest("nav")) { return false; }
    if (link.classList.contains("heading-link") || link.origin !== location.origin) { return false; }
    var target = link.href;
    if (target.indexOf(root) !== 0 || pageOf(target) === pageOf(location.href)) { return false; }
    var path = new URL(target).pathname;
    return /\/$|\.html$/.test(path) || !/\.[a-z0-9]+$/i.test(path);
  }

  function load(url) {
    var key = url.split("#")[0];
    if (!pages[key]) {
      pages[key] = fetch(key, { credentials: "same-origin" }).then(function (response) {
        var type = response.headers.get("content-type") || "";
        if (!response.ok || type.indexOf("text/html") < 0) { return null; }
        return response.text().then(function (html) { return new DOMParser().parseFromString(html, "text/html"); });
      }).catch(function () { return null; });
    }
    return pages[key];
  }

  // The text a reader sees, without permalinks, "cite this" lines and the like.
  function textOf(element) {
    var copy = element.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll("[data-search-ignore], .heading-link, script, style, sup.endnote-ref"), function (n) { n.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function shorten(text) {
    if (text.length <= MAX_CHARS) { return text; }
    var cut = text.slice(0, MAX_CHARS);
    return cut.slice(0, Math.max(cut.lastIndexOf(" "), MAX_CHARS / 2)).replace(/[\s,;:.]+$/, "") + "…";
  }

  // A heading's section: what follows it up to the next heading of its level or above.
  function sectionText(heading) {
    var level = Number(heading.tagName.slice(1)), parts = [];
    for (var next = heading.nextElementSibling; next; next = next.nextElementSibling) {
      if (/^H[1-6]$/.test(next.tagName) && Number(next.tagName.slice(1)) <= level) { break; }
      parts.push(textOf(next));
      if (parts.join(" ").length > MAX_CHARS) { break; }
    }
    return parts.join(" ");
  }

  function openingText(main) {
    var summary = main.querySelector(".summary");
    if (summary && textOf(summary)) { return textOf(summary); }
    var paragraphs = main.querySelectorAll(".content p, p");
    for (var i = 0; i < paragraphs.length; i++) {
      if (paragraphs[i].closest("[data-search-ignore], nav, header.item-header")) { continue; }
      var text = textOf(paragraphs[i]);
      if (text.length > 30) { return text; }
    }
    return "";
  }

  // { kind, title, text } of a fetched page, or of its section the link's #fragment names.
  function previewOf(doc, url) {
    var main = doc.querySelector("main") || doc.body;
    var h1 = main.querySelector("h1");
    var kind = main.querySelector(".item-kind");
    var preview = { kind: kind ? textOf(kind) : "", title: h1 ? textOf(h1) : doc.title, text: "" };
    var hash = new URL(url).hash.slice(1);
    var target = hash && doc.getElementById(decodeURIComponent(hash));
    if (target && /^H[2-6]$/.test(target.tagName)) {
      preview.title += " › " + textOf(target);
      preview.text = sectionText(target);
    } else if (target && target !== h1) {
      preview.text = textOf(target);
    }
    if (!preview.text) { preview.text = openingText(main); }
    preview.text = shorten(preview.text);
    return preview.title ? preview : null;
  }

  function tooltip() {
    if (tip) { return tip; }
    tip = document.createElement("div");
    tip.id = "link-preview";
    tip.className = "link-preview";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    tip.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    tip.addEventListener("mouseleave", scheduleHide);
    document.body.appendChild(tip);
    return tip;
  }

  function fill(box, preview) {
    box.textContent = "";
    [["link-preview-kind", preview.kind], ["link-preview-title", preview.title], ["link-preview-text", preview.text]].forEach(function (part) {
      if (!part[1]) { return; }
      var line = document.createElement("p");
      line.className = part[0];
      line.textContent = part[1];
      box.appendChild(line);
    });
  }

  // Below the link, or above it when there is more room there; never over it.
  function place(box, link) {
    var rect = link.getClientRects()[0] || link.getBoundingClientRect();
    var width = Math.min(box.offsetWidth, document.documentElement.clientWidth - 16);
    var left = Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8));
    var below = window.innerHeight - rect.bottom, above = rect.top;
    var last = link.getClientRects(), bottom = last.length ? last[last.length - 1].bottom : rect.bottom;
    var top = below >= box.offsetHeight + 8 || below >= above ? bottom + 6 : rect.top - box.offsetHeight - 6;
    box.style.left = left + window.scrollX + "px";
    box.style.top = top + window.scrollY + "px";
  }

  function show(link) {
    clearTimeout(hideTimer);
    if (anchor === link && !tip.hidden) { return; }
    var ticket = ++serial;
    load(link.href).then(function (doc) {
      var preview = doc && previewOf(doc, link.href);
      if (ticket !== serial || !preview) { return; }
      var box = tooltip();
      hide();
      fill(box, preview);
      box.hidden = false;
      place(box, link);
      anchor = link;
      link.setAttribute("aria-describedby", box.id);
    });
  }

  function hide() {
    clearTimeout(hideTimer);
    if (tip) { tip.hidden = true; }
    if (anchor) { anchor.removeAttribute("aria-describedby"); }
    anchor = null;
  }

  function scheduleHide() {
    clearTimeout(showTimer);
    serial++;
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, HIDE_DELAY);
  }

  function linkOf(event) {
    var link = event.target.closest && event.target.closest("a[href]");
    return previewable(link) ? link : null;
  }

  document.addEventListener("mouseover", function (event) {
    var link = linkOf(event);
    if (!link || link === dismissed) { return; }
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    showTimer = setTimeout(function () { show(link); }, SHOW_DELAY);
  });
  document.addEventListener("mouseout", function (event) {
    var link = linkOf(event);
    if (!link || link.contains(event.relatedTarget)) { return; }
    if (dismissed === link) { dismissed = null; }
    scheduleHide();
  });
  document.addEventListener("focusin", function (event) {
    var link = linkOf(event);
    if (link) { clearTimeout(showTimer); show(link); }
  });
  document.addEventListener("focusout", function (event) {
    if (linkOf(event)) { scheduleHide(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !tip || tip.hidden) { return; }
    dismissed = anchor;
    serial++;
    hide();
  });
})();
