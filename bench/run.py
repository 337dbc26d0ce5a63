"""The benchmark of issue 5, one command: queries, pages (server side and in Chromium), start-up, memory, bytes.

    python bench/run.py                        # bundled set (x1) and a 20 times larger set (x20, generated, ~1 min)
    python bench/run.py --x20 /tmp/k20         # use that x20 folder (generated into it first if it is missing)
    python bench/run.py --quick                # one run of each measure instead of the median of several
    python bench/run.py --scales 1 --only queries,server --json bench.json

What it measures, every figure a median over several runs (`--runs`, `--browser-runs`):

queries   every public function of kotaku_data.queries (bench/bench.py): warm median with the default filters
          and with prov=32, the first call on a new connection (cold) and a call through the app's result
          cache (cached); Database() open time and peak memory. Each scale in a fresh child process.
server    every page through Streamlit's AppTest (app.py, then switch_page), default view and a province view
          (prov=32): "empty" = every cache of the app cleared first (query results, figures, tables, names,
          valid codes; the data set stays open, as on a running server), "warm" = run again on the filled
          caches, "cold" = the data set opened again too (as right after a server start or a new import). The
          minimal page (bench/minimal_app.py) through AppTest is the floor that AppTest itself costs. Each
          scale runs in a fresh child process. Also the size of every Plotly figure JSON the page sends, and of
          the map figure (the choropleth) on its own.
browser   `streamlit run` servers (one for the dashboard, one for bench/minimal_app.py) and Debian's headless
          Chromium: from navigation start (performance.now() of the new document) until the app has finished
          running (stApp data-test-script-state="notRunning"), no skeleton is left and every Plotly chart has
          its svg/canvas; every page's default view, each visit in a new browser context (a new session) on a
          warm server. The minimal page is measured in the same rounds; "ratio" = page / minimal page. Also the
          websocket payload received per page view (every frame from navigation until drawn).
start     from starting the `streamlit run` process to the overview drawn in Chromium (browser launched before).
memory    the server's resident memory (its process and every child, from /proc) after the first page, and
          while and after 20 browser contexts (sessions) open 20 different filtered links (5 at a time) and stay
          open: "after" = RSS with all 20 still connected, "peak" = highest sampled RSS during the sessions.

x1 is the bundled data/ (or $KOTAKU_DATA_DIR); x20 is `--x20 DIR`, else generated into a temporary folder and
deleted afterwards. The targets of issue 5 are printed next to the figures ("!" marks a figure that misses its
target) and summed up at the end. Nothing asserts anything: the figures depend on the machine and on its load.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))
import bench as query_bench  # noqa: E402  (bench/bench.py, the query benchmark)
from bench import FILTER_CASES, REPO, _in_child, _time_generation  # noqa: E402

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
E2E = REPO / "tests" / "e2e"
if str(E2E) not in sys.path:
    sys.path.insert(0, str(E2E))

MINIMAL = BENCH / "minimal_app.py"
APP = REPO / "app.py"
APPTEST_TIMEOUT = 180
PAGE_TIMEOUT_MS = 600_000  # a busy machine (or 20 sessions at once at x20) can take minutes; see --timeout
SESSIONS = 20
SESSION_BATCH = 5  # sessions opened at the same time (all 20 stay open until measured)
VIEWS = {name: {k: str(v) for k, v in fields.items()} for name, fields in FILTER_CASES.items()}  # URL parameters
BROWSER_VIEWS = {"default": VIEWS["default"]}  # a browser view costs seconds of Chromium time: default view only

# The app has finished running, no loading skeleton is left and every Plotly chart is drawn (svg or canvas):
# returns performance.now() (ms since navigation start of this document) at that moment, else false.
DRAWN_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (!document.querySelector('[data-testid="stMain"] h1')) return false;
    if (document.querySelector('[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]')) return false;
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    if (!charts.every(c => c.querySelector('.js-plotly-plot') && c.querySelector('svg.main-svg, canvas')))
        return false;
    return performance.now();
}"""

# The script run of this session has finished and its elements are on the page (charts may still be drawing).
RUN_DONE_JS = """() => document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state')
    === 'notRunning' && !!document.querySelector('[data-testid="stMain"] h1')"""

