"""First visit: the JavaScript and CSS a first visit to `/` downloads, and the time to a usable home
page in Chromium on the local stack, against a bare Vite + Vue page measured in the same run.

Baseline: an index.html and a main.js that mounts `createApp({ render: () => h('h1', 'ok') })`, built
in a temporary directory by the frontend's own installed vite (frontend/node_modules/.bin/vite build
--config ...) with `vue` aliased to frontend/node_modules/vue's runtime esm-bundler build and Vue's
feature flags as @vitejs/plugin-vue sets them; no npm install. It is served by a loopback static
server (Python's http.server, no compression, as the local stack serves frontend/dist).

The app: frontend/dist (built by `make frontend`, which `make bench` depends on) served by the local
stack started as `make run` starts it (`python -m infra.local.stack`), home page signed out.

1. Bytes: in Chromium (Debian's, via Playwright), a fresh context's first load of `/`, waited to
   network idle and to the page being usable; every response whose request type is script or
   stylesheet (module preloads included) has its body gzipped at level 9 (as a server would) and
   summed; raw sizes too.
2. Time to usable: RUNS runs, app and baseline alternated (after one warm-up each), each in a fresh
   browser context with the HTTP cache disabled (CDP Network.setCacheDisabled). An init script
   records `performance.now()` (milliseconds since the navigation started) the first time the page
   is usable, checked on every DOM mutation and animation frame: for the app, the home page's
   appeals card link (`.platform-card[data-platform=appeals] a.platform-card__link`) has a box, is
   not visibility:hidden and not disabled (the cards come from GET /api/platforms, so this includes
   that call); for the baseline, its h1 is visible. Playwright then waits for the same element to be
   visible and enabled and reads the recorded time. Medians and their ratio are reported.

`python -m tests.bench.first_visit` prints the section; `make bench` adds it to BENCHMARKS.md.
"""
from __future__ import annotations

import functools
import gzip
import http.server
import json
import statistics
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FRONTEND = ROOT / "frontend"
DIST = FRONTEND / "dist"
VITE = FRONTEND / "node_modules" / ".bin" / "vite"
VUE_RUNTIME = FRONTEND / "node_modules" / "vue" / "dist" / "vue.runtime.esm-bundler.js"
RUNS = 9
TIMEOUT_MS = 30_000

APP_USABLE = ".platform-card[data-platform=appeals] a.platform-card__link"
BASELINE_USABLE = "h1"

BASELINE_HTML = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>baseline</title>
  </head>
  <body>
    <div id="app"></div>
    <script type="module" src="/main.js"></script>
  </body>
</html>
"""
BASELINE_MAIN = """import { createApp, h } from 'vue'

