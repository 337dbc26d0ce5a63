"""Shared fixtures of the data-layer unit tests.

`small_frames` is a hand-made data set (2 programme provinces, 3 kabupaten/kota, 6 desa/kelurahan, years
2015-2024) whose numbers are written out below, so the expected query results can be worked out by hand or
with plain pandas; `small_data_dir` writes it as a data directory (reference/ + program/*.parquet) and
`small_db` opens it with DuckDB. The reference folder also holds a province and a kota that are NOT programme
locations, so functions that list places can be checked to leave them out.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from kotaku_data import config

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
YEARS = list(range(2015, 2025))
URL = "https://example.invalid/fixture"

PROVINSI = pd.DataFrame(
    [
        ("31", "DKI Jakarta", "Jakarta", "Jawa", URL),  # not a programme province in the fixture
        ("32", "Jawa Barat", "West Java", "Jawa", URL),
        ("73", "Sulawesi Selatan", "South Sulawesi", "Sulawesi", URL),
    ],
    columns=["kode_prov", "nama_prov", "nama_prov_en", "kelompok_pulau", "source_url"],
)
KABKOTA = pd.DataFrame(
    [
        ("31.71", "31", "Kota Adm. Jakarta Selatan", "kota", URL),  # not a programme kabupaten/kota
        ("32.04", "32", "Kab. Bandung", "kabupaten", URL),
        ("32.73", "32", "Kota Bandung", "kota", URL),
        ("73.71", "73", "Kota Makassar", "kota", URL),
    ],
    columns=["kode_kabkota", "kode_prov", "nama_kabkota", "jenis", "source_url"],
)

# kode_desa, nama_desa, tipe_lokasi, sumber_dana, baseline ha, baseline score, baseline level, kind
LOCATIONS = [
    ("32.04.05.2001", "Cileunyi Kulon", "peningkatan", "aiib", 4.0, 30.0, "ringan", "desa"),
    ("32.73.01.1001", "Sukarasa", "peningkatan", "ibrd", 10.0, 65.0, "berat", "kelurahan"),
    ("32.73.01.1002", "Gegerkalong", "peningkatan", "ibrd", 6.0, 45.0, "sedang", "kelurahan"),
    ("32.73.01.1003", "Isola", "pencegahan", "ibrd", 0.0, 12.0, "tidak_kumuh", "kelurahan"),
    ("73.71.01.1001", "Bontorannu", "peningkatan", "isdb", 8.0, 50.0, "sedang", "kelurahan"),
    ("73.71.01.1002", "Mattoangin", "pencegahan", "isdb", 0.0, 10.0, "tidak_kumuh", "kelurahan"),
]
# end-of-year slum area (ha), 2015 (= baseline) .. 2024; never rising
AREA = {
    "32.04.05.2001": [4, 4, 4, 3, 2, 1, 0, 0, 0, 0],
    "32.73.01.1001": [10, 9, 8, 6, 4, 3, 2, 1, 0.5, 0],
    "32.73.01.1002": [6, 6, 5, 5, 4, 4, 3.5, 3.5, 3.5, 3.5],
    "32.73.01.1003": [0] * 10,
    "73.71.01.1001": [8, 8, 7, 6, 5, 4, 3, 3, 3, 3],
    "73.71.01.1002": [0] * 10,
}
HOUSEHOLDS = {"32.04.05.2001": 80, "32.73.01.1001": 100, "32.73.01.1002": 200, "32.73.01.1003": 150,
              "73.71.01.1001": 300, "73.71.01.1002": 120}
# kabupaten/kota -> (year formed, year functioning or None)
POKJA = {"32.04": (2017, None), "32.73": (2016, 2018), "73.71": (2015, 2016)}
# kabupaten/kota -> {survey year: (respondents, satisfied)}
SURVEY = {
    "32.04": {2017: (40, 20), 2019: (40, 22), 2021: (50, 27), 2023: (60, 33)},  # 55 %: off track vs 80 %
    "32.73": {2017: (100, 80), 2019: (120, 100), 2021: (100, 85), 2023: (80, 68)},  # 85 %: on track
    "73.71": {2017: (90, 60), 2019: (100, 68), 2021: (100, 70), 2023: (100, 70)},  # 70 %: at risk
}
# kabupaten/kota -> (financier, share of the allocation realised)
SPENDERS = {"32.04": ("aiib", 0.85), "32.73": ("ibrd", 0.97), "73.71": ("isdb", 0.6)}


def level(score: float) -> str:
    return config.slum_level(score)


def build_frames() -> dict[str, pd.DataFrame]:
    lokasi = pd.DataFrame(
        [
            (code, name, code[:5], code[:2], tipe, dana, ha, score, lvl, kind, False)
            for code, name, tipe, dana, ha, score, lvl, kind in LOCATIONS
        ],
        columns=["kode_desa", "nama_desa", "kode_kabkota", "kode_prov", "tipe_lokasi", "sumber_dana",
                 "luas_kumuh_awal_ha", "skor_kumuh_awal", "tingkat_kumuh_awal", "jenis_desa", "sintetis"],
    )
    yearly = []
    for code, _, _, _, ha, score0, _, _ in LOCATIONS:
        for year, area in zip(YEARS, AREA[code], strict=True):
            # the score falls with the share handled; prevention locations keep theirs
            score = round(score0 * (0.4 + 0.6 * area / ha), 1) if ha else score0
            yearly.append((code, year, float(area), score, level(score)))
    luas = pd.DataFrame(yearly, columns=["kode_desa", "tahun", "luas_kumuh_ha", "skor_kumuh", "tingkat_kumuh"])
    access = []
    for i, (code, *_rest) in enumerate(LOCATIONS):
        total = HOUSEHOLDS[code]
        for j, year in enumerate(YEARS):
            access.append((code, year, "air_minum", total, math.floor(total * min(1.0, 0.40 + 0.05 * j + 0.02 * i))))
            access.append((code, year, "drainase", total, math.floor(total * min(1.0, 0.20 + 0.07 * j))))
    akses = pd.DataFrame(access, columns=["kode_desa", "tahun", "layanan", "kk_total", "kk_terlayani"])
    pokja = pd.DataFrame(
        [
            (kab, year, year >= formed, functioning is not None and year >= functioning)
            for kab, (formed, functioning) in POKJA.items()
            for year in YEARS
        ],
        columns=["kode_kabkota", "tahun", "terbentuk", "berfungsi"],
    )
    kepuasan = pd.DataFrame(
        [(kab, year, n, ok) for kab, surveys in SURVEY.items() for year, (n, ok) in surveys.items()],
        columns=["kode_kabkota", "tahun", "responden", "puas"],
    )
    spend = []
    for k, (kab, (dana, absorption)) in enumerate(SPENDERS.items()):
        for year in range(2016, 2023):
            for comp in (1, 2, 3):
                alloc = 1e9 * (k + 1) * comp + 1e8 * (year - 2016)
                spend.append((year, kab, comp, dana, alloc, round(alloc * absorption)))
    # national-budget money in one kota in 2015 only: a second financier in the same kabupaten/kota
    spend.append((2015, "32.73", 1, "apbn", 5e8, 4.5e8))
    anggaran = pd.DataFrame(spend, columns=["tahun", "kode_kabkota", "komponen", "sumber_dana", "alokasi_rp",
                                            "realisasi_rp"])
    return {"lokasi": lokasi, "luas_kumuh_tahunan": luas, "akses_layanan": akses, "pokja_pkp": pokja,
            "kepuasan": kepuasan, "anggaran": anggaran}


def write_data_dir(out: Path, frames: dict[str, pd.DataFrame]) -> Path:
    ref = out / "reference"
    ref.mkdir(parents=True, exist_ok=True)
    PROVINSI.to_csv(ref / "provinsi.csv", index=False)
    KABKOTA.to_csv(ref / "kabkota.csv", index=False)
    lok = frames["lokasi"]
    pd.DataFrame(
        {
            "kode_desa": lok["kode_desa"], "nama_desa": lok["nama_desa"], "kode_kecamatan": lok["kode_desa"].str[:8],
            "nama_kecamatan": "", "kode_kabkota": lok["kode_kabkota"], "kode_prov": lok["kode_prov"],
            "jenis": lok["jenis_desa"], "source_url": URL,
        }
    ).to_parquet(ref / "desa.parquet", index=False)
    (out / "program").mkdir(parents=True, exist_ok=True)
    for name, df in frames.items():
        df.to_parquet(out / "program" / f"{name}.parquet", index=False)
    return out


@pytest.fixture(scope="session")
def small_frames() -> dict[str, pd.DataFrame]:
    """The fixture tables as pandas frames (tests read them, never change them)."""
    return build_frames()


@pytest.fixture(scope="session")
def small_reference() -> dict[str, pd.DataFrame]:
    """The fixture's reference tables (provinsi, kabkota), as written to reference/."""
    return {"provinsi": PROVINSI.copy(), "kabkota": KABKOTA.copy()}


@pytest.fixture(scope="session")
def small_data_dir(tmp_path_factory, small_frames) -> Path:
    return write_data_dir(tmp_path_factory.mktemp("small_data"), small_frames)


@pytest.fixture(scope="session")
def small_db(small_data_dir):
    from kotaku_data.data.db import Database

    db = Database(small_data_dir)
    yield db
    db.close()


@pytest.fixture(scope="session")
def official_desa() -> set[str]:
    """Every desa/kelurahan code of the official Kemendagri list bundled in data/reference."""
    return set(pd.read_parquet(DATA / "reference" / "desa.parquet", columns=["kode_desa"])["kode_desa"])
