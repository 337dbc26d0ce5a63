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
    for name, fn in sorted(inspect.getmembers(queries, inspect.isfunction)):
        if name.startswith("_") or fn.__module__ != queries.__name__:
            continue
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
    from kotaku_data.generate import DEFAULT_SEED, generate

    start = time.perf_counter()
    manifest = generate(Path(out), seed=DEFAULT_SEED if seed is None else seed, scale=scale,
                        ref_dir=config.reference_dir())
    return {"seconds": time.perf_counter() - start, "peak_mb": _peak_mb(),
            "rows": {name: info["rows"] for name, info in manifest["files"].items()}}


def _measure(data_dir: str, runs: int) -> dict:
    """Child process: open the data set once, then time every query function with every filter case."""
    from kotaku_data.db import Database
    from kotaku_data.filters import Filters

    start = time.perf_counter()
    db = Database(Path(data_dir))
    connect_s = time.perf_counter() - start
    latency: dict[str, dict[str, float | str]] = {}
    for name, (fn, kwargs) in query_functions().items():
        latency[name] = {}
        for case, fields in FILTER_CASES.items():
            call = {**kwargs, **({"f": Filters(**fields)} if "f" in kwargs else {})}
            if "f" not in kwargs and case != "default":
                latency[name][case] = "-"  # not filterable: measured once
                continue
            try:
                fn(db, **call)  # warm-up
                times = []
                for _ in range(runs):
                    t0 = time.perf_counter()
                    fn(db, **call)
                    times.append(time.perf_counter() - t0)
                latency[name][case] = 1000 * statistics.median(times)
            except Exception as exc:  # noqa: BLE001 - a failing query is reported, not fatal
                latency[name][case] = f"error: {exc.__class__.__name__}: {str(exc).splitlines()[0][:80]}"
    db.close()
    return {"connect_s": connect_s, "peak_mb": _peak_mb(), "latency_ms": latency}


def _in_child(fn, *args):
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


def bench_scale(scale: int, runs: int, seed: int | None, log) -> dict:
    from kotaku_data import config

    if scale == 1 and seed is None:
        data_dir = config.data_dir()
        manifest = json.loads((data_dir / "manifest.json").read_text(encoding="utf-8"))
        log(f"scale 1: bundled data set {data_dir}")
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


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return "ERR" if value.startswith("error") else value
    return f"{value:,.1f}"


def render(results: dict[int, dict], runs: int) -> str:
    scales = sorted(results)
    cases = list(FILTER_CASES)
    heads = [f"x{s} {c}" for s in scales for c in cases]
    names = sorted({n for r in results.values() for n in r["latency_ms"]})
    title = f"query (median ms of {runs} runs)"
    width = max(len(title), *(len(n) for n in names), len(FOOTER_WIDEST))
    col = max(14, *(len(h) for h in heads))
    line = "-" * (width + (col + 3) * len(heads))
    out = [f"{title:<{width}}" + "".join(f" | {h:>{col}}" for h in heads), line]
    for name in names:
        cells = [_cell(results[s]["latency_ms"].get(name, {}).get(c)) for s in scales for c in cases]
        out.append(f"{name:<{width}}" + "".join(f" | {c:>{col}}" for c in cells))
    out.append(line)

    def row(label: str, per_scale) -> None:
        cells = []
        for s in scales:
            v = per_scale(results[s])
            cells += [v] + [""] * (len(cases) - 1)
        out.append(f"{label:<{width}}" + "".join(f" | {c:>{col}}" for c in cells))

    row("locations (lokasi rows)", lambda r: f"{r['rows'].get('lokasi.parquet', 0):,}")
    row("akses_layanan rows", lambda r: f"{r['rows'].get('akses_layanan.parquet', 0):,}")
    row("generation (s)", lambda r: "bundled" if r["generate_s"] is None else f"{r['generate_s']:.1f}")
    row("generation peak memory (MB)",
        lambda r: "" if r["generate_peak_mb"] is None else f"{r['generate_peak_mb']:,.0f}")
    row("open data set, Database() (s)", lambda r: f"{r['connect_s']:.2f}")
    row("peak memory, open + queries (MB)", lambda r: f"{r['peak_mb']:,.0f}")
    errors = [(s, n, c, v) for s in scales for n, cs in results[s]["latency_ms"].items() for c, v in cs.items()
              if isinstance(v, str) and v.startswith("error")]
    for s, n, c, v in errors:
        out.append(f"ERR x{s} {n} [{c}]: {v}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,20", help="comma-separated scales (1 = bundled set), default 1,20")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per query (median reported), default 7")
    parser.add_argument("--seed", type=int, default=None, help="generate every scale with this seed (default: "
                        "bundled set for scale 1, the default seed for larger scales)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
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

    results = {s: bench_scale(s, args.runs, args.seed, log) for s in scales}
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
