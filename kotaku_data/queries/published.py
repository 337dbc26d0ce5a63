"""Published reference figures (real, cited; never mixed with the illustrative monitoring data) and the map's
attribution."""

from __future__ import annotations

import pandas as pd

from ..build.reference import PUBLISHED_FILES, read_reference
from ..data.db import Database

# (file stem, row selector column, row selector value, period, label key, value column, unit)
PUBLISHED_HIGHLIGHTS = (
    (
        "kotaku_national_slum_reduction",
        "metric",
        "national_slum_baseline_target",
        "published.baseline_target",
        "value_ha",
        "ha",
    ),
    (
        "kotaku_national_slum_reduction",
        "metric",
        "reduced RPJMN 2015-2019 total",
        "published.reduced_2015_2019",
        "value_ha",
        "ha",
    ),
    (
        "kotaku_national_slum_reduction",
        "metric",
        "RPJMN 2020-2024 target",
        "published.target_2020_2024",
        "value_ha",
        "ha",
    ),
    ("kotaku_national_slum_reduction", "metric", "reduced cumulative", "published.reduced_2020_2022", "value_ha", "ha"),
    ("kotaku_financing", "financier", "IBRD (World Bank) Ln.8636-ID", "published.loan_ibrd", "amount", "usd_m"),
    ("kotaku_financing", "financier", "AIIB Ln.0004-ID", "published.loan_aiib", "amount", "usd_m"),
    ("kotaku_financing", "financier", "IsDB (parallel)", "published.loan_isdb", "amount", "usd_m"),
    ("kotaku_financing", "financier", "Government of Indonesia (APBN)", "published.apbn", "amount", "usd_m"),
)


def published_table(db: Database, name: str = "kotaku_national_slum_reduction") -> pd.DataFrame:
    """A published reference CSV (data/reference/published/<name>.csv) as stated, every row with its source_url.

    Not filtered: these are national published figures. Columns as in the file.
    """
    if f"{name}.csv" not in PUBLISHED_FILES:
        raise ValueError(f"unknown published table {name!r}")
    return read_reference(f"published/{name}.csv", db.data_dir / "reference")


def published_highlights(db: Database) -> pd.DataFrame:
    """The key published national figures for the overview, each with its source.

    Columns: key (i18n label key), periode, nilai (float), unit ('ha' or 'usd_m' = US$ million),
    persen_target (% of target as published, or None), source_url.
    """
    rows = []
    tables = {name: published_table(db, name) for name in dict.fromkeys(h[0] for h in PUBLISHED_HIGHLIGHTS)}
    for table, col, value, key, value_col, unit in PUBLISHED_HIGHLIGHTS:
        df = tables[table]
        hit = df[df[col] == value]
        if not len(hit):
            continue
        r = hit.iloc[0]
        pct = pd.to_numeric(r.get("pct_of_target"), errors="coerce") if "pct_of_target" in r else None
        rows.append(
            (
                key,
                r.get("period", ""),
                float(r[value_col]),
                unit,
                None if pct is None or pd.isna(pct) else float(pct),
                r["source_url"],
            )
        )
    return pd.DataFrame(rows, columns=["key", "periode", "nilai", "unit", "persen_target", "source_url"])


def map_attribution(db: Database) -> str:
    """Attribution text of the province map (data/reference/provinsi.geojson.ATTRIBUTION.txt), '' if missing."""
    path = db.data_dir / "reference" / "provinsi.geojson.ATTRIBUTION.txt"
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""
