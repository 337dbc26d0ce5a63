"""The small SQL toolkit every question module uses: filter clauses with bound parameters, named parameters per
sub-query (so several questions share one statement), reading rows, and per-Database lookups.

All user values are bound parameters; only fixed SQL fragments chosen from whitelists (LEVELS, KAB_LEVELS, the
spending dimensions) are concatenated.
"""

from __future__ import annotations

import json
import threading
import weakref
from collections.abc import Callable
from typing import Any

from ..data.db import Database
from ..filters import Filters

# level -> (code column on lokasi, name expression, join clause for names)
LEVELS = {
    "nasional": ("'ID'", "'Indonesia'", ""),
    "prov": ("l.kode_prov", "p.nama_prov", "JOIN provinsi p ON p.kode_prov = l.kode_prov"),
    "kab": ("l.kode_kabkota", "k.nama_kabkota", "JOIN kabkota k ON k.kode_kabkota = l.kode_kabkota"),
    "desa": ("l.kode_desa", "l.nama_desa", ""),
}


# the same for tables kept per kabupaten/kota (alias x)
KAB_LEVELS = {
    "nasional": ("'ID'", "'Indonesia'", ""),
    "prov": (
        "substr(x.kode_kabkota, 1, 2)",
        "p.nama_prov",
        "JOIN provinsi p ON p.kode_prov = substr(x.kode_kabkota, 1, 2)",
    ),
    "kab": ("x.kode_kabkota", "k.nama_kabkota", "JOIN kabkota k ON k.kode_kabkota = x.kode_kabkota"),
}


def level_sql(level: str, table: dict) -> tuple[str, str, str]:
    if level not in table:
        raise ValueError(f"unknown level {level!r}; expected one of {list(table)}")
    return table[level]


def location_where(f: Filters, alias: str = "l") -> tuple[str, list]:
    """WHERE clause over lokasi for the location filters, with its bound parameters."""
    clauses, params = ["TRUE"], []
    if f.prov:
        clauses.append(f"{alias}.kode_prov = ?")
        params.append(f.prov)
    if f.kab:
        clauses.append(f"{alias}.kode_kabkota = ?")
        params.append(f.kab)
    if f.tipe:
        clauses.append(f"{alias}.tipe_lokasi = ?")
        params.append(f.tipe)
    if f.dana:
        clauses.append(f"list_contains(?, {alias}.sumber_dana)")
        params.append(list(f.dana))
    if f.tingkat:
        clauses.append(f"list_contains(?, {alias}.tingkat_kumuh_awal)")
        params.append(list(f.tingkat))
    return " AND ".join(clauses), params


def kabkota_where(f: Filters, alias: str = "x", financier_col: str | None = None) -> tuple[str, list]:
    """WHERE clause for tables kept per kabupaten/kota; the financier filter selects kabupaten/kota whose
    locations it finances (or, for spending, the spending row's own financier column)."""
    clauses, params = ["TRUE"], []
    if f.prov:
        clauses.append(f"substr({alias}.kode_kabkota, 1, 2) = ?")
        params.append(f.prov)
    if f.kab:
        clauses.append(f"{alias}.kode_kabkota = ?")
        params.append(f.kab)
    if f.dana:
        if financier_col:
            clauses.append(f"list_contains(?, {alias}.{financier_col})")
        else:
            clauses.append(
                f"{alias}.kode_kabkota IN (SELECT kode_kabkota FROM lokasi WHERE list_contains(?, sumber_dana))"
            )
        params.append(list(f.dana))
    return " AND ".join(clauses), params


def bind(clause: str, params: list, tag: str) -> tuple[str, dict]:
    """A clause's positional placeholders turned into named ones ($<tag>_0, $<tag>_1, ...), with their values.

    Every SQL builder below names its parameters after its tag, so one statement can combine several questions
    (spending_by_region, profile_series, rows_each, ...) without their parameters clashing."""
    parts = clause.split("?")
    text = "".join(part + (f"${tag}_{i}" if i < len(parts) - 1 else "") for i, part in enumerate(parts))
    return text, {f"{tag}_{i}": value for i, value in enumerate(params)}


def ordered(query: tuple[str, dict]) -> tuple[str, dict]:
    """A query (SQL, parameters) with its rows sorted by all its columns. The SQL builders below (`access_sql`,
    `pokja_sql`, ...) leave their rows unordered: sorting costs almost a millisecond, wasted on the questions that
    combine them or read a few of their rows."""
    return f"{query[0]} ORDER BY ALL", query[1]


def rows(db: Database, query: tuple[str, dict]) -> list[dict]:
    """The rows of a query (SQL, parameters) as dicts, for the questions that read a few numbers."""
    return rows_each(db, [query])[0]


def rows_each(db: Database, queries: list[tuple[str, dict]]) -> list[list[dict]]:
    """The rows of several queries (any columns, differently tagged parameters) from one statement: one list of
    rows (dicts) per query, in no particular order. A statement costs about 2 ms however small its tables, so
    the headline and the region profile ask their dozen small questions at once. Each query's rows travel as one
    JSON list (a UNION ALL of differently shaped rows needs one type; scalar subqueries side by side would be
    cross-joined, which DuckDB's join planner makes slow beyond a handful)."""
    if not queries:
        return []
    sql = " UNION ALL ".join(f"SELECT {i} AS q, to_json(list(t)) AS r FROM ({q}) t" for i, (q, _) in enumerate(queries))
    out: list[list[dict]] = [[] for _ in queries]
    for i, rows in db.fetchall(sql, {k: v for _, params in queries for k, v in params.items()}):
        out[i] = json.loads(rows) if rows is not None else []
    return out


def row_where(rows: list[dict], **match) -> dict | None:
    """The first of `rows` with the given values (e.g. tahun=2024), None if there is none."""
    return next((r for r in rows if all(r[k] == v for k, v in match.items())), None)


def num(row: dict | None, col: str, missing: float | None = None) -> float | None:
    """A number of a row as a float; `missing` when there is no row or the value is empty."""
    value = None if row is None else row[col]
    return missing if value is None or value != value else float(value)


_MEMO: weakref.WeakKeyDictionary[Database, dict[Any, Any]] = weakref.WeakKeyDictionary()


_MEMO_LOCK = threading.RLock()


def memo(db: Database, key: Any, build: Callable[[Database], Any]) -> Any:
    """build(db), computed once per Database and kept as long as it is open (its data never changes).

    For constant lookups only; callers must not modify what they get (return a copy to outside callers).
    Built under a lock, so concurrent page runs build a large lookup once; forgotten with the Database.
    """
    with _MEMO_LOCK:
        slot = _MEMO.setdefault(db, {})
        if key not in slot:
            slot[key] = build(db)
        return slot[key]
