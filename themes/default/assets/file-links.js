// Opened from disk (file:), a link to a folder shows the folder's listing instead of its
// index.html, as a web server would serve it. There, and only there, this points relative links
// that end in "/" at the folder's index.html. It changes href attributes and nothing else.
"use strict";
(() => {
  if (location.protocol !== "file:") return;
  // A relative path ending in "/" (or "." / ".."), then an optional ?query and #fragment.
  const folder = /^([^:?#]*\/|\.\.?)([?#].*)?$/;
  const fix = () => {
    for (const link of document.querySelectorAll("a[href]")) {
      const href = link.getAttribute("href");
      if (href.startsWith("/")) continue;
      const match = folder.exec(href);
      if (!match) continue;
      const path = match[1].endsWith("/") ? match[1] : match[1] + "/";
      link.setAttribute("href", path + "index.html" + (match[2] || ""));
    }
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fix);
  else fix();
})();
