"""Every programme table and column: the data contract (single source of truth).

File and column names are the import template programme staff fill with real data, so they are fixed.
`validate(directory)` checks a data directory against the contract and returns every problem found.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import config

SCHEMA_VERSION = "1.0"

DESA_PATTERN = r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"
KABKOTA_PATTERN = r"^\d{2}\.\d{2}$"
PROV_PATTERN = r"^\d{2}$"


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # "str", "int", "float", "bool"
    unit: str
    label_id: str
    label_en: str
    description: str
    required: bool = True
    allowed: tuple = ()
    min: float | None = None
    max: float | None = None
    pattern: str | None = None


@dataclass(frozen=True)
class Table:
    name: str
    label_id: str
    label_en: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def file(self) -> str:
        return f"{self.name}.parquet"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


Y0, Y1 = config.FIRST_YEAR, config.LAST_YEAR

KODE_DESA = Column("kode_desa", "str", "", "Kode desa/kelurahan", "Village code",
                   "Kemendagri code of the desa/kelurahan, dotted (32.73.01.1001)", pattern=DESA_PATTERN)
KODE_KABKOTA = Column("kode_kabkota", "str", "", "Kode kabupaten/kota", "Regency/city code",
                      "Kemendagri code of the kabupaten/kota (32.73)", pattern=KABKOTA_PATTERN)
TAHUN = Column("tahun", "int", "year", "Tahun", "Year", f"Calendar year ({Y0} is the baseline)", min=Y0, max=Y1)
SUMBER_DANA = Column("sumber_dana", "str", "", "Sumber dana", "Financier",
                     "Financier code: ibrd (World Bank), aiib, isdb, apbn (national budget)",
                     allowed=config.FINANCIERS)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "lokasi", "Lokasi program", "Programme locations",
            "One row per programme desa/kelurahan, with its baseline slum condition.",
            ("kode_desa",),
            (
                KODE_DESA,
                Column("nama_desa", "str", "", "Nama desa/kelurahan", "Village name", "Official name"),
                KODE_KABKOTA,
                Column("kode_prov", "str", "", "Kode provinsi", "Province code", "Kemendagri province code (32)",
                       pattern=PROV_PATTERN),
                Column("tipe_lokasi", "str", "", "Tipe lokasi", "Location type",
                       "peningkatan (upgrading of a decreed slum) or pencegahan (prevention)",
                       allowed=config.LOCATION_TYPES),
                SUMBER_DANA,
                Column("luas_kumuh_awal_ha", "float", "ha", "Luas kumuh awal", "Baseline slum area",
                       "Slum area at the 2015 baseline (0 for prevention locations)", min=0, max=2000),
                Column("skor_kumuh_awal", "float", "score 0-80", "Skor kumuh awal", "Baseline slum score",
                       "Permen PUPR 14/2018 total score of 16 criteria (0-80)", min=0, max=80),
                Column("tingkat_kumuh_awal", "str", "", "Tingkat kumuh awal", "Baseline slum level",
                       "berat (60-80), sedang (38-59), ringan (16-37), tidak_kumuh (<16)",
                       allowed=config.SLUM_LEVELS),
                Column("jenis_desa", "str", "", "Jenis", "Kind", "kelurahan (urban village) or desa",
                       required=False, allowed=("kelurahan", "desa")),
                Column("sintetis", "bool", "", "Sintetis", "Synthetic",
                       "True for synthetic benchmark locations (codes outside the official list)", required=False),
            ),
        ),
        Table(
            "luas_kumuh_tahunan", "Luas kumuh tahunan", "Slum area by year",
            "Slum area and score of each location at the end of each year.",
            ("kode_desa", "tahun"),
            (
                KODE_DESA, TAHUN,
                Column("luas_kumuh_ha", "float", "ha", "Luas kumuh", "Slum area",
                       "Remaining slum area at the end of the year", min=0, max=2000),
                Column("skor_kumuh", "float", "score 0-80", "Skor kumuh", "Slum score",
                       "Permen PUPR 14/2018 total score at the end of the year", required=False, min=0, max=80),
                Column("tingkat_kumuh", "str", "", "Tingkat kumuh", "Slum level", "Level from the score",
                       required=False, allowed=config.SLUM_LEVELS),
            ),
        ),
        Table(
            "akses_layanan", "Akses layanan", "Service access",
            "Households with access to each basic service, per location and year (outcome indicator 1).",
            ("kode_desa", "tahun", "layanan"),
            (
                KODE_DESA, TAHUN,
                Column("layanan", "str", "", "Layanan", "Service", "Basic service code", allowed=config.SERVICES),
                Column("kk_total", "int", "households", "Jumlah KK", "Households", "Households in the location",
                       min=0),
                Column("kk_terlayani", "int", "households", "KK terlayani", "Households served",
                       "Households with access to the service (never above kk_total)", min=0),
            ),
        ),
        Table(
            "pokja_pkp", "Pokja PKP", "Pokja PKP",
            "Housing and settlement working group of each kabupaten/kota (outcome indicator 3).",
            ("kode_kabkota", "tahun"),
            (
                KODE_KABKOTA, TAHUN,
                Column("terbentuk", "bool", "", "Terbentuk", "Formed", "Pokja PKP formed by decree"),
                Column("berfungsi", "bool", "", "Berfungsi", "Functioning",
                       "Pokja PKP meets and acts on slum handling (only if formed)"),
            ),
        ),
        Table(
            "kepuasan", "Kepuasan penerima manfaat", "Beneficiary satisfaction",
            "Beneficiary satisfaction survey per kabupaten/kota and survey year (outcome indicator 4).",
            ("kode_kabkota", "tahun"),
            (
                KODE_KABKOTA, TAHUN,
                Column("responden", "int", "people", "Responden", "Respondents", "People surveyed", min=1),
                Column("puas", "int", "people", "Puas", "Satisfied", "Respondents satisfied (never above responden)",
                       min=0),
            ),
        ),
        Table(
            "anggaran", "Anggaran", "Spending",
            "Allocated and realised spending per year, kabupaten/kota, component and financier.",
            ("tahun", "kode_kabkota", "komponen", "sumber_dana"),
            (
                TAHUN, KODE_KABKOTA,
                Column("komponen", "int", "", "Komponen", "Component", "Programme component 1-5",
                       allowed=config.COMPONENTS),
                SUMBER_DANA,
                Column("alokasi_rp", "float", "Rp", "Alokasi", "Allocated", "Allocated budget", min=0),
                Column("realisasi_rp", "float", "Rp", "Realisasi", "Realised", "Realised spending", min=0),
            ),
        ),
    )
}

# realised spending may exceed its allocation by at most this share (budget revisions), beyond that it is an error
MAX_OVERSPEND = 0.10


@dataclass(frozen=True)
class Problem:
    file: str
    column: str | None
    row: int | None  # 1-based data row (header excluded); None for file/column problems
    message: str

    def __str__(self) -> str:
        where = self.file + (f", row {self.row}" if self.row is not None else "") + (
            f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


def _rows(mask: pd.Series, limit: int = 20) -> list[int]:
    return [int(i) + 1 for i in mask[mask].index[:limit]]


def check_frame(table: Table, df: pd.DataFrame, file: str | None = None) -> list[Problem]:
    """Check one table's frame: columns, types, ranges, categories, patterns, duplicate keys."""
    file = file or table.file
    problems: list[Problem] = []
    if df.empty:
        return [Problem(file, None, None, "the table has no rows")]
    missing = [c for c in table.required if c not in df.columns]
    known = {c.name for c in table.columns}
    for c in missing:
        problems.append(Problem(file, c, None, "required column is missing"))
    for c in df.columns:
        if c not in known:
            problems.append(Problem(file, str(c), None, "unknown column (not in the data contract)"))
    df = df.reset_index(drop=True)
    for col in table.columns:
        if col.name not in df.columns:
            continue
        s = df[col.name]
        empty = s.isna() | (s.astype(str).str.strip() == "")
        if col.required and empty.any():
            for r in _rows(empty):
                problems.append(Problem(file, col.name, r, "value is empty"))
        s_ok = s[~empty]
        if col.dtype in ("int", "float"):
            num = pd.to_numeric(s_ok, errors="coerce")
            for r in _rows(num.isna()):
                problems.append(Problem(file, col.name, r, f"'{s_ok[r - 1]}' is not a number"))
            if col.dtype == "int":
                frac = num.notna() & (num % 1 != 0)
                for r in _rows(frac):
                    problems.append(Problem(file, col.name, r, f"{num[r - 1]} is not a whole number"))
            if col.min is not None:
                for r in _rows(num < col.min):
                    problems.append(Problem(file, col.name, r, f"{num[r - 1]} is below the minimum {col.min}"))
            if col.max is not None:
                for r in _rows(num > col.max):
                    problems.append(Problem(file, col.name, r, f"{num[r - 1]} is above the maximum {col.max}"))
            if col.allowed:
                bad = num.notna() & ~num.isin(col.allowed)
                for r in _rows(bad):
                    problems.append(Problem(file, col.name, r, f"{s_ok[r - 1]} is not one of {list(col.allowed)}"))
        elif col.dtype == "bool":
            bad = ~s_ok.astype(str).str.lower().isin(["true", "false", "1", "0", "ya", "tidak"])
            for r in _rows(bad):
                problems.append(Problem(file, col.name, r, f"'{s_ok[r - 1]}' is not true/false"))
        else:
            text = s_ok.astype(str)
            if col.allowed:
                for r in _rows(~text.isin(col.allowed)):
                    problems.append(Problem(file, col.name, r, f"'{text[r - 1]}' is not one of {list(col.allowed)}"))
            if col.pattern:
                for r in _rows(~text.str.match(col.pattern)):
                    problems.append(Problem(file, col.name, r, f"'{text[r - 1]}' is not a valid code"))
    if not missing:
        dup = df.duplicated(list(table.key), keep="first")
        for r in _rows(dup):
            key = ", ".join(f"{k}={df.at[r - 1, k]}" for k in table.key)
            problems.append(Problem(file, None, r, f"duplicate key ({key})"))
    return problems