createApp({ render: () => h('h1', 'ok') }).mount('#app')
"""

# Records performance.now() the first time SELECTOR is usable: on every mutation and animation frame.
USABLE_SCRIPT = """(() => {
  const selector = %s;
  window.__usableAt = null;
  const usable = () => {
    const el = document.querySelector(selector);
    if (!el) return false;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return false;
    if (getComputedStyle(el).visibility === 'hidden') return false;
    return !el.disabled && el.getAttribute('aria-disabled') !== 'true';
  };
  const check = () => {
    if (window.__usableAt !== null) return true;
    if (usable()) { window.__usableAt = performance.now(); return true; }
    return false;
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
  const frame = () => { if (!check()) requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
})();"""


@dataclass
class Asset:
    path: str
    kind: str  # script or stylesheet
    raw: int
    gzip: int


@dataclass
class Download:
    assets: list[Asset] = field(default_factory=list)

    def total(self, attribute: str, kind: str | None = None) -> int:
        return sum(getattr(a, attribute) for a in self.assets if kind is None or a.kind == kind)


@dataclass
class Result:
    app: Download
    baseline: Download
    runs: int
    app_times: list[float]  # ms from navigation start to usable
    baseline_times: list[float]

    @property
    def app_median(self) -> float:
        return statistics.median(self.app_times)

    @property
    def baseline_median(self) -> float:
        return statistics.median(self.baseline_times)


def build_baseline(out: Path) -> Path:
    """Build the bare Vite + Vue page in `out` with the frontend's installed vite; returns its dist."""
    if not VITE.exists() or not VUE_RUNTIME.exists():
        raise RuntimeError("frontend/node_modules is missing: run `make frontend` (npm ci) first")
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.html").write_text(BASELINE_HTML, encoding="utf-8")
    (out / "main.js").write_text(BASELINE_MAIN, encoding="utf-8")
    config = {
        "root": str(out),
        "base": "/",
        "logLevel": "warn",
        "resolve": {"alias": {"vue": str(VUE_RUNTIME)}},
        # As @vitejs/plugin-vue defines them for a production build (the app gets the same).
        "define": {"__VUE_OPTIONS_API__": "true", "__VUE_PROD_DEVTOOLS__": "false",
                   "__VUE_PROD_HYDRATION_MISMATCH_DETAILS__": "false"},
        "build": {"outDir": str(out / "dist"), "emptyOutDir": True},
    }
    (out / "vite.config.mjs").write_text(f"export default {json.dumps(config, indent=2)}\n", encoding="utf-8")
    result = subprocess.run([str(VITE), "build", "--config", str(out / "vite.config.mjs")], cwd=out,
                            capture_output=True, text=True)
    if result.returncode != 0 or not (out / "dist" / "index.html").exists():
        raise RuntimeError(f"the baseline's vite build failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return out / "dist"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """A loopback static server (no compression) for `directory`; returns it and its URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, name="baseline-static", daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _context(browser):
    return browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800}, service_workers="block")


def first_download(browser, url: str, usable: str) -> Download:
    """The JS and CSS a fresh context's first load of `url` downloads (waited to network idle and usable)."""
    context = _context(browser)
    try:
        page = context.new_page()
        responses = []

        def record(response):
            kind = response.request.resource_type
            if kind in ("script", "stylesheet"):
                responses.append((kind, response))

        page.on("response", record)
        page.goto(url + "/", wait_until="networkidle", timeout=TIMEOUT_MS)
        page.locator(usable).first.wait_for(state="visible", timeout=TIMEOUT_MS)
        page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
        download = Download()
        for kind, response in responses:
            if response.status != 200:
                raise RuntimeError(f"{response.url} answered {response.status}")
            body = response.body()
            download.assets.append(Asset(urlsplit(response.url).path, kind, len(body), len(gzip.compress(body, 9))))
        return download
    finally:
        context.close()


def time_to_usable(browser, url: str, usable: str) -> float:
    """Milliseconds from navigation start until `usable` is visible and enabled, fresh context, no cache."""
    context = _context(browser)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        page.add_init_script(USABLE_SCRIPT % json.dumps(usable))
        page.goto(url + "/", wait_until="commit", timeout=TIMEOUT_MS)
        target = page.locator(usable).first
        target.wait_for(state="visible", timeout=TIMEOUT_MS)
        if not target.is_enabled():
            raise RuntimeError(f"{usable} is visible but disabled")
        page.wait_for_function("window.__usableAt !== null", timeout=TIMEOUT_MS)
        return float(page.evaluate("window.__usableAt"))
    finally:
        context.close()


def measure(runs: int = RUNS) -> Result:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.local.conftest import RunningStack, free_port

    if not (DIST / "index.html").exists():
        raise RuntimeError("frontend/dist is missing: run `make frontend` first")
    with tempfile.TemporaryDirectory(prefix="first-visit-") as tmp:
        baseline_dist = build_baseline(Path(tmp) / "baseline")
        (Path(tmp) / "stack").mkdir()
        stack = RunningStack(Path(tmp) / "stack", free_port())
        server, baseline_url = serve(baseline_dist)
        stack.start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                try:
                    app = first_download(browser, stack.url, APP_USABLE)
                    baseline = first_download(browser, baseline_url, BASELINE_USABLE)
                    time_to_usable(browser, stack.url, APP_USABLE)  # warm-up: server, disk, browser
                    time_to_usable(browser, baseline_url, BASELINE_USABLE)
                    app_times, baseline_times = [], []
                    for _ in range(runs):
                        app_times.append(time_to_usable(browser, stack.url, APP_USABLE))
                        baseline_times.append(time_to_usable(browser, baseline_url, BASELINE_USABLE))
                finally:
                    browser.close()
        finally:
            server.shutdown()
            server.server_close()
            stack.process.kill()
            stack.process.wait(timeout=30)
    return Result(app, baseline, runs, app_times, baseline_times)


def _kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def markdown(result: Result) -> list[str]:
    app, base = result.app, result.baseline
    lines = [
        "## First visit (Chromium, local stack)",
        "",
        "The home page `/` signed out, served by the local stack as `make run` serves `frontend/dist`, against a bare "
        "Vite + Vue page (`createApp({ render: () => h('h1', 'ok') })`, built in the same run by the frontend's own "
        "vite and vue, served by a loopback static server). Bytes: every script and stylesheet response of a fresh "
        "context's first load of `/`, bodies gzipped at level 9. Time to usable: from navigation start until the "
        "appeals card's link (baseline: the h1) is visible and enabled, "
        f"{result.runs} runs alternated with the baseline, each a fresh context with the cache disabled (medians).",
        "",
        "| measurement | baseline | app | baseline | ratio |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for label, attribute, kind in (("JS + CSS downloaded, gzip", "gzip", None), ("JS, gzip", "gzip", "script"),
                                   ("CSS, gzip", "gzip", "stylesheet"), ("JS + CSS downloaded, raw", "raw", None)):
        value, baseline = app.total(attribute, kind), base.total(attribute, kind)
        ratio = f"{value / baseline:.1f}×" if baseline else "–"
        lines.append(f"| {label} | bare Vite + Vue | {_kb(value)} | {_kb(baseline)} | {ratio} |")
    lines.append(f"| time to usable home page | bare Vite + Vue (h1 visible) | {result.app_median:.0f} ms "
                 f"| {result.baseline_median:.0f} ms | {result.app_median / result.baseline_median:.1f}× |")
    def files(download: Download) -> str:
        return ", ".join(f"`{a.path.rsplit('/', 1)[-1]}` {_kb(a.gzip)}" for a in download.assets)

    lines += [
        "",
        f"Files (gzip): app {len(app.assets)} ({files(app)}); baseline {len(base.assets)} ({files(base)}). "
        f"Time to usable, every run (ms): app {', '.join(f'{t:.0f}' for t in result.app_times)}; "
        f"baseline {', '.join(f'{t:.0f}' for t in result.baseline_times)}.",
        "",
    ]
    return lines


if __name__ == "__main__":
    print("\n".join(markdown(measure())))
