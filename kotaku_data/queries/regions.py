"""Regions: the programme's provinces, kabupaten/kota and desa/kelurahan, their names, the choices to compare
with, and the typo-tolerant search (kotaku_data.search)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..data.db import Database
from ..search import RegionIndex, region_level
from .sql import memo


def region_index(db: Database) -> pd.DataFrame:
    """Every programme province, kabupaten/kota and desa/kelurahan, for search: level, kode, nama, parent."""
    return memo(db, "region_index", _build_region_index).copy()


def _build_region_index(db: Database) -> pd.DataFrame:
    sql = (
        "SELECT 'prov' AS level, p.kode_prov AS kode, p.nama_prov AS nama, NULL AS induk "
        "FROM provinsi p WHERE p.kode_prov IN (SELECT kode_prov FROM lokasi) "
        "UNION ALL SELECT 'kab', k.kode_kabkota, k.nama_kabkota, p.nama_prov FROM kabkota k "
        "JOIN provinsi p ON p.kode_prov = k.kode_prov WHERE k.kode_kabkota IN (SELECT kode_kabkota FROM lokasi) "
        "UNION ALL SELECT 'desa', l.kode_desa, l.nama_desa, k.nama_kabkota FROM lokasi l "
        "JOIN kabkota k ON k.kode_kabkota = l.kode_kabkota ORDER BY 1, 2"
    )
    return db.query(sql)


def places(db: Database) -> pd.DataFrame:
    """Programme kabupaten/kota with their province (codes and names), for filters and URL validation."""
    return memo(db, "places", lambda db: db.query(
        "SELECT DISTINCT l.kode_prov, p.nama_prov, p.nama_prov_en, l.kode_kabkota, k.nama_kabkota "
        "FROM lokasi l JOIN provinsi p ON p.kode_prov = l.kode_prov "
        "JOIN kabkota k ON k.kode_kabkota = l.kode_kabkota ORDER BY l.kode_prov, l.kode_kabkota"
    )).copy()


def region_name(db: Database, code: str) -> tuple[str, str | None]:
    """(name, parent name) of a region code; ("Indonesia", None) for the national code."""
    level = region_level(code)
    if level == "nasional":
        return "Indonesia", None
    if level == "desa":
        choices = memo(db, "region_choices", _build_region_choices)
        i = int(np.searchsorted(choices.codes, code))
        hit = i < len(choices.codes) and choices.codes[i] == code
        found = (choices.desa["nama"].iloc[i], choices.desa["induk"].iloc[i]) if hit else None
    else:
        found = memo(db, "region_names", _region_names).get(code)
    if found is None:
        return code, None
    name, parent = found
    return str(name), (str(parent) if isinstance(parent, str) else None)


def _region_names(db: Database) -> dict[str, tuple]:
    """code -> (name, parent name) of every province and kabupaten/kota of the reference tables."""
    df = db.query(
        "SELECT kode_prov AS kode, nama_prov AS nama, NULL AS induk FROM provinsi UNION ALL "
        "SELECT k.kode_kabkota, k.nama_kabkota, p.nama_prov FROM kabkota k JOIN provinsi p USING (kode_prov)"
    )
    df = df.drop_duplicates("kode")  # the first row of a code, as a lookup by code would find
    return dict(zip(df["kode"], zip(df["nama"], df["induk"], strict=True), strict=True))


def region_choices(db: Database, kab: str | None = None) -> pd.DataFrame:
    """Regions a profile can be compared with: every programme province and kabupaten/kota, plus the
    desa/kelurahan of the selected kabupaten/kota, sorted by code (a province, then its kabupaten/kota).
    Columns: level, kode, nama, induk."""
    choices = memo(db, "region_choices", _build_region_choices)
    if not kab:
        return choices.regions.copy()
    # the desa/kelurahan codes of a kabupaten/kota are the ones from "<kab>." up to "<kab>/" ("/" follows ".")
    lo, hi = np.searchsorted(choices.codes, [kab + ".", kab + "/"])
    return pd.concat([choices.regions, choices.desa.iloc[lo:hi]]).sort_values("kode").reset_index(drop=True)


@dataclasses.dataclass(frozen=True)
class _Choices:
    regions: pd.DataFrame  # every programme province and kabupaten/kota, by code
    desa: pd.DataFrame  # every programme desa/kelurahan, by code
    codes: np.ndarray  # their codes, for binary search


def _build_region_choices(db: Database) -> _Choices:
    idx = memo(db, "region_index", _build_region_index)
    desa = idx["level"] == "desa"
    regions = idx[~desa & idx["level"].isin(["prov", "kab"])].sort_values("kode").reset_index(drop=True)
    desa = idx[desa].sort_values("kode").reset_index(drop=True)
    return _Choices(regions, desa, desa["kode"].to_numpy(dtype=object))


def region_search(db: Database, text: str, limit: int = 10) -> pd.DataFrame:
    """Provinces, kabupaten/kota and desa/kelurahan whose name begins like `text` (typo-tolerant; see
    kotaku_data.search), in the whole programme. Columns: level, kode, nama, induk, kesalahan."""
    index = memo(db, "region_search", lambda db: RegionIndex(memo(db, "region_index", _build_region_index)))
    return index.search(text, limit)