def _pairs(a: pd.Series, b: pd.Series) -> pd.Series:
    return pd.to_numeric(a, errors="coerce") > pd.to_numeric(b, errors="coerce")


def check_rules(frames: dict[str, pd.DataFrame], official_desa: set[str] | None = None) -> list[Problem]:
    """Rules across columns and tables: parents, served <= total, realised <= allocated, area never rising."""
    problems: list[Problem] = []
    lok = frames.get("lokasi")
    if lok is not None and {"kode_desa", "kode_kabkota", "kode_prov"} <= set(lok.columns):
        lok = lok.reset_index(drop=True)
        desa = lok["kode_desa"].astype(str)
        for r in _rows(desa.str[:5] != lok["kode_kabkota"].astype(str)):
            problems.append(Problem("lokasi.parquet", "kode_kabkota", r,
                                    f"{desa[r - 1]} does not belong to kabupaten/kota {lok.at[r - 1, 'kode_kabkota']}"))
        for r in _rows(lok["kode_kabkota"].astype(str).str[:2] != lok["kode_prov"].astype(str)):
            problems.append(Problem("lokasi.parquet", "kode_prov", r,
                                    f"{lok.at[r - 1, 'kode_kabkota']} does not belong to province "
                                    f"{lok.at[r - 1, 'kode_prov']}"))
        if official_desa is not None:
            synthetic = lok["sintetis"].astype(str).str.lower().isin(["true", "1"]) if "sintetis" in lok else False
            # set membership per code: Series.isin(a large set) on pandas' string dtype builds one Arrow scalar
            # per element of the set (about 1 s for the 83,000 official codes)
            members = official_desa if isinstance(official_desa, set | frozenset) else set(official_desa)
            official = desa.map(members.__contains__).astype(bool)
            unknown = ~official & ~synthetic
            for r in _rows(unknown):
                problems.append(Problem("lokasi.parquet", "kode_desa", r,
                                        f"{desa[r - 1]} is not in the official Kemendagri code list"))
        if {"tipe_lokasi", "luas_kumuh_awal_ha"} <= set(lok.columns):
            bad = (lok["tipe_lokasi"] == "pencegahan") & (pd.to_numeric(lok["luas_kumuh_awal_ha"], "coerce") > 0)
            for r in _rows(bad):
                problems.append(Problem("lokasi.parquet", "luas_kumuh_awal_ha", r,
                                        "a prevention location has no baseline slum area (expected 0)"))
    acc = frames.get("akses_layanan")
    if acc is not None and {"kk_total", "kk_terlayani"} <= set(acc.columns):
        acc = acc.reset_index(drop=True)
        for r in _rows(_pairs(acc["kk_terlayani"], acc["kk_total"])):
            problems.append(Problem("akses_layanan.parquet", "kk_terlayani", r,
                                    "households served is above total households"))
    kep = frames.get("kepuasan")
    if kep is not None and {"responden", "puas"} <= set(kep.columns):
        for r in _rows(_pairs(kep["puas"], kep["responden"]).reset_index(drop=True)):
            problems.append(Problem("kepuasan.parquet", "puas", r, "more satisfied than respondents"))
    pok = frames.get("pokja_pkp")
    if pok is not None and {"terbentuk", "berfungsi"} <= set(pok.columns):
        t = pok["terbentuk"].astype(str).str.lower().isin(["true", "1", "ya"]).reset_index(drop=True)
        f = pok["berfungsi"].astype(str).str.lower().isin(["true", "1", "ya"]).reset_index(drop=True)
        for r in _rows(f & ~t):
            problems.append(Problem("pokja_pkp.parquet", "berfungsi", r, "functioning but not formed"))
    ang = frames.get("anggaran")
    if ang is not None and {"alokasi_rp", "realisasi_rp"} <= set(ang.columns):
        alloc = pd.to_numeric(ang["alokasi_rp"], errors="coerce").reset_index(drop=True)
        real = pd.to_numeric(ang["realisasi_rp"], errors="coerce").reset_index(drop=True)
        for r in _rows(real > alloc * (1 + MAX_OVERSPEND)):
            problems.append(Problem("anggaran.parquet", "realisasi_rp", r,
                                    f"realised spending is more than {MAX_OVERSPEND:.0%} above the allocation"))
    yearly = frames.get("luas_kumuh_tahunan")
    if yearly is not None and {"kode_desa", "tahun", "luas_kumuh_ha"} <= set(yearly.columns):
        y = yearly.reset_index(drop=True).assign(
            _t=lambda d: pd.to_numeric(d["tahun"], errors="coerce"),
            _a=lambda d: pd.to_numeric(d["luas_kumuh_ha"], errors="coerce"),
        ).sort_values(["kode_desa", "_t"])
        rising = (y["kode_desa"] == y["kode_desa"].shift()) & (y["_a"] > y["_a"].shift() + 1e-9)
        for idx in list(rising[rising].index[:20]):
            problems.append(Problem("luas_kumuh_tahunan.parquet", "luas_kumuh_ha", int(idx) + 1,
                                    f"slum area of {y.at[idx, 'kode_desa']} rises in {int(y.at[idx, '_t'])}"))
    return problems