TARGETS = {  # issue 5, "Targets on a 2-core machine"
    "server_empty_x1_ms": 800, "server_warm_x1_ms": 300, "server_empty_x20_ms": 1500, "browser_ratio": 1.5,
    "start_s": 5.0, "memory_mb": 600, "map_kb": 300,
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def quiet_streamlit() -> None:
    """Streamlit outside a server (AppTest, or importing the UI modules) warns on every cached call: errors only."""
    os.environ["STREAMLIT_LOGGER_LEVEL"] = "error"
    from streamlit import config as st_config
    from streamlit import logger as st_logger

    st_config.set_option("logger.level", "error")
    st_logger.set_log_level("error")


def page_defs() -> list[tuple[str, str, str]]:
    """(page id, script, URL path) of every dashboard page, in the order of the navigation."""
    quiet_streamlit()
    from kotaku_data.ui.frame import PAGES

    out = []
    for p in PAGES:
        if not (REPO / p.script).exists():
            continue
        path = "/" if p.script == "app.py" else "/" + re.sub(r"^\d+_", "", Path(p.script).stem)
        out.append((p.id, p.script, path))
    return out


# --- server side: AppTest ----------------------------------------------------------------------------------


def _server_side(data_dir: str, runs: int) -> dict:
    """Child process: every page x view through AppTest, empty and warm cache; figure JSON sizes."""
    os.environ["KOTAKU_DATA_DIR"] = data_dir
    os.chdir(REPO)  # .streamlit/config.toml applies, as under `streamlit run app.py` from the repository
    quiet_streamlit()
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from kotaku_data.build import geo
    from kotaku_data.ui import data

    def clear(connection: bool) -> None:
        """Empty every cache of the app: query results, figures, tables, names, valid codes; with `connection`
        also the open data set (the next run opens it again, as after a server start or a new import)."""
        st.cache_data.clear()
        if connection:
            st.cache_resource.clear()
        else:
            for cached in (data._known, data._names, data._built, data._province_map):
                cached.clear()
        if hasattr(geo, "_load_cached"):
            geo._load_cached.cache_clear()

    def run_once(script: Path, page: str | None, params: dict) -> tuple[float, AppTest]:
        """One AppTest run of `page`: its wall time (AppTest's bookkeeping included) and the AppTest."""
        at = AppTest.from_file(str(script), default_timeout=APPTEST_TIMEOUT)
        if page and page != "app.py":
            at.switch_page(page)
        for key, value in params.items():
            at.query_params[key] = value
        t0 = time.perf_counter()
        at.run(timeout=APPTEST_TIMEOUT)
        dt = time.perf_counter() - t0
        if at.exception:
            raise RuntimeError(f"{page} {params}: {at.exception[0].value[:300]}")
        return dt, at

    # the page script's own share of a run (what a real server runs too, without AppTest's bookkeeping, such as
    # scanning every installed package for components at each AppTest): wall time inside StreamlitPage.run
    from streamlit.navigation.page import StreamlitPage

    script: dict[str, float] = {}
    page_run = StreamlitPage.run

    def timed_run(self):
        t0 = time.perf_counter()
        try:
            return page_run(self)
        finally:
            script["wall"] = time.perf_counter() - t0

    StreamlitPage.run = timed_run
    run_once(APP, None, {})  # imports (plotly, pandas, ...), not part of any page's figure
    out: dict = {"pages": {}}
    minimal = [run_once(MINIMAL, None, {})[0] for _ in range(runs + 1)][1:]  # the first one imports
    out["minimal_apptest_warm_ms"] = 1000 * statistics.median(minimal)
    for page_id, page_script, _path in page_defs():
        out["pages"][page_id] = {}
        for view, params in VIEWS.items():
            times: dict[str, list[float]] = {"cold": [], "empty": [], "warm": [], "apptest_warm": []}
            for _ in range(runs):
                for mode, connection in (("cold", True), ("empty", False)):
                    clear(connection)
                    run_once(APP, page_script, params)
                    times[mode].append(script["wall"])
                dt, at = run_once(APP, page_script, params)
                times["warm"].append(script["wall"])
                times["apptest_warm"].append(dt)
            specs = [c.proto.spec for c in at.get("plotly_chart")]
            sizes = [len(s.encode("utf-8")) for s in specs]
            maps = [n for s, n in zip(specs, sizes, strict=True) if '"type":"choroplethmap"' in s]
            got = {f"{mode}_ms": 1000 * statistics.median(ts) for mode, ts in times.items()}
            got |= {f"{mode}_runs_ms": [1000 * t for t in ts] for mode, ts in times.items()}
            got |= {"charts": len(specs), "figure_kb": sum(sizes) / 1000, "map_kb": sum(maps) / 1000 if maps else None}
            out["pages"][page_id][view] = got
            log(f"  server {page_id:<10} {view:<8} cold {got['cold_ms']:6.0f} ms  empty {got['empty_ms']:6.0f} ms  "
                f"warm {got['warm_ms']:6.0f} ms (AppTest {got['apptest_warm_ms']:6.0f} ms)")
    return out


# --- browser: streamlit run + headless Chromium --------------------------------------------------------------


def start_server(script: Path, env: dict[str, str] | None = None, timeout: float = 120.0):
    """`streamlit run script` on a free port (same flags as tests/e2e), returned once /_stcore/health says ok."""
    from conftest import AppServer, _free_port, _health_ok

    port = _free_port()
    log_file = tempfile.TemporaryFile(prefix="kotaku-bench-")
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
           "--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    proc = subprocess.Popen(cmd, cwd=REPO, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
                            stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
                            start_new_session=True)
    server = AppServer(proc, port, log_file)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is None and _health_ok(server.url):
            return server
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    output = server.output()
    server.stop()
    raise RuntimeError(f"{script.name} server did not start:\n{output[-3000:]}")


