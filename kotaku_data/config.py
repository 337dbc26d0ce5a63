"""Paths and programme constants shared by every module."""
from __future__ import annotations

import os
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The live data directory: env KOTAKU_DATA_DIR, default <repo>/data."""
    return Path(os.environ.get("KOTAKU_DATA_DIR", REPO_DIR / "data"))


def reference_dir() -> Path:
    return data_dir() / "reference"


def program_dir() -> Path:
    return data_dir() / "program"


# Published programme facts (kotaku.pu.go.id FAQ); see data/reference/ for sources.
TARGET_HA = 38_431.0
N_PROVINCES = 34
N_KABKOTA = 271
N_DESA = 11_064
PUBLISHED_REDUCED_2019_HA = 32_221.0

BASELINE_YEAR = 2015
FIRST_YEAR = 2015
LAST_YEAR = 2024
YEARS = list(range(FIRST_YEAR, LAST_YEAR + 1))

LOCATION_TYPES = ("peningkatan", "pencegahan")
FINANCIERS = ("ibrd", "aiib", "isdb", "apbn")
COMPONENTS = (1, 2, 3, 4, 5)
SERVICES = (
    "air_minum",
    "drainase",
    "air_limbah",
    "persampahan",
    "proteksi_kebakaran",
    "jalan_lingkungan",
    "rth",
)
SLUM_LEVELS = ("berat", "sedang", "ringan", "tidak_kumuh")


def slum_level(score: float) -> str:
    """Permen PUPR 14/PRT/M/2018: 60-80 heavy, 38-59 medium, 16-37 light, below 16 not slum."""
    if score >= 60:
        return "berat"
    if score >= 38:
        return "sedang"
    if score >= 16:
        return "ringan"
    return "tidak_kumuh"
