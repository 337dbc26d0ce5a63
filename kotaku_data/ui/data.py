"""Cached access to the data for the Streamlit pages.

The connection is opened once per data version; query results are cached per (question, filters, version).
The data version is the manifest's checksum, so a newly imported data set is picked up without a restart.
Every cache is also keyed on the data directory, so two directories with the same manifest never share results.

Figures are cached too (:func:`figure`, :func:`province_map`): a Plotly figure costs 10-60 ms to build and
validate, so each is built once per data version and argument values and then shared, read-only, by every
session. The code -> name lookup and the valid codes are shared the same way (read-only, never copied per run).

A data file that goes missing or is damaged while the app runs (a page query fails on it) never reaches the page
as a stack trace: the cached connection is dropped and the clear data error page is shown instead.
"""
from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd
import streamlit as st

from .. import charts, config
from ..data.db import Database, DataError
from ..filters import Filters, Known
from ..queries import published, regions
from .errors import data_error_page

GEOJSON = "provinsi.geojson"  # read by the map pages straight from data/reference


def manifest_path() -> Path:
    return config.data_dir() / "manifest.json"


@st.cache_data(show_spinner=False, max_entries=8)
def _manifest(path: str, mtime_ns: int) -> tuple[str, dict]:
    raw = Path(path).read_bytes()
    manifest = json.loads(raw)
    return hashlib.sha256(raw).hexdigest()[:12], manifest if isinstance(manifest, dict) else {}


def manifest() -> tuple[str, dict]:
    """(version, manifest dict) of the live data set; version '-' when there is no (readable) manifest."""
    path = manifest_path()
    try:
        return _manifest(str(path), path.stat().st_mtime_ns)
    except (OSError, ValueError):
        return "-", {}


def _key() -> tuple[str, str]:
    """(data directory, data version): what every cache below is keyed on."""
    return str(config.data_dir()), manifest()[0]


@st.cache_resource(show_spinner=False, max_entries=2)
def _database(data_dir: str, version: str) -> Database:
    return Database(Path(data_dir))


def database() -> Database:
    """The connection for the live data set; raises DataError naming a missing or damaged file."""
    return _database(*_key())


def reset() -> None:
    """Forget the cached connections (after a data error, so the next run opens and checks the files again)."""
    _database.clear()


def clear_results() -> None:
    """Forget every cached result, name lookup, figure and table, but keep the open connections (tests start each
    case from cold results without paying for opening the data set and building its cubes again)."""
    st.cache_data.clear()
    for cache in (_known, _names, _built, _province_map):
        cache.clear()


def _show_error(exc: DataError):
    reset()
    data_error_page(exc)  # stops the run