def settle(idle: float = 0.8, timeout: float = 60.0) -> None:
    """Wait (at most `timeout` s) until the CPUs are at least `idle` idle over one second, from /proc/stat."""

    def times() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return fields[3] + fields[4], sum(fields)  # idle + iowait, total

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        (idle0, total0), _ = times(), time.sleep(1.0)
        idle1, total1 = times()
        if (idle1 - idle0) >= idle * max(1, total1 - total0):
            return


def _process_tree(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += parents.get(p, [])
    return out


def rss_mb(pid: int) -> float:
    """Resident memory (MB) of a process and all its children, from /proc/<pid>/status (VmRSS)."""
    total = 0
    for p in _process_tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


class RssSampler:
    """Samples rss_mb(pid) in a thread; .peak is the highest value seen."""

    def __init__(self, pid: int, every: float = 0.1):
        self.pid, self.every, self.peak = pid, every, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            self._stop.wait(self.every)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb(self.pid))


@contextmanager
def new_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    try:
        page = context.new_page()
        page.ws_bytes = 0

        def on_ws(ws) -> None:
            def on_frame(payload) -> None:
                page.ws_bytes += len(payload)

            ws.on("framereceived", on_frame)

        page.on("websocket", on_ws)
        yield page
    finally:
        context.close()


def wait_drawn(page, timeout: float | None = None) -> float:
    """Wait until the page is drawn (DRAWN_JS); return ms from navigation start. Fails on an exception box."""
    ms = page.wait_for_function(DRAWN_JS, timeout=timeout or PAGE_TIMEOUT_MS, polling="raf").json_value()
    if page.locator('[data-testid="stException"]').count():
        raise RuntimeError(f"exception on {page.url}: {page.locator('[data-testid=stException]').first.inner_text()}")
    return float(ms)


def visit(browser, url: str) -> dict:
    """Open url in a new context (a new session); ms to drawn, websocket bytes received, number of charts."""
    with new_page(browser) as page:
        page.goto(url, wait_until="commit", timeout=PAGE_TIMEOUT_MS)
        ms = wait_drawn(page)
        charts = page.locator('[data-testid="stPlotlyChart"]').count()
        return {"ms": ms, "ws_kb": page.ws_bytes / 1000, "charts": charts}


def _query(params: dict) -> str:
    return ("?" + "&".join(f"{k}={v}" for k, v in params.items())) if params else ""


def session_links() -> list[str]:
    """20 different filtered links: every page in turn, a province each, both languages, varying years."""
    from kotaku_data.build.geo import PROVINCE_CODES

    paths = [path for _id, _script, path in page_defs()]
    links = []
    for i in range(SESSIONS):
        params = {"lang": "en" if i % 2 else "id", "prov": PROVINCE_CODES[i % len(PROVINCE_CODES)],
                  "tahun": f"{2015 + i % 5}-2024"}
        links.append(paths[i % len(paths)] + _query(params))
    return links


