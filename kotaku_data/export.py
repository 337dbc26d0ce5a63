"""Table downloads: CSV and Excel bytes, and a file name that says what was filtered."""
from __future__ import annotations

import io
import re

import pandas as pd

from .filters import Filters


def file_stem(table: str, f: Filters, lang: str) -> str:
    """kotaku_<table>_<filters>_<lang>, e.g. kotaku_luas-kumuh_2016-2024_prov-32_id."""
    parts = [f"{f.tahun[0]}-{f.tahun[1]}"]
    for name, value in (("prov", f.prov), ("kab", f.kab), ("tipe", f.tipe)):
        if value:
            parts.append(f"{name}-{value}")
    for name, values in (("dana", f.dana), ("tingkat", f.tingkat)):
        if values:
            parts.append(f"{name}-{'+'.join(values)}")
    stem = "_".join(["kotaku", table, *parts, lang])
    return re.sub(r"[^A-Za-z0-9_.+-]", "-", stem)


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM so Excel opens Indonesian names correctly; '.' decimals (machine-readable)."""
    return df.to_csv(index=False).encode("utf-8-sig")


def to_excel_bytes(df: pd.DataFrame, sheet: str = "data", note: str | None = None) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        df.to_excel(xl, sheet_name=sheet[:31], index=False)
        if note:
            pd.DataFrame({"note": [note]}).to_excel(xl, sheet_name="info", index=False)
    return buf.getvalue()