def _guarded(fn):
    """Turn a data error raised while a page runs into the clear error page (never a stack trace)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DataError as exc:
            _show_error(exc)
        except OSError as exc:  # a reference file read with pandas (published figures) is missing/unreadable
            if not exc.filename:
                raise
            detail = "file is missing" if isinstance(exc, FileNotFoundError) else (exc.strerror or str(exc))
            _show_error(DataError(Path(exc.filename), detail))

    return wrapper


@st.cache_data(show_spinner=False, max_entries=2000)
def _run(question: str, data_dir: str, version: str, f: Filters | None, args: tuple, _fn: Callable):
    db = _database(data_dir, version)
    return _fn(db, *args) if f is None else _fn(db, f, *args)


@_guarded
def q(fn: Callable, f: Filters | None, *args):
    """``fn(db, f, *args)`` (or ``fn(db, *args)`` when f is None) for a question of :mod:`kotaku_data.queries`,
    cached per question, filters, arguments and data version, and shared by every session: never modify it."""
    return _run(f"{fn.__module__}.{fn.__qualname__}", *_key(), f, args, fn)


@st.cache_resource(show_spinner=False, max_entries=4)  # immutable (frozensets): shared, never copied per run
def _known(data_dir: str, version: str) -> Known:
    db = _database(data_dir, version)
    places = regions.places(db)
    desa = db.query("SELECT kode_desa FROM lokasi")["kode_desa"]
    return Known.from_frames(places, desa)


def known() -> Known:
    """The valid codes of the live data set (for URL validation); raises DataError like database()."""
    return _known(*_key())


@_guarded
def names(lang: str) -> Names:
    """Code -> display name for every programme province, kabupaten/kota and desa/kelurahan (read-only)."""
    return _names(*_key(), lang)


class Names(dict):
    """Code -> display name, shared by every session: read-only. ``key`` (data directory, version, language)
    identifies it, so a figure or table built with it is cached on that key, not on its 11,000+ (at 20 times the
    data, 220,000+) entries."""

    __slots__ = ("key",)

    def __init__(self, items: dict[str, str], key: tuple[str, str, str]):
        super().__init__(items)
        self.key = key

    def _read_only(self, *args, **kwargs):
        raise TypeError("the shared names are read-only")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _read_only  # type: ignore


@st.cache_resource(show_spinner=False, max_entries=4)  # read-only: shared, not copied per call
def _names(data_dir: str, version: str, lang: str) -> Names:
    db = _database(data_dir, version)
    idx = regions.region_index(db)
    out = dict(zip(idx["kode"].tolist(), idx["nama"].tolist(), strict=True))
    if lang == "en":
        places = regions.places(db)
        out.update(zip(places["kode_prov"].tolist(), places["nama_prov_en"].tolist(), strict=True))
    return Names(out, (data_dir, version, lang))


# --- figures: built once per data version and arguments, shared by every session ------------------------------

BUILT_ENTRIES = 1000  # figures (a chart ~0.15 MB in memory) and formatted tables (a few KB; kelurahan ~100 KB)
MAP_ENTRIES = 24  # a map is small with the served polygons, ~1 MB when it carries them (static serving off)


def _fingerprint(value):
    """A small hashable stand-in for a figure argument, equal for equal values: DataFrames and Series by a hash
    of their content, mappings and sequences item by item. TypeError for anything else that is unhashable."""
    if isinstance(value, pd.DataFrame | pd.Series):
        rows = pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes()
        head = (tuple(map(str, value.columns)), tuple(map(str, value.dtypes))) if isinstance(
            value, pd.DataFrame) else (str(value.name), str(value.dtype))
        return (type(value).__name__, head, hashlib.blake2b(rows, digest_size=16).hexdigest())
    if isinstance(value, Names):
        return ("names", value.key)
    if isinstance(value, Mapping):
        try:  # one hash of all items, order included
            return ("mapping", len(value), hash(tuple(value.items())))
        except TypeError:
            return ("mapping", tuple((k, _fingerprint(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(_fingerprint(v) for v in value))
    if isinstance(value, float) and value != value:
        return ("nan",)  # NaN hashes by identity
    hash(value)
    return (type(value).__name__, value)


@st.cache_resource(show_spinner=False, max_entries=BUILT_ENTRIES)
def _built(data_dir: str, version: str, name: str, key: tuple, _build: Callable, _args: tuple, _kwargs: dict):
    return _build(*_args, **_kwargs)


def _shared(build: Callable, args: tuple, kwargs: dict):
    try:
        key = _fingerprint((args, tuple(sorted(kwargs.items()))))
    except TypeError:  # an argument without a stable value (not worth caching): build it every time
        return build(*args, **kwargs)
    return _built(*_key(), f"{build.__module__}.{build.__qualname__}", key, build, args, kwargs)


def figure(build: Callable, *args, **kwargs):
    """``build(*args, **kwargs)`` (a :mod:`kotaku_data.charts` figure builder), built once per data version and
    argument values and shared by every session: never modify the returned figure."""
    return _shared(build, args, kwargs)


def table(build: Callable, *args, **kwargs) -> pd.DataFrame:
    """``build(*args, **kwargs)`` (a :mod:`kotaku_data.charts` table builder: display_table, page_table, ...),
    cached like :func:`figure`: never modify the returned DataFrame."""
    return _shared(build, args, kwargs)


@st.cache_resource(show_spinner=False, max_entries=MAP_ENTRIES)
def _province_map(data_dir: str, version: str, geojson: tuple[str, int, int], key: tuple, _df: pd.DataFrame,
                  _args: tuple, _kwargs: dict):
    from ..build.geo import load_province_geojson

    value_col, lang, hover_cols = _args
    polygons = Path(geojson[0])
    return charts.province_map(_df, value_col, lang, load_province_geojson(polygons), hover_cols,
                               geojson_url=_static_copy(polygons), **_kwargs)


STATIC_GEOJSON = "provinsi.json"  # static/provinsi.json: the polygons, served by Streamlit at app/static/


def _static_copy(polygons: Path) -> str | None:
    """The address of the static copy of the province polygons, if the server serves it and it is the same
    file as the live reference data; None otherwise (the figure then carries the polygons)."""
    static = config.REPO_DIR / "static" / STATIC_GEOJSON
    try:
        same = st.get_option("server.enableStaticServing") and static.read_bytes() == polygons.read_bytes()
    except OSError:
        return None
    return f"app/static/{STATIC_GEOJSON}" if same else None


@_guarded
def province_map(df: pd.DataFrame, value_col: str, lang: str, hover_cols: tuple[str, ...] = (), **kwargs):
    """:func:`kotaku_data.charts.province_map` on the province polygons of the live reference data, cached like
    :func:`figure` (and on the polygon file's version). Never modify the returned figure."""
    args = (value_col, lang, tuple(hover_cols))
    key = _fingerprint((df, args, tuple(sorted(kwargs.items()))))
    return _province_map(*_key(), _stamp(config.reference_dir() / GEOJSON), key, df, args, kwargs)


# --- the reference files the pages read directly (not through DuckDB) ------------------------------------


def _stamp(path: Path) -> tuple[str, int, int]:
    try:
        st_ = path.stat()
    except OSError as exc:
        raise DataError(path, "file is missing") from exc
    return str(path), st_.st_mtime_ns, st_.st_size


@st.cache_data(show_spinner=False, max_entries=64)
def _check_geojson(stamp: tuple[str, int, int]) -> None:
    path = Path(stamp[0])
    try:
        features = json.loads(path.read_bytes())["features"]
        if not isinstance(features, list) or not features:
            raise ValueError("no features")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(path, f"not a valid GeoJSON file ({type(exc).__name__})") from exc


@st.cache_data(show_spinner=False, max_entries=64)
def _check_published(stamp: tuple[str, int, int], required: tuple[str, ...]) -> None:
    from ..build.reference import read_reference

    path = Path(stamp[0])
    try:
        df = read_reference(path.name, path.parent)
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataError(path, f"cannot be read as CSV ({type(exc).__name__})") from exc
    missing = [c for c in required if c not in df.columns]
    if missing or df.empty:
        raise DataError(path, "missing column(s): " + ", ".join(missing) if missing else "no rows")


def check_files() -> None:
    """Raise DataError naming the first reference file the pages read directly that is missing or damaged:
    the province map (GeoJSON) and the published figures (CSV). Checked once per file version."""
    from ..build.reference import PUBLISHED_FILES

    ref = config.reference_dir()
    _check_geojson(_stamp(ref / GEOJSON))
    needed: dict[str, set[str]] = {name: {"source_url"} for name in PUBLISHED_FILES}
    for table, col, _value, _label, value_col, _unit in published.PUBLISHED_HIGHLIGHTS:
        needed[f"{table}.csv"] |= {col, value_col}
    for name in PUBLISHED_FILES:
        _check_published(_stamp(ref / "published" / name), tuple(sorted(needed[name])))
