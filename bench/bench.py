"""Benchmark of the data layer: median latency of every dashboard query, peak memory, generation time.

    python bench/bench.py                      # bundled set (scale 1) and a generated set 20 times larger
    python bench/bench.py --scales 1 --runs 3  # quicker
    python bench/bench.py --json bench.json    # also write the figures as JSON

For every public function of kotaku_data.queries that takes the Database as its first argument, the script
calls it once to warm up, then `--runs` times on the same (warm) connection, and reports the median wall time
in milliseconds, with the default filters (whole programme, 2015-2024) and with a province filter (prov=32,
Jawa Barat). Scale 1 is the bundled data set (data/); a larger scale K is generated into a temporary folder
(`generate(tmp, scale=K)`, the reference folder symlinked next to it) and removed afterwards.

Every scale is measured in a fresh child process, so its peak memory (ru_maxrss) is its own: "peak MB" is the
peak resident memory of the process that opened the data set and ran every query, "generation" that of the
process that generated it. The figures are measurements, not pass/fail thresholds: nothing here asserts a time.
"""
from __future__ import annotations

import argparse
import inspect
import json
import platform
import resource
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

FILTER_CASES = {"default": {}, "prov=32": {"prov": "32"}}
# values for required arguments other than (db, f), by parameter name
SAMPLE_ARGS = {"code": "32.73", "codes": ("32", "32.73"), "text": "bandung"}