def many_sessions(browser, server) -> dict:
    """Open SESSIONS contexts on different links (SESSION_BATCH at a time), all kept open; memory of the server.

    A session counts as opened when its script run has finished (the server has done all its work for it);
    the browser may still be drawing its charts, which costs the server nothing."""
    contexts, opened = [], 0
    with RssSampler(server.proc.pid) as sampler:
        try:
            links = session_links()
            for start in range(0, len(links), SESSION_BATCH):
                batch = []
                for link in links[start:start + SESSION_BATCH]:
                    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
                    contexts.append(ctx)
                    page = ctx.new_page()
                    page.goto(server.url + link, wait_until="commit", timeout=PAGE_TIMEOUT_MS)
                    batch.append(page)
                for page in batch:
                    try:
                        page.wait_for_function(RUN_DONE_JS, timeout=PAGE_TIMEOUT_MS, polling=100)
                        opened += 1
                    except Exception as exc:  # noqa: BLE001 - a session that never finishes is reported, not fatal
                        log(f"  session {page.url} did not finish: {str(exc).splitlines()[0][:120]}")
            time.sleep(1.0)
            after = rss_mb(server.proc.pid)
        finally:
            for ctx in contexts:
                ctx.close()
    return {"sessions": opened, "rss_after_mb": after, "rss_peak_mb": sampler.peak}


def browser_scale(browser, data_dir: str, minimal_url: str, runs: int, start_runs: int) -> dict:
    """Everything measured with a real server and Chromium for one data set."""
    env = {"KOTAKU_DATA_DIR": data_dir}
    out: dict = {"start_s": [], "pages": {}}
    server = None
    try:
        for _ in range(start_runs):  # start-up: process start -> overview drawn
            if server:
                server.stop()
            t0 = time.perf_counter()
            server = start_server(APP, env)
            healthy = time.perf_counter() - t0
            with new_page(browser) as page:
                page.goto(server.url + "/", wait_until="commit", timeout=PAGE_TIMEOUT_MS)
                page.wait_for_function(RUN_DONE_JS, timeout=PAGE_TIMEOUT_MS, polling=50)
                run_done = time.perf_counter() - t0
                wait_drawn(page)
            out["start_s"].append(time.perf_counter() - t0)
            out.setdefault("healthy_s", []).append(healthy)
            out.setdefault("start_run_done_s", []).append(run_done)
            log(f"  start -> overview drawn {out['start_s'][-1]:.2f} s (healthy after {healthy:.2f} s, first run "
                f"finished after {run_done:.2f} s)")
        out["rss_first_page_mb"] = rss_mb(server.proc.pid)
        pages = page_defs()
        for _id, _script, path in pages:  # warm the server's caches for every page and view
            for params in BROWSER_VIEWS.values():
                visit(browser, server.url + path + _query(params))
        samples: dict = {"minimal": []}
        for _ in range(runs):
            samples["minimal"].append(visit(browser, minimal_url))
            for page_id, _script, path in pages:
                for view, params in BROWSER_VIEWS.items():
                    samples.setdefault((page_id, view), []).append(visit(browser, server.url + path + _query(params)))
        minimal_ms = statistics.median(s["ms"] for s in samples["minimal"])
        out["minimal"] = {"ms": minimal_ms, "ws_kb": statistics.median(s["ws_kb"] for s in samples["minimal"]),
                          "runs_ms": [s["ms"] for s in samples["minimal"]]}
        for page_id, _script, _path in pages:
            out["pages"][page_id] = {}
            for view in BROWSER_VIEWS:
                got = samples[(page_id, view)]
                ms = statistics.median(s["ms"] for s in got)
                out["pages"][page_id][view] = {
                    "ms": ms, "ratio": ms / minimal_ms, "runs_ms": [s["ms"] for s in got],
                    "ws_kb": statistics.median(s["ws_kb"] for s in got), "charts": got[-1]["charts"]}
                log(f"  browser {page_id:<10} {view:<8} {ms:6.0f} ms ({ms / minimal_ms:.2f}x minimal "
                    f"{minimal_ms:.0f} ms), {out['pages'][page_id][view]['ws_kb']:.0f} KB")
        # last: 20 sessions leave the machine busy for a while, which would slow the page timings above
        out.update(many_sessions(browser, server))
        settle()
        log(f"  memory: first page {out['rss_first_page_mb']:.0f} MB, {out['sessions']} sessions: "
            f"after {out['rss_after_mb']:.0f} MB, peak {out['rss_peak_mb']:.0f} MB")
    finally:
        if server:
            server.stop()
    return out


