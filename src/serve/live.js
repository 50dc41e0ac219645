// Live reload for `guide serve`: listens to the server's events and reloads the page, swaps
// stylesheets in place, or shows the build error over the page. Served as a file, not inline,
// so pages with a strict Content-Security-Policy keep working; styles are set through the
// CSSOM for the same reason, and error text only ever goes through textContent.
(() => {
  "use strict";
  if (window.__guideLive) return;
  const script = document.currentScript;
  const origin = script ? new URL(script.src, location.href) : new URL(location.href);
  // The build this page was served from; a page that reconnects to a newer one reloads.
  let build = (script && script.dataset.build) || null;
  let overlay = null;
  const source = new EventSource(new URL("/__guide/events", origin));
  window.__guideLive = { source, events: [] };

  const record = (name, data) => {
    window.__guideLive.events.push({ name, data });
    document.dispatchEvent(new CustomEvent("guide:" + name, { detail: data }));
  };
  const read = (event) => {
    try {
      return JSON.parse(event.data);
    } catch {
      return {};
    }
  };

  source.addEventListener("hello", (event) => {
    const data = read(event);
    record("hello", data);
    if (build !== null && data.build !== build) {
      location.reload();
      return;
    }
    build = data.build;
    if (data.error) showError(data.error);
    else hideError();
  });

  source.addEventListener("reload", (event) => {
    record("reload", read(event));
    location.reload();
  });

  source.addEventListener("stylesheets", (event) => {
    const data = read(event);
    build = data.build;
    hideError();
    for (const swap of data.swaps || []) swapStylesheet(swap.from, swap.to, data.build);
    record("stylesheets", data);
  });

  source.addEventListener("build-error", (event) => {
    const data = read(event);
    record("build-error", data);
    showError(data.error);
  });

  function swapStylesheet(from, to, version) {
    for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      const name = url.pathname.slice(url.pathname.lastIndexOf("/") + 1);
      if (name !== from.slice(from.lastIndexOf("/") + 1)) continue;
      url.pathname = url.pathname.slice(0, url.pathname.length - name.length) +
        to.slice(to.lastIndexOf("/") + 1);
      // A copied stylesheet keeps its name: a query makes the browser fetch it again.
      if (from === to) url.searchParams.set("guide-build", version);
      const fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.addEventListener("load", () => link.remove(), { once: true });
      fresh.addEventListener("error", () => link.remove(), { once: true });
      link.after(fresh);
    }
  }

  function styled(tag, style, text) {
    const element = document.createElement(tag);
    Object.assign(element.style, style);
    if (text !== undefined) element.textContent = text;
    return element;
  }

  function showError(error) {
    hideError();
    const host = styled("div", {
      position: "fixed", inset: "0", zIndex: "2147483647", overflow: "auto",
      background: "rgba(20, 20, 20, 0.85)", padding: "2rem 1rem",
    });
    host.id = "guide-error-overlay";
    host.setAttribute("role", "alert");
    const root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    const panel = styled("div", {
      maxWidth: "60rem", margin: "0 auto", background: "#fff", color: "#111",
      border: "4px solid #b00020", borderRadius: "6px", padding: "1rem 1.25rem",
      font: "15px/1.5 system-ui, sans-serif",
    });
    const close = styled("button", {
      float: "right", font: "inherit", cursor: "pointer", background: "none",
      border: "1px solid #777", borderRadius: "4px", padding: "0 0.5rem",
    }, "Close");
    close.type = "button";
    close.addEventListener("click", hideError);
    panel.append(close);
    panel.append(styled("h2", { margin: "0 0 0.5rem", fontSize: "1.2rem", color: "#b00020" },
      "The site did not build"));
    panel.append(styled("p", { margin: "0 0 0.75rem" },
      "This page shows the last good build. Fix the file below; the page reloads by itself."));
    const list = styled("ul", { margin: "0 0 0.75rem", paddingLeft: "1.25rem" });
    for (const item of (error && error.errors) || []) {
      const where = [item.file, item.line, item.column].filter((part) => part != null).join(":");
      const entry = styled("li", {});
      entry.append(styled("code", { fontWeight: "bold" }, where), " " + item.message);
      list.append(entry);
    }
    panel.append(list);
    panel.append(styled("pre", {
      margin: "0", padding: "0.75rem", background: "#f4f4f4", overflow: "auto",
      font: "13px/1.4 ui-monospace, monospace", whiteSpace: "pre",
    }, (error && error.text) || ""));
    root.append(panel);
    document.documentElement.append(host);
    overlay = host;
  }

  function hideError() {
    if (overlay) overlay.remove();
    overlay = null;
  }
})();
