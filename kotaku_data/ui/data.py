"""Cached access to the data for the Streamlit pages.

The connection is opened once per data version; query results are cached per (question, filters, version).
The data version is the manifest's checksum, so a newly imported data set is picked up without a restart.
Every cache is also keyed on the data directory, so two directories with the same manifest never share results.

A data file that goes missing or is damaged while the app runs (a page query fails on it) never reaches the page
as a stack trace: the cached connection is dropped and the clear data error page is shown instead.
"""
from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

import pandas as pd
import streamlit as st

from .. import config, queries
from ..db import Database, DataError
from ..filters import Filters, Known

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


def _show_error(exc: DataError):
    reset()
    from .frame import data_error_page  # the frame imports this module

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
def _run(name: str, data_dir: str, version: str, f: Filters | None, args: tuple) -> pd.DataFrame | dict:
    fn = getattr(queries, name)
    db = _database(data_dir, version)
    return fn(db) if f is None else fn(db, f, *args)


@_guarded
def q(name: str, f: Filters | None = None, *args):
    """Run queries.<name>(db, f, *args), cached on the filters and the data version."""
    return _run(name, *_key(), f, args)


@st.cache_data(show_spinner=False, max_entries=4)
def _known(data_dir: str, version: str) -> Known:
    db = _database(data_dir, version)
    places = queries.places(db)
    desa = db.query("SELECT kode_desa FROM lokasi")["kode_desa"]
    return Known.from_frames(places, desa)


def known() -> Known:
    """The valid codes of the live data set (for URL validation); raises DataError like database()."""
    return _known(*_key())


@_guarded
def names(lang: str) -> dict[str, str]:
    """Code -> display name for every programme province, kabupaten/kota and desa/kelurahan."""
    return _names(*_key(), lang)


@st.cache_data(show_spinner=False, max_entries=4)
def _names(data_dir: str, version: str, lang: str) -> dict[str, str]:
    db = _database(data_dir, version)
    idx = queries.region_index(db)
    out = dict(zip(idx["kode"], idx["nama"], strict=True))
    if lang == "en":
        places = queries.places(db)
        out.update(dict(zip(places["kode_prov"], places["nama_prov_en"], strict=False)))
    return out


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
    from ..reference import read_reference

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
    from ..reference import PUBLISHED_FILES

    ref = config.reference_dir()
    _check_geojson(_stamp(ref / GEOJSON))
    needed: dict[str, set[str]] = {name: {"source_url"} for name in PUBLISHED_FILES}
    for table, col, _value, _label, value_col, _unit in getattr(queries, "PUBLISHED_HIGHLIGHTS", ()):
        needed[f"{table}.csv"] |= {col, value_col}
    for name in PUBLISHED_FILES:
        _check_published(_stamp(ref / "published" / name), tuple(sorted(needed[name])))