def run_browser(data_dirs: dict[int, str], runs: int, start_runs: int) -> dict:
    from conftest import CHROMIUM_ARGS, CHROMIUM_PATH
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM_PATH, os.X_OK):
        raise SystemExit(f"{CHROMIUM_PATH} not found: apt-get install -y chromium (never `playwright install`)")
    results = {}
    minimal = None
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
            try:
                # the minimal page's own start -> drawn, the floor of the dashboard's start figure
                t0 = time.perf_counter()
                minimal = start_server(MINIMAL)
                visit(browser, minimal.url)
                minimal_start_s = time.perf_counter() - t0
                log(f"  minimal page: start -> drawn {minimal_start_s:.2f} s")
                for scale, data_dir in data_dirs.items():
                    log(f"x{scale}: browser ...")
                    results[scale] = browser_scale(browser, data_dir, minimal.url, runs, start_runs)
                    results[scale]["minimal_start_s"] = minimal_start_s
            finally:
                browser.close()
    finally:
        if minimal:
            minimal.stop()
    return results


# --- the table -----------------------------------------------------------------------------------------------


def _fmt(value, decimals: int = 0, limit: float | None = None) -> str:
    if value is None:
        return "-"
    text = f"{value:,.{decimals}f}"
    return text + ("!" if limit is not None and value > limit else " ")


