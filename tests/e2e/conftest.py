"""Fixtures and helpers for real-browser end-to-end tests (headless Debian Chromium + `streamlit run`).

Fixtures:
    app_server  (session)  base URL ("http://127.0.0.1:PORT") of `streamlit run app.py`
    browser     (session)  Playwright Browser on /usr/bin/chromium (never `playwright install`)
    page        (function) fresh context/page (1400x1000, en-US) recording
                           page.failed_requests, page.console_errors and page.requests

Helpers (import them in test modules with `from conftest import goto_app, wait_for_app, ...`):
    start_app_server(env=None, *, timeout=60.0) -> AppServer   (second server, e.g. another data dir)
    goto_app(page, base_url, path_and_query="/", timeout=30000) -> None
    wait_for_app(page, timeout=30000) -> None
    assert_no_exception(page) -> None
    screenshot(page, name) -> Path
    open_page(browser, *, viewport=(1400, 1000), **context_kwargs) -> context manager yielding a recording
        page in a NEW browser context (a second "user", a phone viewport, ...)
    assert_clean(page) -> None   (no stException, no failed request, no console error)
    wait_for_charts(page, timeout=30000) -> int   (every Plotly chart drawn; returns how many)

Every test collected from tests/e2e is marked `e2e` automatically (deselect with -m "not e2e").
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "screenshots"
CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
SERVER_START_TIMEOUT_S = 60.0

# Streamlit 1.67 frontend: <div data-testid="stApp" data-test-script-state="..." data-test-connection-state="...">.
# data-test-script-state is "initial" until the first script run starts, then one of
# running / notRunning / rerunRequested / stopRequested / compilationError.
APP_IDLE_SELECTOR = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# Loading placeholders: Suspense fallback (stSkeleton) and the whole-app skeleton (stAppSkeleton).
SKELETON_SELECTOR = '[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]'
EXCEPTION_SELECTOR = '[data-testid="stException"]'


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    e2e_dir = Path(__file__).resolve().parent
    for item in items:
        if e2e_dir in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


# --------------------------------------------------------------------------- streamlit server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _health_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
            return resp.status == 200 and resp.read().decode("utf-8", "replace").strip() == "ok"
    except (urllib.error.URLError, OSError, ValueError):
        return False


class AppServer:
    """A running `streamlit run app.py` subprocess (own process group); `.url` is its base URL."""

    def __init__(self, proc: subprocess.Popen, port: int, log: IO[bytes]) -> None:
        self.proc = proc
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self._log = log

    def output(self) -> str:
        """Everything the server wrote to stdout/stderr so far."""
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")

    def stop(self, timeout: float = 10.0) -> None:
        if self.proc.poll() is None:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(timeout=timeout)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if not self._log.closed:
            self._log.close()

    def __enter__(self) -> AppServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_app_server(env: Mapping[str, str] | None = None, *, timeout: float = SERVER_START_TIMEOUT_S) -> AppServer:
    """Start `streamlit run app.py` from the repo root on a free port and wait until it is healthy.

    `env` is added on top of os.environ (e.g. {"KOTAKU_DATA_DIR": str(tmp_dir)}), so a
    KOTAKU_DATA_DIR already set in the environment passes through. Call `.stop()` (or use it as a
    context manager) when done. Raises RuntimeError with the server's output if it never answers.
    """
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    last_error = ""
    for _attempt in range(3):  # retry only if the chosen port got taken in the meantime
        port = _free_port()
        log = tempfile.TemporaryFile(prefix="streamlit-e2e-")
        cmd = [
            sys.executable, "-m", "streamlit", "run", "app.py",
            "--server.port", str(port),
            "--server.headless", "true",
            "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
        ]  # fmt: skip
        proc = subprocess.Popen(
            cmd,
            cwd=REPO_ROOT,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group, so stop() can kill all of it
        )
        server = AppServer(proc, port, log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            if _health_ok(server.url):
                return server
            time.sleep(0.25)
        exited = proc.poll()
        output = server.output()
        server.stop()
        if exited is not None and "already in use" in output:
            last_error = output
            continue
        state = f"exited with code {exited}" if exited is not None else f"did not answer within {timeout:.0f}s"
        raise RuntimeError(
            f"streamlit server on port {port} {state}: {server.url}/_stcore/health never returned 'ok'.\n"
            f"command: {' '.join(cmd)}\n--- server stdout/stderr ---\n{output}"
        )
    raise RuntimeError(f"could not find a usable port for streamlit after 3 attempts:\n{last_error}")


@pytest.fixture(scope="session")
def app_server() -> Iterator[str]:
    """Base URL of a `streamlit run app.py` server shared by the whole session."""
    server = start_app_server()
    try:
        yield server.url
    finally:
        server.stop()


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM_PATH, os.X_OK):
        pytest.fail(
            f"{CHROMIUM_PATH} not found: install Debian's chromium (apt-get install -y chromium); "
            "do not use `playwright install`",
            pytrace=False,
        )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# Streamlit's frontend, opened on a page path such as /luas_kumuh, first probes "<path>/_stcore/health" and
# "<path>/_stcore/host-config" to find the server's base URL (it may be served under a prefix), gets 404, then
# falls back to "/_stcore/...". Those two 404s are how Streamlit works, not a broken link of the app.
_BASE_URL_PROBE = re.compile(r"^https?://[^/]+/.+/_stcore/(health|host-config)$")


def is_base_url_probe(url: str, status: int | None = 404) -> bool:
    """True for Streamlit's expected 404 while it looks for its base URL below a page path."""
    return status == 404 and bool(_BASE_URL_PROBE.match(url.split("?", 1)[0]))