def validate(directory: Path, official_desa: set[str] | None = None) -> list[Problem]:
    """Check a data directory (with program/*.parquet) against the contract; every problem found."""
    program = Path(directory) / "program"
    problems: list[Problem] = []
    frames: dict[str, pd.DataFrame] = {}
    for table in TABLES.values():
        path = program / table.file
        if not path.exists():
            problems.append(Problem(table.file, None, None, "file is missing"))
            continue
        try:
            df = pd.read_parquet(path)
        except Exception as exc:  # noqa: BLE001 - any unreadable file is reported, not raised
            problems.append(Problem(table.file, None, None,
                                    f"file cannot be read as Parquet ({exc.__class__.__name__})"))
            continue
        frames[table.name] = df
        problems += check_frame(table, df)
    problems += check_rules(frames, official_desa)
    return problems


def data_dictionary() -> pd.DataFrame:
    """One row per column, for the Data & Methods page and the README."""
    rows = []
    for t in TABLES.values():
        for c in t.columns:
            rows.append({
                "table": t.file, "column": c.name, "type": c.dtype, "unit": c.unit, "label_id": c.label_id,
                "label_en": c.label_en, "description": c.description, "required": c.required,
                "allowed": ", ".join(map(str, c.allowed)),
            })
    return pd.DataFrame(rows)