def render(server: dict, browser: dict, runs: int, browser_runs: int) -> tuple[str, list[tuple[str, str, bool]]]:
    """The table, and (target, worst figure, met) for every target."""
    scales = sorted(set(server) | set(browser))
    heads = [f"x{s} {v}" for s in scales for v in VIEWS]
    ids = [pid for pid, _s, _p in page_defs()]
    width, col = 52, 13
    rows: list[str] = []
    verdicts: dict[str, list] = {}

    def head(title: str) -> None:
        rows.append(f"{title:<{width}}" + "".join(f" | {h:>{col}}" for h in heads) + " | target")
        rows.append("-" * (width + (col + 3) * len(heads) + 12))

    def row(label: str, cells: list[str], target: str = "") -> None:
        rows.append(f"{label:<{width}}" + "".join(f" | {c:>{col}}" for c in cells) + (f" | {target}" if target else ""))

    def verdict(name: str, value, limit) -> None:
        if value is not None:
            verdicts.setdefault(name, []).append((value, value <= limit))

    def per_view(label: str, get, decimals: int = 0, limit_of=None, target: str = "", name: str = "") -> None:
        cells = []
        for s in scales:
            for v in VIEWS:
                value = get(s, v)
                limit = limit_of(s) if limit_of else None
                cells.append(_fmt(value, decimals, limit))
                if limit is not None and name:
                    verdict(name, value, limit)
        row(label, cells, target)

    def per_scale(label: str, get, decimals: int = 0, limit: float | None = None, target: str = "",
                  name: str = "") -> None:
        cells = []
        for s in scales:
            value = get(s)
            cells += [_fmt(value, decimals, limit)] + [""] * (len(VIEWS) - 1)
            if limit is not None and name:
                verdict(name, value, limit)
        row(label, cells, target)

    def sv(s, pid, v, key):
        return server.get(s, {}).get("pages", {}).get(pid, {}).get(v, {}).get(key)

    def bv(s, pid, v, key):
        return browser.get(s, {}).get("pages", {}).get(pid, {}).get(v, {}).get(key)

    if server:
        head(f"server side, ms: page script in AppTest ({runs} runs)")
        for pid in ids:
            per_view(f"{pid}: empty cache", lambda s, v, p=pid: sv(s, p, v, "empty_ms"),
                     limit_of=lambda s: TARGETS["server_empty_x1_ms"] if s == 1 else TARGETS["server_empty_x20_ms"],
                     target="<= 800 at x1, <= 1500 at x20", name="page, empty cache (server)")
        for pid in ids:
            per_view(f"{pid}: warm cache", lambda s, v, p=pid: sv(s, p, v, "warm_ms"),
                     limit_of=lambda s: TARGETS["server_warm_x1_ms"] if s == 1 else None,
                     target="<= 300 at x1", name="page, warm cache at x1 (server)")
        for pid in ids:
            per_view(f"{pid}: cold (data set opened again)", lambda s, v, p=pid: sv(s, p, v, "cold_ms"))
        for pid in ids:
            per_view(f"{pid}: AppTest run in all, warm", lambda s, v, p=pid: sv(s, p, v, "apptest_warm_ms"))
        per_scale("minimal page: AppTest run in all, warm", lambda s: server.get(s, {}).get("minimal_apptest_warm_ms"))
        for pid in ids:
            per_view(f"{pid}: figure JSON, all charts (KB)", lambda s, v, p=pid: sv(s, p, v, "figure_kb"))
        for pid in ids:
            if any(sv(s, pid, v, "map_kb") for s in scales for v in VIEWS):
                per_view(f"{pid}: map figure JSON (KB)", lambda s, v, p=pid: sv(s, p, v, "map_kb"), decimals=0,
                         limit_of=lambda s: TARGETS["map_kb"], target="<= 300", name="map payload per page view")
        rows.append("")
    if browser:
        head(f"browser, headless Chromium (median of {browser_runs} runs)")
        for pid in ids:
            per_view(f"{pid}: navigation -> drawn (ms)", lambda s, v, p=pid: bv(s, p, v, "ms"))
        per_scale("minimal page: navigation -> drawn (ms)", lambda s: browser.get(s, {}).get("minimal", {}).get("ms"))
        for pid in ids:
            per_view(f"{pid}: ratio to the minimal page", lambda s, v, p=pid: bv(s, p, v, "ratio"), decimals=2,
                     limit_of=lambda s: TARGETS["browser_ratio"], target="<= 1.5", name="browser / minimal page")
        for pid in ids:
            per_view(f"{pid}: websocket bytes per view (KB)", lambda s, v, p=pid: bv(s, p, v, "ws_kb"))
        per_scale("minimal page: websocket bytes (KB)", lambda s: browser.get(s, {}).get("minimal", {}).get("ws_kb"))
        rows.append("")
        head("server process")
        per_scale("start -> overview drawn (s)",
                  lambda s: statistics.median(browser[s]["start_s"]) if s in browser else None, decimals=1,
                  limit=TARGETS["start_s"], target="<= 5", name="server start to first page drawn")
        per_scale("  of which: process start -> /_stcore/health ok (s)",
                  lambda s: statistics.median(browser[s]["healthy_s"]) if s in browser else None, decimals=1)
        per_scale("  of which: process start -> first run finished (s)",
                  lambda s: statistics.median(browser[s]["start_run_done_s"]) if s in browser else None, decimals=1)
        per_scale("minimal page: start -> drawn (s)", lambda s: browser.get(s, {}).get("minimal_start_s"), decimals=1)
        per_scale("memory after the first page (MB)", lambda s: browser.get(s, {}).get("rss_first_page_mb"))
        per_scale(f"memory with {SESSIONS} sessions open (MB)", lambda s: browser.get(s, {}).get("rss_after_mb"),
                  limit=TARGETS["memory_mb"], target="<= 600", name=f"memory after {SESSIONS} sessions")
        per_scale(f"peak memory during {SESSIONS} sessions (MB)", lambda s: browser.get(s, {}).get("rss_peak_mb"),
                  limit=TARGETS["memory_mb"], target="<= 600", name=f"peak memory, {SESSIONS} sessions")
    rows.append("'!' = misses its target; memory = RSS of the server process and its children")
    summary = []
    for name, got in verdicts.items():
        worst = max(v for v, _ok in got)
        summary.append((name, f"{worst:,.2f}" if worst < 10 else f"{worst:,.0f}", all(ok for _v, ok in got)))
    rows.append("")
    rows.append("targets (issue 5): " + "; ".join(f"{n}: {'met' if ok else 'MISSED'} (worst {w})"
                                                   for n, w, ok in summary))
    return "\n".join(rows), summary


# --- main --------------------------------------------------------------------------------------------------------