def _record(pg) -> None:
    """Attach the recorders described in `page` to a Playwright page."""
    pg.requests = []
    pg.failed_requests = []
    pg.console_errors = []
    pg.ignored_failures = []  # Streamlit's own base-URL probes (see is_base_url_probe)

    def on_response(resp) -> None:
        if resp.status >= 400:
            entry = f"HTTP {resp.status} {resp.request.method} {resp.url}"
            (pg.ignored_failures if is_base_url_probe(resp.url, resp.status) else pg.failed_requests).append(entry)

    def on_console(msg) -> None:
        if msg.type == "error":
            where = (msg.location or {}).get("url", "")
            if "Failed to load resource" in msg.text and is_base_url_probe(where):
                pg.ignored_failures.append(f"console.error: {msg.text} ({where})")
                return
            pg.console_errors.append(f"console.error: {msg.text}" + (f" ({where})" if where else ""))

    pg.on("request", lambda req: pg.requests.append(req.url))
    pg.on("requestfailed", lambda req: pg.failed_requests.append(f"{req.failure} {req.method} {req.url}"))
    pg.on("response", on_response)
    pg.on("console", on_console)
    pg.on("pageerror", lambda err: pg.console_errors.append(f"pageerror: {err}"))


@contextmanager
def open_page(browser, *, viewport: tuple[int, int] = (1400, 1000), **context_kwargs) -> Iterator:
    """A recording page (see `page`) in a new browser context of its own; closed on exit.

    `context_kwargs` go to browser.new_context (e.g. is_mobile=True, device_scale_factor=3)."""
    context_kwargs.setdefault("locale", "en-US")
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, **context_kwargs)
    pg = context.new_page()
    _record(pg)
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture
def page(browser):
    """A fresh page in its own context. Records, as attributes on the page:

    page.requests        every requested URL
    page.failed_requests "<reason> <METHOD> <url>" for requestfailed events and responses with status >= 400
                         (except Streamlit's own base-URL probes, kept in page.ignored_failures)
    page.console_errors  console.error messages and uncaught page errors
    """
    with open_page(browser) as pg:
        yield pg


# --------------------------------------------------------------------------- helpers


