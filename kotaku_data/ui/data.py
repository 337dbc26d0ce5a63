"""Cached access to the data for the Streamlit pages.

The connection is opened once per data version; query results are cached per (question, filters, version).
The data version is the manifest's checksum, so a newly imported data set is picked up without a restart.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import streamlit as st

from .. import config, queries
from ..db import Database
from ..filters import Filters, Known


def manifest_path() -> Path:
    return config.data_dir() / "manifest.json"


@st.cache_data(show_spinner=False, max_entries=8)
def _manifest(path: str, mtime_ns: int) -> tuple[str, dict]:
    raw = Path(path).read_bytes()
    return hashlib.sha256(raw).hexdigest()[:12], json.loads(raw)


def manifest() -> tuple[str, dict]:
    """(version, manifest dict) of the live data set; version '-' when there is no manifest."""
    path = manifest_path()
    try:
        return _manifest(str(path), path.stat().st_mtime_ns)
    except (OSError, ValueError):
        return "-", {}


@st.cache_resource(show_spinner=False, max_entries=2)
def _database(data_dir: str, version: str) -> Database:
    return Database(Path(data_dir))


def database() -> Database:
    return _database(str(config.data_dir()), manifest()[0])


@st.cache_data(show_spinner=False, max_entries=2000)
def _run(name: str, version: str, f: Filters | None, args: tuple) -> pd.DataFrame | dict:
    fn = getattr(queries, name)
    db = database()
    return fn(db) if f is None else fn(db, f, *args)


def q(name: str, f: Filters | None = None, *args):
    """Run queries.<name>(db, f, *args), cached on the filters and the data version."""
    return _run(name, manifest()[0], f, args)


@st.cache_data(show_spinner=False, max_entries=4)
def _known(version: str) -> Known:
    places = queries.places(database())
    desa = database().query("SELECT kode_desa FROM lokasi")["kode_desa"]
    return Known.from_frames(places, desa)


def known() -> Known:
    return _known(manifest()[0])


def names(lang: str) -> dict[str, str]:
    """Code -> display name for every programme province, kabupaten/kota and desa/kelurahan."""
    return _names(manifest()[0], lang)


@st.cache_data(show_spinner=False, max_entries=4)
def _names(version: str, lang: str) -> dict[str, str]:
    idx = queries.region_index(database())
    out = dict(zip(idx["kode"], idx["nama"], strict=True))
    if lang == "en":
        places = queries.places(database())
        out.update(dict(zip(places["kode_prov"], places["nama_prov_en"], strict=False)))
    return out