def _x20_dir(arg: Path | None, stack: list) -> str:
    from kotaku_data import config

    if arg is not None and (arg / "manifest.json").exists():
        return str(arg)
    if arg is None:
        tmp = tempfile.TemporaryDirectory(prefix="kotaku_pages_x20_")
        stack.append(tmp)
        arg = Path(tmp.name)
    arg.mkdir(parents=True, exist_ok=True)
    if not (arg / "reference").exists():
        (arg / "reference").symlink_to(config.reference_dir().resolve(), target_is_directory=True)
    log(f"x20: generating into {arg} ...")
    gen = _in_child(_time_generation, str(arg), 20, None)
    log(f"x20: generated in {gen['seconds']:.0f} s")
    return str(arg)


def main(argv: list[str] | None = None) -> int:
    global PAGE_TIMEOUT_MS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,20", help="1 (bundled set), 20, or 1,20 (default)")
    parser.add_argument("--x20", type=Path, default=None,
                        help="x20 data folder (generated into it if missing; default: a temporary folder)")
    parser.add_argument("--runs", type=int, default=None, help="AppTest runs per page and view (default 3)")
    parser.add_argument("--browser-runs", type=int, default=None, help="browser runs per page and view (default 3)")
    parser.add_argument("--start-runs", type=int, default=None, help="server starts timed per scale (default 2)")
    parser.add_argument("--quick", action="store_true", help="fewer runs: 1 of each (medians of one)")
    parser.add_argument("--only", default="queries,server,browser",
                        help="comma-separated parts to run: queries, server, browser (default: all three)")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="seconds one page may take in the browser before it counts as failed (default 600)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    PAGE_TIMEOUT_MS = args.timeout * 1000
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the servers (finally blocks) on kill/timeout
    scales = sorted({int(s) for s in args.scales.split(",") if s.strip()})
    if not scales or not set(scales) <= {1, 20}:
        parser.error("--scales takes 1, 20 or 1,20")
    parts = {p.strip() for p in args.only.split(",") if p.strip()}
    if not parts or not parts <= {"queries", "server", "browser"}:
        parser.error("--only takes queries, server and/or browser, comma-separated")
    runs = args.runs or (1 if args.quick else 3)
    browser_runs = args.browser_runs or (1 if args.quick else 3)
    start_runs = args.start_runs or (1 if args.quick else 2)

    from kotaku_data import config

    stack: list = []
    try:
        data_dirs = {1: str(config.data_dir())} if 1 in scales else {}
        if 20 in scales:
            data_dirs[20] = _x20_dir(args.x20, stack)
        t0 = time.perf_counter()
        queries: dict = {}
        if "queries" in parts:
            query_runs = 3 if args.quick else 7
            for scale, data_dir in data_dirs.items():
                queries[scale] = query_bench.bench_scale(scale, query_runs, None, log, Path(data_dir))
        server: dict = {}
        if "server" in parts:
            for scale, data_dir in data_dirs.items():
                log(f"x{scale}: server side (AppTest) on {data_dir} ...")
                server[scale] = _in_child(_server_side, data_dir, runs)
        browser: dict = {}
        if "browser" in parts:
            browser = run_browser(data_dirs, browser_runs, start_runs)
        table, summary = render(server, browser, runs, browser_runs)
        load = os.getloadavg()
        print(f"KOTAKU pages benchmark · {os.cpu_count()} CPUs · load average {load[0]:.1f} at the end · "
              f"{time.perf_counter() - t0:.0f} s")
        if queries:
            print(query_bench.render(queries, query_runs))
            print()
        print(table)
        if args.json:
            import streamlit

            payload = {
                "runs": runs, "browser_runs": browser_runs, "start_runs": start_runs, "views": VIEWS,
                "targets": TARGETS, "data_dirs": {str(k): v for k, v in data_dirs.items()},
                "machine": {"python": platform.python_version(), "platform": platform.platform(),
                            "cpus": os.cpu_count(), "loadavg_end": load, "streamlit": streamlit.__version__},
                "queries": {str(k): v for k, v in queries.items()},
                "server": {str(k): v for k, v in server.items()},
                "browser": {str(k): v for k, v in browser.items()},
                "targets_met": {n: {"worst": w, "met": ok} for n, w, ok in summary},
            }
            args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
            log(f"figures written to {args.json}")
    finally:
        for tmp in stack:
            tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
