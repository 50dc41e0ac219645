// Opened from disk (file:), a link to a folder shows the folder's listing instead of its
// index.html, as a web server would serve it. There, and only there, this points relative links
// and form actions that end in "/" at the folder's index.html. It changes href and action
// attributes and nothing else.
"use strict";
(() => {
  if (location.protocol !== "file:") return;
  // A relative path ending in "/" (or "." / ".."), then an optional ?query and #fragment.
  const folder = /^([^:?#]*\/|\.\.?)([?#].*)?$/;
  const fix = () => {
    // Links, and forms (the search form sends its query to the search page's folder).
    const targets = [
      ...[...document.querySelectorAll("a[href]")].map((element) => [element, "href"]),
      ...[...document.querySelectorAll("form[action]")].map((element) => [element, "action"]),
    ];
    for (const [element, attribute] of targets) {
      const href = element.getAttribute(attribute);
      if (href.startsWith("/")) continue;
      const match = folder.exec(href);
      if (!match) continue;
      const path = match[1].endsWith("/") ? match[1] : match[1] + "/";
      element.setAttribute(attribute, path + "index.html" + (match[2] || ""));
    }
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fix);
  else fix();
})();
