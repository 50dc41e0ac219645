#!/usr/bin/env python3
"""Save-to-reload latency of `guide serve`: the time from a page's file being saved (written to
a temporary file and renamed over the page, as editors do) to a `reload` event reaching a
Server-Sent Events client, over ~20 edits of one page's body per site.

    cargo build --release
    scripts/bench/reload-latency.py [--sizes bundled,1000,10000] [--edits 20]
    scripts/bench/reload-latency.py --sizes 50000 --languages 2 --bundled-theme

Sites: `bundled` is a copy of this repository's guide; a number is a synthetic site of that many
pages (a language) written by gen-site.py beside this script, with its minimal theme or, with
--bundled-theme, the theme built into guide, and with --languages 2 a French twin of every
page. Everything goes to --work (default
/dev/shm/guide-reload), which is removed first. Prints, per site, the median and the 95th
percentile of the latency, and the server's own rebuild time for the same edits.
"""

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


class Events:
    """A raw HTTP/1.1 client of the event stream (chunked), yielding (name, data) pairs."""

    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port), timeout=600)
        self.sock.sendall(
            f"GET /__guide/events HTTP/1.1\r\nHost: {host}:{port}\r\n"
            "Accept: text/event-stream\r\n\r\n".encode()
        )
        self.buffer = b""
        head = self._until(b"\r\n\r\n")
        if b" 200 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError(f"event stream refused: {head!r}")
        self.text = ""

    def _until(self, marker):
        while marker not in self.buffer:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError("the server closed the event stream")
            self.buffer += data
        part, self.buffer = self.buffer.split(marker, 1)
        return part

    def _chunk(self):
        size = int(self._until(b"\r\n").split(b";")[0], 16)
        while len(self.buffer) < size + 2:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError("the server closed the event stream")
            self.buffer += data
        chunk, self.buffer = self.buffer[:size], self.buffer[size + 2:]
        return chunk.decode()

    def next(self):
        while "\n\n" not in self.text:
            self.text += self._chunk()
        block, self.text = self.text.split("\n\n", 1)
        name, data = None, ""
        for line in block.split("\n"):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data += line[5:].lstrip()
        if name is None:
            return self.next()
        return name, json.loads(data) if data else None


def prepare(size, work, languages=1, bundled_theme=False):
    """Returns (site folder, page to edit relative to it)."""
    if size == "bundled":
        site = os.path.join(work, "bundled")
        for part in ("site.toml", "content", "themes", "static"):
            source = os.path.join(REPO, part)
            if os.path.isdir(source):
                shutil.copytree(source, os.path.join(site, part))
            elif os.path.isfile(source):
                os.makedirs(site, exist_ok=True)
                shutil.copy(source, os.path.join(site, part))
        return site, "content/stream/family.md"
    out = os.path.join(work, size)
    subprocess.run(
        [sys.executable, os.path.join(HERE, "gen-site.py"), "--pages", size,
         "--languages", str(languages), "--out", out],
        check=True, stdout=subprocess.DEVNULL,
    )
    site = os.path.join(out, "guide")
    if bundled_theme:
        settings = os.path.join(site, "site.toml")
        text = re.sub(r'^theme = .*$', 'theme = "default"', open(settings).read(), flags=re.M)
        with open(settings, "w") as file:
            file.write(text)
    # A page in a subsection, halfway down the site.
    pages = sorted(
        os.path.relpath(os.path.join(folder, name), site)
        for folder, _, names in os.walk(os.path.join(site, "content"))
        for name in names
        if name.endswith(".md") and not name.startswith("_index") and folder.count(os.sep) - site.count(os.sep) >= 3
    )
    return site, pages[len(pages) // 2]


def save(path, text):
    temporary = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp")
    with open(temporary, "w") as file:
        file.write(text)
    os.rename(temporary, path)


def measure(guide, size, work, edits, languages=1, bundled_theme=False):
    site, page = prepare(size, work, languages, bundled_theme)
    started = time.perf_counter()
    server = subprocess.Popen(
        [guide, "--root", site, "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
    )
    try:
        first_build = None
        for line in server.stdout:
            if line.startswith("built the site:"):
                first_build = line.strip()
            match = re.match(r"serving at http://([\d.]+):(\d+)/", line)
            if match:
                host, port = match.group(1), int(match.group(2))
                break
        else:
            raise RuntimeError("the server stopped before serving")
        startup = time.perf_counter() - started
        events = Events(host, port)
        name, hello = events.next()
        assert name == "hello" and not hello["error"], (name, hello)
        path = os.path.join(site, page)
        original = open(path).read()
        latencies = []
        for n in range(edits):
            text = original + f"\nEdit number {n} of the benchmark.\n"
            saved = time.perf_counter()
            save(path, text)
            while True:
                name, data = events.next()
                if name == "reload":
                    break
                if name == "build-error":
                    raise RuntimeError(data["error"]["text"])
            latencies.append((time.perf_counter() - saved) * 1000)
            # Let the debouncer forget this edit, so each is measured alone.
            time.sleep(0.15)
        server.send_signal(2)
        rest, _ = server.communicate(timeout=60)
        rebuilds = [float(m) for m in re.findall(r"changed: .*? in ([\d.]+) ms", rest)]
        return {
            "site": size,
            "page": page,
            "startup_s": startup,
            "first_build": first_build,
            "median_ms": statistics.median(latencies),
            "p95_ms": percentile(latencies, 0.95),
            "min_ms": min(latencies),
            "max_ms": max(latencies),
            "rebuild_median_ms": statistics.median(rebuilds) if rebuilds else None,
            "exit": server.returncode,
        }
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--guide", default=os.path.join(REPO, "target", "release", "guide"))
    parser.add_argument("--sizes", default="bundled,1000,10000")
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--work", default="/dev/shm/guide-reload")
    parser.add_argument("--languages", type=int, choices=(1, 2), default=1)
    parser.add_argument("--bundled-theme", action="store_true")
    args = parser.parse_args()
    if not os.access(args.guide, os.X_OK):
        sys.exit(f"{args.guide} not found: run `cargo build --release` first")
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    print(f"{'site':>8} {'median':>9} {'p95':>9} {'min':>9} {'max':>9} {'rebuild':>9}  startup")
    for size in args.sizes.split(","):
        result = measure(args.guide, size, args.work, args.edits, args.languages,
                         args.bundled_theme)
        rebuild = result["rebuild_median_ms"]
        print(
            f"{result['site']:>8} {result['median_ms']:7.1f}ms {result['p95_ms']:7.1f}ms "
            f"{result['min_ms']:7.1f}ms {result['max_ms']:7.1f}ms "
            f"{(f'{rebuild:.1f}ms' if rebuild is not None else '-'):>9}  "
            f"{result['startup_s']:.1f}s ({result['page']})",
            flush=True,
        )
    shutil.rmtree(args.work, ignore_errors=True)


if __name__ == "__main__":
    main()