def _peak_mb() -> float:
    """Peak resident memory of this process in MB (ru_maxrss is in KB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def query_functions() -> dict:
    """name -> (function, extra keyword arguments) for every public query function of kotaku_data.queries."""
    from kotaku_data import queries

    out = {}
    for name, fn in sorted(queries.questions().items()):
        params = list(inspect.signature(fn).parameters.values())
        if not params or params[0].name != "db":
            continue  # pure helpers (status, expected_progress, where-clause builders)
        kwargs, ok = {}, True
        for p in params[1:]:
            if p.name == "f":
                kwargs["f"] = None  # filled in per filter case
            elif p.default is inspect.Parameter.empty:
                if p.name not in SAMPLE_ARGS:
                    ok = False
                    break
                kwargs[p.name] = SAMPLE_ARGS[p.name]
        if ok:
            out[name] = (fn, kwargs)
    return out


def _time_generation(out: str, scale: int, seed: int | None) -> dict:
    """Child process: generate a data set of the given scale into `out`."""
    from kotaku_data import config
    from kotaku_data.build.generate import DEFAULT_SEED, generate

    start = time.perf_counter()
    manifest = generate(Path(out), seed=DEFAULT_SEED if seed is None else seed, scale=scale,
                        ref_dir=config.reference_dir())
    return {"seconds": time.perf_counter() - start, "peak_mb": _peak_mb(),
            "rows": {name: info["rows"] for name, info in manifest["files"].items()}}


def _median_ms(call, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def _measure(data_dir: str, runs: int) -> dict:
    """Child process: open the data set once, then time every query function with every filter case: the first
    call on the new connection (cold: DuckDB's and the module's lookups not built yet), the median of `runs`
    calls after it (warm), and the median of `runs` calls through the dashboard's result cache (cached: what a
    page pays for a question asked before with the same filters on the same data version)."""
    import os

    os.environ["KOTAKU_DATA_DIR"] = data_dir
    from kotaku_data.data.db import Database
    from kotaku_data.filters import Filters

    start = time.perf_counter()
    db = Database(Path(data_dir))
    connect_s = time.perf_counter() - start
    cached_q = _cache_layer()
    latency: dict[str, dict[str, float | str]] = {}
    for name, (fn, kwargs) in query_functions().items():
        latency[name] = {}
        for case, fields in FILTER_CASES.items():
            f = Filters(**fields)
            call = {**kwargs, **({"f": f} if "f" in kwargs else {})}
            if "f" not in kwargs and case != "default":
                continue  # not filterable: measured once
            try:
                t0 = time.perf_counter()
                fn(db, **call)
                if case == "default":
                    latency[name]["cold"] = 1000 * (time.perf_counter() - t0)
                latency[name][case] = _median_ms(lambda: fn(db, **call), runs)  # noqa: B023 - called at once
                if case == "default" and "f" in kwargs:  # the app's cache takes (name, filters, *other args)
                    args = tuple(v for k, v in kwargs.items() if k != "f")
                    cached_q(name, f, *args)
                    latency[name]["cached"] = _median_ms(lambda: cached_q(name, f, *args), runs)  # noqa: B023
            except Exception as exc:  # noqa: BLE001 - a failing query is reported, not fatal
                latency[name][case] = f"error: {exc.__class__.__name__}: {str(exc).splitlines()[0][:80]}"
    db.close()
    return {"connect_s": connect_s, "peak_mb": _peak_mb(), "latency_ms": latency}


def _cache_layer():
    """kotaku_data.ui.data.q, the dashboard's cached query call, usable outside a Streamlit server."""
    import logging

    for name in ("streamlit", "streamlit.runtime.caching.cache_data_api"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from streamlit import logger as st_logger

    st_logger.set_log_level("error")  # "No runtime found" warnings on every call outside a server
    from kotaku_data.ui import data

    return data.q


def _in_child(fn, *args):
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


def bench_scale(scale: int, runs: int, seed: int | None, log, data_dir: Path | None = None) -> dict:
    """Measure one scale: `data_dir` if given (a set generated before at that scale), the bundled set for scale 1,
    else a set generated into a temporary folder."""
    from kotaku_data import config

    if data_dir is None and scale == 1 and seed is None:
        data_dir = config.data_dir()
    if data_dir is not None:
        manifest = json.loads((data_dir / "manifest.json").read_text(encoding="utf-8"))
        log(f"scale {scale}: data set {data_dir}")
        result = {"data_dir": str(data_dir), "generate_s": None, "generate_peak_mb": None,
                  "rows": {name: info["rows"] for name, info in manifest["files"].items()}}
        result.update(_in_child(_measure, str(data_dir), runs))
        return result
    with tempfile.TemporaryDirectory(prefix=f"kotaku_bench_x{scale}_") as tmp:
        (Path(tmp) / "reference").symlink_to(config.reference_dir().resolve(), target_is_directory=True)
        log(f"scale {scale}: generating into {tmp} ...")
        gen = _in_child(_time_generation, tmp, scale, seed)
        log(f"scale {scale}: generated in {gen['seconds']:.1f} s; measuring ...")
        result = {"data_dir": "(temporary)", "generate_s": gen["seconds"], "generate_peak_mb": gen["peak_mb"],
                  "rows": gen["rows"]}
        result.update(_in_child(_measure, tmp, runs))
        return result


FOOTER_WIDEST = "peak memory, open + queries (MB)"
QUERY_TARGET_MS = {1: 20, 20: 250}  # issue 5: warm median per query at the bundled size and at 20 times it


def _cell(value, limit: float | None = None) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return "ERR" if value.startswith("error") else value
    return f"{value:,.1f}" + ("!" if limit is not None and value > limit else " ")


def columns(scales: list[int]) -> list[tuple[str, int, str, bool]]:
    """(heading, scale, measure, held to the target) of every column: warm with each filter case, cold, cached."""
    out = []
    for s in scales:
        out += [(f"x{s} {c}", s, c, True) for c in FILTER_CASES]
        out += [(f"x{s} cold", s, "cold", False), (f"x{s} cached", s, "cached", False)]
    return out


def render(results: dict[int, dict], runs: int) -> str:
    scales = sorted(results)
    cols = columns(scales)
    names = sorted({n for r in results.values() for n in r["latency_ms"]})
    title = f"query, ms (warm: median of {runs})"
    width = max(len(title), *(len(n) for n in names), len(FOOTER_WIDEST))
    col = max(11, *(len(h) for h, *_ in cols))
    line = "-" * (width + (col + 3) * len(cols))
    out = [f"{title:<{width}}" + "".join(f" | {h:>{col}}" for h, *_ in cols), line]
    for name in names:
        cells = [_cell(results[s]["latency_ms"].get(name, {}).get(m), QUERY_TARGET_MS.get(s) if held else None)
                 for _h, s, m, held in cols]
        out.append(f"{name:<{width}}" + "".join(f" | {c:>{col}}" for c in cells))
    out.append(line)

    def row(label: str, per_scale) -> None:
        cells = [per_scale(results[s]) if m == next(iter(FILTER_CASES)) else "" for _h, s, m, _held in cols]
        out.append(f"{label:<{width}}" + "".join(f" | {c:>{col}}" for c in cells))

    row("locations (lokasi rows)", lambda r: f"{r['rows'].get('lokasi.parquet', 0):,}")
    row("akses_layanan rows", lambda r: f"{r['rows'].get('akses_layanan.parquet', 0):,}")
    row("generation (s)", lambda r: "-" if r["generate_s"] is None else f"{r['generate_s']:.1f}")
    row("generation peak memory (MB)",
        lambda r: "-" if r["generate_peak_mb"] is None else f"{r['generate_peak_mb']:,.0f}")
    row("open data set, Database() (s)", lambda r: f"{r['connect_s']:.2f}")
    row(FOOTER_WIDEST, lambda r: f"{r['peak_mb']:,.0f}")
    out.append("cold = first call on a new connection; cached = through the app's result cache (default filters); "
               "'!' = warm median above the target (20 ms at x1, 250 ms at x20)")
    out.append(verdict(results))
    errors = [(s, n, c, v) for s in scales for n, cs in results[s]["latency_ms"].items() for c, v in cs.items()
              if isinstance(v, str) and v.startswith("error")]
    for s, n, c, v in errors:
        out.append(f"ERR x{s} {n} [{c}]: {v}")
    return "\n".join(out)


def verdict(results: dict[int, dict]) -> str:
    """One line: the query target of each scale met or missed, with the slowest warm median."""
    parts = []
    for s in sorted(results):
        if s not in QUERY_TARGET_MS:
            continue
        warm = [(v, n) for n, cs in results[s]["latency_ms"].items() for c, v in cs.items()
                if c in FILTER_CASES and isinstance(v, float)]
        worst, name = max(warm)
        ok = worst <= QUERY_TARGET_MS[s]
        parts.append(f"queries x{s} <= {QUERY_TARGET_MS[s]} ms: {'met' if ok else 'MISSED'} (slowest {name} "
                     f"{worst:,.1f} ms)")
    return "targets (issue 5): " + "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,20", help="comma-separated scales (1 = bundled set), default 1,20")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per query (median reported), default 7")
    parser.add_argument("--seed", type=int, default=None, help="generate every scale with this seed (default: "
                        "bundled set for scale 1, the default seed for larger scales)")
    parser.add_argument("--x20", type=Path, default=None,
                        help="a data folder generated before with --scale 20 (default: generate one, ~1 min)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if args.x20 is not None and not (args.x20 / "manifest.json").is_file():
        parser.error(f"--x20 {args.x20}: no manifest.json there (python -m kotaku_data generate --scale 20 --out DIR)")
    try:
        scales = sorted({int(s) for s in args.scales.split(",") if s.strip()})
    except ValueError:
        parser.error("--scales takes integers, e.g. 1,20")
    if not scales or min(scales) < 1 or max(scales) > 20:
        parser.error("scales must be between 1 and 20")

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    import duckdb
    import pandas as pd

    results = {s: bench_scale(s, args.runs, args.seed, log, args.x20 if s == 20 else None) for s in scales}
    print(render(results, args.runs))
    if args.json:
        payload = {
            "runs": args.runs,
            "filters": FILTER_CASES,
            "machine": {"python": platform.python_version(), "platform": platform.platform(),
                        "duckdb": duckdb.__version__, "pandas": pd.__version__},
            "scales": {str(s): r for s, r in results.items()},
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        log(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