def origin(url: str) -> str:
    """scheme://host:port of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def wait_for_app(page, timeout: float = 30000) -> None:
    """Wait until the script run finished (stApp data-test-script-state="notRunning") and no loading
    skeleton is left, then settle briefly and re-check (in case a rerun was triggered meanwhile)."""
    for _ in range(2):
        page.wait_for_selector(APP_IDLE_SELECTOR, state="attached", timeout=timeout)
        page.wait_for_function("sel => document.querySelector(sel) === null", arg=SKELETON_SELECTOR, timeout=timeout)
        page.wait_for_timeout(300)
    page.wait_for_selector(APP_IDLE_SELECTOR, state="attached", timeout=timeout)


def goto_app(page, base_url: str, path_and_query: str = "/", timeout: float = 30000) -> None:
    """Open base_url + path_and_query (e.g. "/", "/?lang=en", "/peta") and wait for the app to settle."""
    if not path_and_query.startswith("/"):
        path_and_query = "/" + path_and_query
    page.goto(base_url.rstrip("/") + path_and_query, wait_until="domcontentloaded", timeout=timeout)
    wait_for_app(page, timeout=timeout)


def assert_no_exception(page) -> None:
    """Fail (showing the traceback text) if the app displays any st.exception / uncaught error box."""
    boxes = page.locator(EXCEPTION_SELECTOR)
    count = boxes.count()
    if count:
        texts = "\n---\n".join(boxes.nth(i).inner_text() for i in range(count))
        print(f"stException on {page.url}:\n{texts}")
        raise AssertionError(f"{count} stException element(s) on {page.url}:\n{texts}")


# Streamlit scrolls inside its own container, so the document is only one viewport high: the height that shows
# everything is the viewport plus the largest hidden overflow of any scrolling element.
_CONTENT_HEIGHT_JS = """() => {
    let extra = document.documentElement.scrollHeight - window.innerHeight;
    for (const el of document.querySelectorAll('body *')) {
        const oy = getComputedStyle(el).overflowY;
        if ((oy === 'auto' || oy === 'scroll') && el.clientHeight > 0.5 * window.innerHeight)
            extra = Math.max(extra, el.scrollHeight - el.clientHeight);
    }
    return Math.ceil(window.innerHeight + Math.max(extra, 0));
}"""
MAX_SCREENSHOT_HEIGHT = 20000


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG to <repo>/screenshots/<name>.png and return its path.

    The whole page, not only the first screen: the viewport is stretched to the height of the content for the
    shot (Streamlit's main area scrolls inside its own container) and restored afterwards."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / (name if name.endswith(".png") else f"{name}.png")
    viewport = page.viewport_size
    height = min(page.evaluate(_CONTENT_HEIGHT_JS), MAX_SCREENSHOT_HEIGHT)
    if viewport and height > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": height})
        try:
            page.wait_for_timeout(500)  # let charts and the grid re-layout to the taller viewport
            page.screenshot(path=str(path), full_page=True)
        finally:
            page.set_viewport_size(viewport)
    else:
        page.screenshot(path=str(path), full_page=True)
    return path


def assert_clean(page) -> None:
    """No exception box, no failed network request and no console error on this page so far."""
    assert_no_exception(page)
    assert not page.failed_requests, f"failed requests on {page.url}:\n" + "\n".join(page.failed_requests)
    assert not page.console_errors, f"console errors on {page.url}:\n" + "\n".join(page.console_errors)


# Every Plotly chart has drawn its SVG layers (.main-svg) or a canvas (WebGL traces, MapLibre maps).
_CHARTS_DRAWN_JS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(
    c => c.querySelector('.js-plotly-plot') && c.querySelector('svg.main-svg, canvas'))"""


def wait_for_charts(page, timeout: float = 30000) -> int:
    """Wait until every `[data-testid="stPlotlyChart"]` on the page is drawn; return how many there are."""
    page.wait_for_function(_CHARTS_DRAWN_JS, timeout=timeout)
    return page.locator('[data-testid="stPlotlyChart"]').count()


# --------------------------------------------------------------------------- reading the dashboard

SIDEBAR = '[data-testid="stSidebar"]'


def metric_values(page) -> list[str]:
    """The texts of every st.metric value on the page, in page order."""
    return [t.strip() for t in page.locator('[data-testid="stMetricValue"]').all_inner_texts()]


def sidebar_combobox(page, label: str):
    """The text input of the sidebar selectbox whose label is `label` (Streamlit 1.67: a react-aria ComboBox)."""
    box = page.locator(f'{SIDEBAR} [data-testid="stSelectbox"]').filter(
        has=page.locator('[data-testid="stWidgetLabel"]', has_text=label))
    return box.locator('input[role="combobox"]')


def choose_in_selectbox(page, combobox, option: str, typed: str | None = None) -> None:
    """Open a selectbox, type (part of) the option to filter the list, and click the option `option`."""
    combobox.click()
    if typed:
        combobox.press_sequentially(typed, delay=20)
    page.locator('[role="listbox"] [role="option"], [role="option"]').filter(
        has_text=re.compile(rf"^\s*{re.escape(option)}\s*$")).first.click()


def table_rows(page, table, n: int = 5) -> list[list[str]]:
    """The header and first `n` data rows of an st.dataframe, read from the accessible table that the grid
    (glide-data-grid) renders inside its canvas."""
    rows = table.locator('canvas[data-testid="data-grid-canvas"] table tr')
    out = []
    for i in range(min(rows.count(), n + 1)):
        out.append([c.strip() for c in rows.nth(i).locator("th, td").all_text_contents()])
    return out


def share_link(page) -> str:
    """Open the sidebar's "share this view" popover, read the link in its code block, close it again."""
    page.locator(f'{SIDEBAR} [data-testid="stPopoverButton"]').click()
    code = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"] code').first
    code.wait_for(state="visible", timeout=30000)
    text = code.inner_text().strip()
    page.keyboard.press("Escape")
    page.locator('[data-testid="stPopoverBody"]').wait_for(state="hidden", timeout=30000)
    return text
