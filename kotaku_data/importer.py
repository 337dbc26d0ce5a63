"""Import of real programme data: read, validate, stage, swap in atomically, keep a backup, restore.

`python -m kotaku_data import SOURCE` reads SOURCE, a folder of CSV files named like the tables (lokasi.csv,
luas_kumuh_tahunan.csv, ...) or one .xlsx workbook with one sheet per table (sheet names = table names, an
optional `petunjuk` instructions sheet is ignored), checks it against the data contract (schema.TABLES) and, only
when there is no problem at all, replaces the live data set.

Reading is forgiving where the meaning is certain and precise where it is not:

* CSV encodings: UTF-8 with or without BOM, UTF-16 with BOM; rows that are not UTF-8 are read as Windows-1252
  with a warning naming the rows; bytes that are neither are reported with their row; binary files (an .xlsx or
  .xls renamed .csv, garbage) are reported as such.
* CSV delimiters: comma, semicolon or tab, detected from the header row.
* Numbers: decimal points (12.5, 1,234.5) and Indonesian decimal commas (12,5, 1.234,5) are accepted when a
  value can only be read one way, or when the rest of the file shows which convention it uses; a value that
  stays ambiguous (1.234 in a semicolon file with no other decimal separator) is reported, never guessed.
* Booleans: true/false, 1/0, ya/tidak (any case). Everything is read as text first and converted per the
  schema, so a wrong type is a reported problem with its row and column, not a crash.

Row numbers are the rows a person sees in the file: the header is row 1 (in a spreadsheet, the header's own row
number), so the first data row is row 2. schema.check_frame and schema.check_rules count data rows from 1;
`_file_rows` is the one place where their row numbers become file rows.

Nothing is lost: the tables are written as Parquet to a new staging folder next to the live data
(DATA/.staging-*/program), validated there, and swapped in: the live program/ folder is exchanged with the
staged one in a single rename (Linux renameat2 RENAME_EXCHANGE; two renames elsewhere), then the manifest is
replaced via a temporary file + os.replace, and the previous program/ + manifest.json are kept in
DATA/.backup/<timestamp>/. A journal (DATA/.backup/journal.json) written before the swap lets the next
`import` or `restore` roll back a swap that was killed midway, so an interrupted import never leaves a mixed
data set behind; an import that fails validation never touches the live data. `restore` swaps the most recent
backup back in and keeps the replaced data as a backup in turn, so a restore can be undone by another restore.
"""
from __future__ import annotations

import csv
import ctypes
import errno
import gc
import io
import json
import os
import re
import shutil
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from datetime import time as dtime
from pathlib import Path

import numpy as np
import pandas as pd

from . import config
from .build.generate import write_manifest, write_parquet
from .data.schema import TABLES, Problem, Table, _rows, check_frame, check_rules, validate

STAGING_PREFIX = ".staging-"
BACKUP_DIR = ".backup"
JOURNAL = "journal.json"
LOCK = ".lock"
KEEP_BACKUPS = 10
INSTRUCTIONS_SHEET = "petunjuk"
MAX_LISTED = 20  # rows listed per problem kind and column, like schema.check_frame

TRUE_WORDS = ("true", "1", "ya")
FALSE_WORDS = ("false", "0", "tidak")
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
INT_DTYPES = {"tahun": "int16", "komponen": "int8"}  # as in the bundled data; other integers are int64

# a number with a decimal point and optional comma thousands separators, or with a decimal comma and optional
# dot thousands separators; a thousands group never starts with 0 (so 0.125 and 0,125 are unambiguous)
EN_NUMBER = r"[+-]?(?:\d+|[1-9]\d{0,2}(?:,\d{3})+)(?:\.\d+)?(?:[eE][+-]?\d+)?"
ID_NUMBER = r"[+-]?(?:\d+|[1-9]\d{0,2}(?:\.\d{3})+)(?:,\d+)?(?:[eE][+-]?\d+)?"

TEMPLATE_FILE = "kotaku_template.xlsx"
EXAMPLE_FILE = "kotaku_contoh.xlsx"
TEMPLATE_DATE = datetime(2024, 1, 1)
EXAMPLE_KABKOTA = ("32.73", "73.71")  # Kota Bandung, Kota Makassar


class ImportFailed(Exception):
    """A usage or I/O error (exit code 2), as opposed to problems in the data (exit code 1)."""


@dataclass
class Report:
    """What reading and checking a source found: problems block the import, warnings do not."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # table -> data rows read

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Sheet:
    """One table as read from a CSV file or a worksheet: all text (None for blank cells)."""

    table: Table
    label: str  # what the user calls it: "lokasi.csv" or "kotaku.xlsx sheet lokasi"
    frame: pd.DataFrame
    rows: np.ndarray  # file row of each frame row
    native: dict[str, np.ndarray] = field(default_factory=dict)  # cells that were numbers in Excel
    delimiter: str | None = None
    skip: set[tuple[str, int]] = field(default_factory=set)  # (column, data row) already reported
    dropped: int = 0  # rows that could not be split into the header's columns (reported, left out)


@dataclass
class Outcome:
    """Result of an import or a dry run."""

    report: Report
    imported: bool = False
    backup: Path | None = None
    manifest: dict | None = None


def _checkpoint(step: str) -> None:
    """A named step of the import. Tests replace this (to raise) or set KOTAKU_IMPORT_PAUSE=step[:seconds]."""
    pause = os.environ.get("KOTAKU_IMPORT_PAUSE", "")
    name, _, seconds = pause.partition(":")
    if name == step:
        print(f"paused at {step}", file=sys.stderr, flush=True)
        time.sleep(float(seconds or 60))


# --- official code list ------------------------------------------------------------------------------------


_OFFICIAL: dict[str, tuple[frozenset[str], dict[str, str]]] = {}


def official_codes(ref_dir: Path | None = None) -> tuple[frozenset[str], dict[str, str]]:
    """(every official desa/kelurahan code, code -> 'desa'/'kelurahan') from reference/desa.parquet."""
    path = (ref_dir or config.reference_dir()) / "desa.parquet"
    try:
        content = path.read_bytes()
        digest = _sha(content)  # cached on the content, wherever the file is
        if digest not in _OFFICIAL:
            df = pd.read_parquet(io.BytesIO(content), columns=["kode_desa", "jenis"])
            _OFFICIAL.clear()
            _OFFICIAL[digest] = frozenset(df["kode_desa"]), dict(zip(df["kode_desa"], df["jenis"], strict=True))
        return _OFFICIAL[digest]
    except (OSError, ValueError, KeyError) as exc:
        raise ImportFailed(f"the official code list {path} cannot be read ({exc.__class__.__name__}); "
                           "rebuild it with: python -m kotaku_data build-reference") from exc


# --- decoding ----------------------------------------------------------------------------------------------


def _row_of(content: bytes, pos: int) -> int:
    return content.count(b"\n", 0, pos) + 1


def _decode(content: bytes, label: str, report: Report) -> tuple[str | None, list[tuple[int, int, int]]]:
    """Text of a CSV file, or None when it is not a text file. Also the undecodable bytes (row, char, byte)."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16"), []
        except UnicodeDecodeError:
            report.problems.append(Problem(label, None, None, "the file starts like UTF-16 text but is not valid "
                                                               "UTF-16; save it as 'CSV UTF-8'"))
            return None, []
    if content.startswith(b"PK\x03\x04"):
        report.problems.append(Problem(label, None, None, "this is an Excel workbook (.xlsx) saved with a .csv name; "
                                                           "save it as 'CSV UTF-8' or import the workbook itself"))
        return None, []
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        report.problems.append(Problem(label, None, None, "this is an old Excel file (.xls), not a CSV file; "
                                                           "save it as 'CSV UTF-8' or as .xlsx"))
        return None, []
    sample = content[:65536]
    controls = sum(sample.count(bytes([b])) for b in (*range(0, 9), 11, 12, *range(14, 32), 127))
    if b"\x00" in sample or controls > max(2, len(sample) // 100):
        pos = next(i for i, b in enumerate(content) if b < 32 and b not in (9, 10, 13) or b == 127)
        report.problems.append(Problem(label, None, _row_of(content, pos),
                                       f"the file is not a CSV text file: it contains binary data (byte "
                                       f"0x{content[pos]:02x} in this row); export the table from Excel as "
                                       "'CSV UTF-8'"))
        return None, []
    try:
        return content.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    # not UTF-8 as a whole: decode row by row, UTF-8 where possible, then Windows-1252
    lines = content.split(b"\n")
    if lines[0].startswith(b"\xef\xbb\xbf"):
        lines[0] = lines[0][3:]
    out, cp1252_rows, bad = [], [], []
    for i, line in enumerate(lines, start=1):
        try:
            out.append(line.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        try:
            out.append(line.decode("cp1252"))
            cp1252_rows.append(i)
        except UnicodeDecodeError:
            text = line.decode("latin-1")
            for j, ch in enumerate(text):
                if 0x80 <= ord(ch) < 0xA0 and ch.encode("latin-1") not in _CP1252_DEFINED:
                    bad.append((i, j, ord(ch)))
            out.append(text)
    if cp1252_rows:
        example = next(iter(re.findall(r"[^,;\t\"]*[^\x00-\x7f][^,;\t\"]*", out[cp1252_rows[0] - 1])), "")
        report.warnings.append(Problem(
            label, None, cp1252_rows[0],
            f"the file is not UTF-8: {_listing(cp1252_rows)} read as Windows-1252 (cp1252), e.g. '{example}'; "
            "check that names look right, or save the file as 'CSV UTF-8'"))
    return "\n".join(out), bad


_CP1252_DEFINED = {bytes([b]) for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def _listing(rows: list[int]) -> str:
    shown = ", ".join(map(str, rows[:MAX_LISTED]))
    more = f" and {len(rows) - MAX_LISTED} more" if len(rows) > MAX_LISTED else ""
    return f"row{'s' if len(rows) > 1 else ''} {shown}{more}"


# --- CSV ---------------------------------------------------------------------------------------------------


def _clean_name(name: object) -> str:
    return str(name).replace("\ufeff", "").strip().lower() if name is not None else ""


def _detect_delimiter(header_line: str, table: Table, label: str, report: Report) -> str | None:
    known = {c.name for c in table.columns}
    best, best_key = None, (0, 0)
    for d in DELIMITERS:
        fields = [_clean_name(f) for f in next(csv.reader([header_line], delimiter=d), [])]
        key = (sum(f in known for f in fields), len(fields))
        if key > best_key:
            best, best_key = d, key
    if best_key[1] > 1:
        return best
    others = [ch for ch in header_line if not (ch.isalnum() or ch in "_ \"'")]
    hint = f" (it seems to use '{max(set(others), key=others.count)}')" if others else ""
    report.problems.append(Problem(label, None, 1, "cannot find the column separator in the header row"
                                   f"{hint}: separate the columns with a comma, a semicolon or a tab"))
    return None


def read_csv_bytes(content: bytes, label: str, table: Table, report: Report) -> Sheet | None:
    """Read one table from CSV bytes; problems and warnings go to report. None when nothing can be read."""
    if not content.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        report.problems.append(Problem(label, None, None, "the file is empty: expected a header row with the column "
                                                           f"names ({', '.join(c.name for c in table.columns)}) "
                                                           "and one row per record"))
        return None
    text, bad_bytes = _decode(content, label, report)
    if text is None:
        return None
    lines = [line.rstrip("\r") for line in text.split("\n")]
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        report.problems.append(Problem(label, None, None, "the file is empty"))
        return None
    delimiter = _detect_delimiter(lines[first], table, label, report)
    if delimiter is None:
        return None
    # (row where the record starts, fields); a record's row is its first physical line, header included
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    gc_was_on = gc.isenabled()
    gc.disable()  # millions of small lists: the cyclic GC would triple the reading time
    try:
        start = 1
        for rec in reader:
            if any(rec) and "".join(rec).strip():
                records.append((start, rec))
            start = reader.line_num + 1
    except csv.Error as exc:
        report.problems.append(Problem(label, None, start, f"this row cannot be read as CSV ({exc})"))
        return None
    finally:
        if gc_was_on:
            gc.enable()
    header = [_clean_name(f) for f in records[0][1]]
    for row, j, byte in bad_bytes:
        col = header[min(records_col(lines[row - 1], j, delimiter), len(header) - 1)] if row <= len(lines) else None
        report.problems.append(Problem(label, col or None, row,
                                       f"byte 0x{byte:02x} cannot be read as UTF-8 or Windows-1252 text (unknown "
                                       "encoding or a damaged file); save the file as 'CSV UTF-8'"))
    body, rows, ragged = [], [], []
    for row, rec in records[1:]:
        if len(rec) != len(header):
            # trailing empty fields (Excel exports of blank columns) are harmless
            if len(rec) > len(header) and not any(f.strip() for f in rec[len(header):]):
                rec = rec[: len(header)]
            elif len(rec) < len(header) and all(h == "" for h in header[len(rec):]):
                rec = rec + [""] * (len(header) - len(rec))
            else:
                ragged.append((row, len(rec)))
                continue
        body.append(rec)
        rows.append(row)
    for row, n in ragged[:MAX_LISTED]:
        hint = ""
        if n > len(header) and delimiter == ",":
            hint = ("; a number with a decimal comma (12,5) splits into two values in a comma-separated file: "
                    "quote it (\"12,5\"), use a decimal point, or separate the columns with ';'")
        report.problems.append(Problem(label, None, row, f"this row has {n} values but the header has "
                                                         f"{len(header)} columns{hint}"))
    if len(ragged) > MAX_LISTED:
        report.problems.append(Problem(label, None, None, f"... and {len(ragged) - MAX_LISTED} more rows with the "
                                                          "wrong number of values"))
    frame = pd.DataFrame(body, columns=range(len(header)), dtype=object) if body else pd.DataFrame(
        columns=range(len(header)), dtype=object)
    sheet = _sheet(table, label, header, frame, np.array(rows, dtype=np.int64), {}, delimiter, report)
    sheet.dropped = len(ragged)
    return sheet


def records_col(line: str, char_index: int, delimiter: str) -> int:
    """Index of the field holding a character of a physical line (quotes ignored: for messages only)."""
    return line[:char_index].count(delimiter)


def _sheet(table: Table, label: str, header: list[str], frame: pd.DataFrame, rows: np.ndarray,
           native: dict[int, np.ndarray], delimiter: str | None, report: Report) -> Sheet:
    """Name the columns: blank headers of empty columns are dropped, others reported; names are case-insensitive."""
    keep, names, seen = [], [], set()
    for j, name in enumerate(header):
        if not name:
            col = frame[j] if j in frame else pd.Series(dtype=object)
            filled = col.notna() & (col.astype(str).str.strip() != "")
            if filled.any():
                report.problems.append(Problem(label, None, None, f"column {j + 1} has values but no name in the "
                                                                  "header row"))
            continue
        if name in seen:
            report.problems.append(Problem(label, name, None, "the column appears twice in the header row"))
            continue
        seen.add(name)
        keep.append(j)
        names.append(name)
    frame = frame[keep].copy() if keep else pd.DataFrame(index=frame.index)
    frame.columns = names
    for c in names:
        col = frame[c].astype("str").str.strip()
        frame[c] = col.mask(col == "")
    nat = {names[keep.index(j)]: mask for j, mask in native.items() if j in keep}
    return Sheet(table, label, frame.reset_index(drop=True), rows, nat, delimiter)


# --- Excel -------------------------------------------------------------------------------------------------


def _canonical(v: float) -> str:
    return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else repr(float(v))


def _cell_text(v: object) -> tuple[object, bool]:
    """(text or None, was a number) of a worksheet cell."""
    if v is None:
        return None, False
    if isinstance(v, bool):
        return ("true" if v else "false"), False
    if isinstance(v, int):
        return str(v), True
    if isinstance(v, float):
        return _canonical(v), True
    if isinstance(v, datetime | date | dtime):
        return v.isoformat(sep=" ") if isinstance(v, datetime) else v.isoformat(), False
    s = str(v).strip()
    return (s or None), False


def read_workbook_bytes(content: bytes, name: str, report: Report) -> dict[str, Sheet]:
    """Read every table sheet of an .xlsx workbook; problems and warnings go to report."""
    import openpyxl

    if not content:
        report.problems.append(Problem(name, None, None, "the file is empty"))
        return {}
    try:
        wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is a reported problem
        detail = "an old .xls file: save it as .xlsx" if content.startswith(b"\xd0\xcf\x11\xe0") else (
            f"{exc.__class__.__name__}; save it again from Excel as .xlsx")
        report.problems.append(Problem(name, None, None, f"the file cannot be read as an Excel workbook ({detail})"))
        return {}
    sheets: dict[str, Sheet] = {}
    try:
        by_name = {}
        for ws in wb.worksheets:
            key = _clean_name(ws.title)
            if key == INSTRUCTIONS_SHEET:
                continue
            if key not in TABLES:
                report.problems.append(Problem(name, None, None, f"sheet '{ws.title}' is not a table of the data "
                                                                 f"contract (expected sheets: {', '.join(TABLES)})"))
                continue
            if key in by_name:
                report.problems.append(Problem(name, None, None, f"sheet '{ws.title}' appears twice"))
                continue
            by_name[key] = ws
        for table in TABLES.values():
            if table.name not in by_name:
                report.problems.append(Problem(name, None, None, f"sheet '{table.name}' is missing"))
                continue
            sheet = _read_worksheet(by_name[table.name], table, f"{name} sheet {table.name}", report)
            if sheet is not None:
                sheets[table.name] = sheet
    finally:
        wb.close()
    return sheets


def _read_worksheet(ws, table: Table, label: str, report: Report) -> Sheet | None:
    ws.reset_dimensions()  # do not trust the stored size: some writers get it wrong
    header = None
    body, native, rows = [], [], []
    for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = [_cell_text(v) for v in values]
        if not any(t is not None for t, _ in cells):
            continue
        if header is None:
            header = [_clean_name(t) for t, _ in cells]
            continue
        cells = (cells + [(None, False)] * len(header))[: max(len(header), len(cells))]
        extra = [t for t, _ in cells[len(header):] if t is not None]
        if extra:
            report.problems.append(Problem(label, None, r, "this row has values to the right of the last named "
                                                           f"column ({len(header)} columns in the header row)"))
        body.append([t for t, _ in cells[: len(header)]])
        native.append([n for _, n in cells[: len(header)]])
        rows.append(r)
    if header is None:
        report.problems.append(Problem(label, None, None, "the sheet is empty: expected a header row with the "
                                                          f"column names ({', '.join(c.name for c in table.columns)})"))
        return None
    frame = pd.DataFrame(body, columns=range(len(header)), dtype=object) if body else pd.DataFrame(
        columns=range(len(header)), dtype=object)
    nat_arr = np.array(native, dtype=bool).reshape(len(body), len(header))
    sheet = _sheet(table, label, header, frame, np.array(rows, dtype=np.int64),
                   {j: nat_arr[:, j] for j in range(len(header))}, None, report)
    # a kabupaten/kota code typed as a number loses its trailing zero (32.70 -> 32.7): put it back
    if "kode_kabkota" in sheet.frame and "kode_kabkota" in sheet.native:
        s, nat = sheet.frame["kode_kabkota"], sheet.native["kode_kabkota"]
        fix = nat & s.astype(str).str.fullmatch(r"\d{2}\.\d").to_numpy()
        if fix.any():
            sheet.frame.loc[fix, "kode_kabkota"] = s[fix] + "0"
            report.warnings.append(Problem(label, "kode_kabkota", int(sheet.rows[np.flatnonzero(fix)[0]]),
                                           f"{int(fix.sum())} code(s) were numbers in Excel (e.g. {s[fix].iloc[0]}) "
                                           f"and were read as {s[fix].iloc[0]}0; format the column as Text"))
    return sheet


# --- normalising text to the contract ----------------------------------------------------------------------


def _normalise(sheet: Sheet, report: Report) -> None:
    """Numbers to canonical text (decimal point, no separators), booleans to true/false, in place."""
    df = sheet.frame
    numeric = [c.name for c in sheet.table.columns if c.dtype in ("int", "float") and c.name in df]
    info = {}
    n_en = n_id = 0
    first_en = first_id = None
    for name in numeric:
        s = df[name]
        nat = sheet.native.get(name, np.zeros(len(s), dtype=bool))
        cand = (s.notna() & ~nat).to_numpy()
        t = s.where(cand).astype("str")
        en = t.str.fullmatch(EN_NUMBER).fillna(False).to_numpy(dtype=bool)
        id_ = t.str.fullmatch(ID_NUMBER).fillna(False).to_numpy(dtype=bool)
        sep = t.str.contains(r"[.,]").fillna(False).to_numpy(dtype=bool)
        en_only, id_only = en & ~id_, id_ & ~en
        both = en & id_ & sep
        info[name] = (t, en, id_, both)
        n_en += int(en_only.sum())
        n_id += int(id_only.sum())
        if en_only.any() and first_en is None:
            i = int(np.flatnonzero(en_only)[0])
            first_en = (int(sheet.rows[i]), t.iloc[i])
        if id_only.any() and first_id is None:
            i = int(np.flatnonzero(id_only)[0])
            first_id = (int(sheet.rows[i]), t.iloc[i])
    if n_id and n_en:
        style = "mixed"
        report.warnings.append(Problem(sheet.label, None, None,
                                       f"the file mixes decimal commas (row {first_id[0]}: '{first_id[1]}') and "
                                       f"decimal points (row {first_en[0]}: '{first_en[1]}'); each value that can be "
                                       "read only one way was read that way"))
    elif n_id:
        style = "id"
        report.warnings.append(Problem(sheet.label, None, first_id[0],
                                       f"numbers were read with decimal commas and dots as thousands separators "
                                       f"(Indonesian format), e.g. '{first_id[1]}' = "
                                       f"{_canonical(_parse_id(first_id[1]))}"))
    elif n_en or sheet.delimiter == ",":
        style = "en"  # a comma-separated file cannot hold unquoted decimal commas
    else:
        style = None
    for name in numeric:
        t, en, id_, both = info[name]
        use_en = (en & ~id_) | (en & id_ & ~both) | (both if style == "en" else False)
        use_id = (id_ & ~en) | (both if style == "id" else False)
        ambiguous = both & ~use_en & ~use_id
        out = df[name].copy()
        for mask, parse in ((use_en, _parse_en), (use_id, _parse_id)):
            idx = np.flatnonzero(mask & _has_format(t))
            if len(idx):
                out.iloc[idx] = [_canonical(parse(v)) for v in t.iloc[idx]]
        df[name] = out
        amb_idx = np.flatnonzero(ambiguous)
        why = ("this file has both decimal commas and decimal points" if style == "mixed" else
               "nothing else in the file shows whether it uses decimal points or decimal commas")
        for i in amb_idx[:MAX_LISTED]:
            v = t.iloc[i]
            report.problems.append(Problem(sheet.label, name, int(sheet.rows[i]),
                                           f"'{v}' is ambiguous: it could be {_canonical(_parse_en(v))} or "
                                           f"{_canonical(_parse_id(v))} ({why}); write it without a thousands "
                                           "separator"))
        if len(amb_idx) > MAX_LISTED:
            report.problems.append(Problem(sheet.label, name, None,
                                           f"... and {len(amb_idx) - MAX_LISTED} more ambiguous numbers"))
        # reported here: schema.check_frame would call them 'not a number' as well
        sheet.skip.update((name, int(i) + 1) for i in amb_idx)
        # 'inf', 'nan', 'Infinity' pass pandas' to_numeric but are no numbers of the contract
        odd = t.notna().to_numpy() & ~en & ~id_ & pd.to_numeric(t, errors="coerce").notna().to_numpy()
        odd |= t.str.fullmatch(r"(?i)[+-]?(nan|inf|infinity)").fillna(False).to_numpy(dtype=bool)
        for i in np.flatnonzero(odd)[:MAX_LISTED]:
            report.problems.append(Problem(sheet.label, name, int(sheet.rows[i]), f"'{t.iloc[i]}' is not a number"))
        sheet.skip.update((name, int(i) + 1) for i in np.flatnonzero(odd))
        # both kinds stay text that no rule can mistake for a number (no cascade of follow-up problems)
        df[name] = df[name].mask(pd.Series(odd | ambiguous, index=df.index), "not a number")
        num = pd.to_numeric(df[name], errors="coerce").astype("float64")
        if (num.notna() == df[name].notna()).all():
            # every value is a number: checks and conversion run on numbers (whole ones shown as 2023, not 2023.0)
            whole = sheet.table.column(name).dtype == "int" and num.notna().all() and (num % 1 == 0).all()
            df[name] = num.astype("int64") if whole else num
    for col in sheet.table.columns:
        if col.dtype == "bool" and col.name in df:
            s = df[col.name]
            low = s.str.lower()
            df[col.name] = s.mask(low.isin(TRUE_WORDS), "true").mask(low.isin(FALSE_WORDS), "false")


def _has_format(t: pd.Series) -> np.ndarray:
    """Cells whose text is not already canonical (separators, exponent, sign, leading zeros)."""
    return t.str.contains(r"[.,eE+]|^-?0\d", regex=True).fillna(False).to_numpy(dtype=bool)


def _parse_en(v: str) -> float:
    return float(v.replace(",", ""))


def _parse_id(v: str) -> float:
    return float(v.replace(".", "").replace(",", "."))


# --- checks ------------------------------------------------------------------------------------------------


def check_links(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """Cross-table rules: yearly tables only name listed locations, kabupaten/kota tables only programme ones."""
    problems: list[Problem] = []
    lok = frames.get("lokasi")
    if lok is None or "kode_desa" not in lok:
        return problems
    desa = set(lok["kode_desa"].dropna().astype(str))
    kab = set(lok["kode_kabkota"].dropna().astype(str)) if "kode_kabkota" in lok else {c[:5] for c in desa}
    for name in ("luas_kumuh_tahunan", "akses_layanan"):
        df = frames.get(name)
        if df is None or "kode_desa" not in df:
            continue
        s = df["kode_desa"].reset_index(drop=True)
        for r in _rows(s.notna() & ~s.astype(str).isin(desa)):
            problems.append(Problem(TABLES[name].file, "kode_desa", r,
                                    f"{s[r - 1]} is not in lokasi (every location of a yearly table must be listed "
                                    "in lokasi)"))
    for name in ("pokja_pkp", "kepuasan", "anggaran"):
        df = frames.get(name)
        if df is None or "kode_kabkota" not in df:
            continue
        s = df["kode_kabkota"].reset_index(drop=True)
        for r in _rows(s.notna() & ~s.astype(str).isin(kab)):
            problems.append(Problem(TABLES[name].file, "kode_kabkota", r,
                                    f"kabupaten/kota {s[r - 1]} has no programme location in lokasi"))
    return problems


def _file_rows(problems: Iterable[Problem], sheets: dict[str, Sheet]) -> list[Problem]:
    """The one place where data-row numbers of schema checks (first data row = 1) become file rows and the
    Parquet file names become the user's file or sheet."""
    out = []
    for p in problems:
        sheet = sheets.get(p.file.removesuffix(".parquet")) if p.file.endswith(".parquet") else None
        if sheet is None:
            out.append(p)
            continue
        row = int(sheet.rows[p.row - 1]) if p.row is not None and 0 < p.row <= len(sheet.rows) else None
        out.append(Problem(sheet.label, p.column, row, p.message))
    return out


def check_sheets(sheets: dict[str, Sheet], report: Report, official: frozenset[str] | None) -> None:
    """Normalise and check the sheets read; every problem goes to report (files in table order, then rows)."""
    for sheet in sheets.values():
        _normalise(sheet, report)
    problems: list[Problem] = []
    frames = {}
    for name, sheet in sheets.items():
        frames[name] = sheet.frame
        report.rows[name] = len(sheet.frame)
        problems += [p for p in check_frame(sheet.table, sheet.frame) if (p.column, p.row) not in sheet.skip]
    problems += check_rules(frames, set(official) if official is not None else None)
    lok = sheets.get("lokasi")
    if lok is None or not lok.dropped:  # with rows of lokasi left out, every link to them would look broken
        problems += check_links(frames)
    report.problems += _file_rows(problems, sheets)
    report.problems.sort(key=lambda p: (_table_order(p.file), p.row or 0))


def _table_order(label: str) -> int:
    """Position of the table a file or sheet label names (-1 for a whole workbook or an unknown file)."""
    for i, name in enumerate(TABLES):
        if label.endswith(f" sheet {name}") or Path(label).stem.strip().lower() == name:
            return i
    return -1


# --- reading a source --------------------------------------------------------------------------------------


def _table_for_name(stem: str) -> Table | None:
    key = re.sub(r"[\s\-]+", "_", stem.strip().lower())
    if key in TABLES:
        return TABLES[key]
    hits = [t for t in TABLES if t in key]
    return TABLES[max(hits, key=len)] if hits else None


def read_source(source: Path, report: Report) -> tuple[dict[str, Sheet], dict[str, dict]]:
    """Sheets of a folder of CSV files or of an .xlsx workbook, and the source files' checksums."""
    source = Path(source)
    if not source.exists():
        raise ImportFailed(f"{source} does not exist")
    files: dict[str, dict] = {}
    if source.is_dir():
        found: dict[str, Path] = {}
        for path in sorted(source.iterdir()):
            if not path.is_file() or path.suffix.lower() != ".csv":
                continue
            key = path.stem.strip().lower()
            if key not in TABLES:
                report.problems.append(Problem(path.name, None, None, "not a table of the data contract (expected "
                                                                      f"{', '.join(t + '.csv' for t in TABLES)})"))
            elif key in found:
                report.problems.append(Problem(path.name, None, None, f"a second file for table {key} "
                                                                      f"(besides {found[key].name})"))
            else:
                found[key] = path
        sheets = {}
        for table in TABLES.values():
            path = found.get(table.name)
            if path is None:
                report.problems.append(Problem(f"{table.name}.csv", None, None, "the file is missing from the folder"))
                continue
            content = _read_bytes(path)
            files[path.name] = {"bytes": len(content), "sha256": _sha(content)}
            sheet = read_csv_bytes(content, path.name, table, report)
            if sheet is not None:
                sheets[table.name] = sheet
        return sheets, files
    suffix = source.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        content = _read_bytes(source)
        files[source.name] = {"bytes": len(content), "sha256": _sha(content)}
        return read_workbook_bytes(content, source.name, report), files
    if suffix == ".xls":
        raise ImportFailed(f"{source} is an old Excel .xls file: save it as .xlsx (Excel Workbook)")
    raise ImportFailed(f"{source} is neither a folder of CSV files nor an .xlsx workbook")


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"cannot read {path}: {exc.strerror or exc}") from exc


def _sha(content: bytes) -> str:
    import hashlib

    return hashlib.sha256(content).hexdigest()


def check_source(source: Path, data_dir: Path | None = None) -> tuple[Report, dict[str, Sheet], dict[str, dict]]:
    """Read and check a source against the contract and the official code list of data_dir/reference."""
    data_dir = Path(data_dir or config.data_dir())
    official, _ = official_codes(data_dir / "reference")
    report = Report()
    sheets, files = read_source(source, report)
    check_sheets(sheets, report, official)
    return report, sheets, files


def upload_report(file_name: str, content: bytes, official: Iterable[str] | None = None) -> Report:
    """Check one uploaded file (a CSV for the table its name says, or an .xlsx workbook) without storing it."""
    report = Report()
    if official is None:
        try:
            official = official_codes()[0]
        except ImportFailed:
            official = None
    official = frozenset(official) if official is not None else None
    name = Path(file_name).name or "upload"
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        sheets = read_workbook_bytes(content, name, report)
    elif suffix == ".xls":
        report.problems.append(Problem(name, None, None, "old Excel .xls files are not supported: save it as .xlsx"))
        return report
    else:
        table = _table_for_name(Path(name).stem)
        if table is None:
            report.problems.append(Problem(name, None, None, "cannot tell which table this file is: name it after a "
                                                             f"table ({', '.join(t + '.csv' for t in TABLES)}) or "
                                                             "upload the whole .xlsx workbook"))
            return report
        sheet = read_csv_bytes(content, name, table, report)
        sheets = {table.name: sheet} if sheet is not None else {}
    check_sheets(sheets, report, official)
    return report


def check_upload(file_name: str, content: bytes) -> list[Problem]:
    """Problems of an uploaded file against the data contract (pure: nothing is stored or changed)."""
    return upload_report(file_name, content).problems


# --- typed tables ------------------------------------------------------------------------------------------


def typed_frames(sheets: dict[str, Sheet], jenis: dict[str, str]) -> dict[str, pd.DataFrame]:
    """Contract-typed frames (as in the bundled data) from checked text sheets; optional columns filled in."""
    out = {}
    for name, sheet in sheets.items():
        df, n = sheet.frame, len(sheet.frame)
        cols = {}
        for col in sheet.table.columns:
            s = df[col.name] if col.name in df else pd.Series([None] * n, dtype="str")
            if col.dtype == "int":
                cols[col.name] = pd.to_numeric(s).astype(INT_DTYPES.get(col.name, "int64")).to_numpy()
            elif col.dtype == "float":
                cols[col.name] = pd.to_numeric(s, errors="coerce").astype("float64").to_numpy()
            elif col.dtype == "bool":
                cols[col.name] = (s == "true").to_numpy(dtype=bool)
            else:
                cols[col.name] = s.astype("str").reset_index(drop=True)
        typed = pd.DataFrame(cols)
        if name == "lokasi":
            typed["jenis_desa"] = typed["jenis_desa"].fillna(typed["kode_desa"].map(jenis)).astype("str")
        if name == "luas_kumuh_tahunan":
            derived = typed["skor_kumuh"].map(lambda v: None if pd.isna(v) else config.slum_level(v))
            typed["tingkat_kumuh"] = typed["tingkat_kumuh"].fillna(derived).astype("str")
        out[name] = typed
    return out


# --- staging, swap, backups --------------------------------------------------------------------------------

RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2 RENAME_EXCHANGE); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(a))


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _ino(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _new_backup_dir(data_dir: Path) -> Path:
    root = data_dir / BACKUP_DIR
    root.mkdir(exist_ok=True)
    stamp = _stamp()
    for i in range(1000):
        path = root / (stamp if i == 0 else f"{stamp}-{i}")
        try:
            path.mkdir()
            return path
        except FileExistsError:
            continue
    raise ImportFailed(f"cannot create a backup folder in {root}")


def backups(data_dir: Path | None = None) -> list[Path]:
    """Restorable backups (folders with program/), oldest first."""
    root = Path(data_dir or config.data_dir()) / BACKUP_DIR
    if not root.is_dir():
        return []
    return sorted((p for p in root.iterdir() if p.is_dir() and (p / "program").is_dir()), key=lambda p: p.name)


class _Lock:
    """An exclusive lock on DATA/.backup/.lock (released by the kernel if the process dies)."""

    def __init__(self, data_dir: Path):
        self.path = data_dir / BACKUP_DIR / LOCK
        self.fh = None

    def __enter__(self):
        import fcntl

        self.path.parent.mkdir(exist_ok=True)
        self.fh = open(self.path, "a+")  # noqa: SIM115 - held until __exit__
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            self.fh.close()
            raise ImportFailed(f"another import or restore is running on {self.path.parent.parent}") from exc
        return self

    def __exit__(self, *exc):
        self.fh.close()


def _journal_path(data_dir: Path) -> Path:
    return data_dir / BACKUP_DIR / JOURNAL


def _swap(data_dir: Path, incoming: Path, op: str, detail: str) -> Path | None:
    """Make incoming/program and incoming/manifest.json live; the previous ones go to a new backup folder.

    Returns the backup folder (None when there was no previous data). On any exception the swap is rolled back
    before the exception propagates; if the process is killed, the journal lets `recover` roll it back.
    """
    live_prog, live_man = data_dir / "program", data_dir / "manifest.json"
    backup = _new_backup_dir(data_dir)
    had_prog, had_man = live_prog.is_dir(), live_man.is_file()
    journal = {
        "op": op, "detail": detail, "started_at": datetime.now(UTC).isoformat(), "incoming": str(incoming),
        "backup": str(backup), "had_program": had_prog, "had_manifest": had_man,
        "old_ino": _ino(live_prog) if had_prog else None, "new_ino": _ino(incoming / "program"),
    }
    try:
        if had_man:
            shutil.copy2(live_man, backup / "manifest.json")
        _write_atomic(_journal_path(data_dir), json.dumps(journal, indent=2).encode())
    except BaseException:
        shutil.rmtree(backup, ignore_errors=True)  # nothing live was touched yet
        raise
    committed = False
    try:
        _checkpoint("swap-start")
        exchanged = had_prog and _exchange(incoming / "program", live_prog)
        if not exchanged:
            if had_prog:
                os.replace(live_prog, backup / "program")
            _checkpoint("program-moved")
            os.replace(incoming / "program", live_prog)
        _fsync_dir(data_dir)
        _checkpoint("program-swapped")
        _write_atomic(live_man, (incoming / "manifest.json").read_bytes())
        _checkpoint("manifest-written")
        if exchanged:
            os.replace(incoming / "program", backup / "program")
        _fsync_dir(backup)
        _journal_path(data_dir).unlink()
        _fsync_dir(data_dir / BACKUP_DIR)
        committed = True
        _checkpoint("committed")
    except BaseException:
        if not committed:
            _rollback(data_dir, journal)
        raise
    if not (backup / "program").is_dir():
        shutil.rmtree(backup, ignore_errors=True)
        return None
    (backup / "about.json").write_text(json.dumps({"replaced_by": op, "detail": detail,
                                                   "saved_at": journal["started_at"]}, indent=2) + "\n")
    _prune(data_dir)
    return backup


def _rollback(data_dir: Path, journal: dict) -> None:
    """Undo an unfinished swap: the previous program/ and manifest.json are live again, byte for byte."""
    live_prog, live_man = data_dir / "program", data_dir / "manifest.json"
    incoming, backup = Path(journal["incoming"]), Path(journal["backup"])
    inc_prog, bak_prog = incoming / "program", backup / "program"
    where = {p: _ino(p) for p in (live_prog, inc_prog, bak_prog)}
    old_at = next((p for p, i in where.items() if journal["had_program"] and i == journal["old_ino"]), None)
    new_at = next((p for p, i in where.items() if i is not None and i == journal["new_ino"]), None)
    if journal["had_program"]:
        if old_at is None:
            raise ImportFailed(f"cannot roll back the interrupted {journal['op']}: the previous program folder is "
                               f"not where the journal {_journal_path(data_dir)} says")
        if old_at != live_prog:
            if new_at == live_prog and old_at == inc_prog:
                if not _exchange(inc_prog, live_prog):
                    tmp = incoming / "program.rollback"
                    os.replace(live_prog, tmp)
                    os.replace(inc_prog, live_prog)
                    os.replace(tmp, inc_prog)
            else:
                if live_prog.exists():
                    os.replace(live_prog, inc_prog)
                os.replace(old_at, live_prog)
    elif new_at == live_prog:
        os.replace(live_prog, inc_prog)
    if journal["had_manifest"]:
        _write_atomic(live_man, (backup / "manifest.json").read_bytes())
    elif live_man.exists():
        live_man.unlink()
    _fsync_dir(data_dir)
    shutil.rmtree(backup, ignore_errors=True)
    _journal_path(data_dir).unlink(missing_ok=True)


def recover(data_dir: Path) -> str | None:
    """Roll back a swap that was killed midway (journal left behind); a sentence saying so, or None."""
    path = _journal_path(data_dir)
    if not path.exists():
        return None
    try:
        journal = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ImportFailed(f"the journal {path} of an interrupted import cannot be read ({exc}); check "
                           f"{data_dir / 'program'} and the backups in {data_dir / BACKUP_DIR}") from exc
    _rollback(data_dir, journal)
    return (f"an interrupted {journal['op']} ({journal.get('detail', '')}, started {journal.get('started_at')}) "
            "was rolled back: the data set that was live before it is live again")


def _clean_staging(data_dir: Path) -> None:
    for path in data_dir.glob(STAGING_PREFIX + "*"):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def _prune(data_dir: Path) -> None:
    for old in backups(data_dir)[:-KEEP_BACKUPS]:
        shutil.rmtree(old, ignore_errors=True)


# --- import and restore ------------------------------------------------------------------------------------


def import_data(source: Path, data_dir: Path | None = None, dry_run: bool = False,
                log: Callable[[str], None] | None = None) -> Outcome:
    """Check SOURCE and, when it has no problem and this is not a dry run, make it the live data set."""
    log = log or (lambda _msg: None)
    data_dir = Path(data_dir or config.data_dir())
    source = Path(source)
    if not data_dir.is_dir():
        raise ImportFailed(f"the data directory {data_dir} does not exist")
    if dry_run:
        report, sheets, _ = check_source(source, data_dir)
        if report.ok:
            with tempfile.TemporaryDirectory(prefix="kotaku-dry-run-") as tmp:
                _stage(Path(tmp), sheets, data_dir, report, source, {})
        return Outcome(report)
    with _Lock(data_dir):
        note = recover(data_dir)
        if note:
            log(note)
        _clean_staging(data_dir)
        report, sheets, files = check_source(source, data_dir)
        _checkpoint("checked")
        if not report.ok:
            return Outcome(report)
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{_stamp()}-", dir=data_dir))
        try:
            manifest = _stage(staging, sheets, data_dir, report, source, files)
            if not report.ok:
                return Outcome(report)
            _checkpoint("staged")
            backup = _swap(data_dir, staging, "import", f"import of {source}")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return Outcome(report, imported=True, backup=backup, manifest=manifest)


def _stage(staging: Path, sheets: dict[str, Sheet], data_dir: Path, report: Report, source: Path,
           files: dict[str, dict]) -> dict | None:
    """Write the typed tables to staging/program and the manifest, and validate them there."""
    official, jenis = official_codes(data_dir / "reference")
    program = staging / "program"
    program.mkdir(parents=True)
    for name, df in typed_frames(sheets, jenis).items():
        write_parquet(df, program / TABLES[name].file)
    _checkpoint("written")
    problems = validate(staging, set(official))
    if problems:  # the text checks passed, so this is a conversion fault: say so rather than swap it in
        report.problems += [Problem(p.file, p.column, p.row, f"after conversion to Parquet: {p.message}")
                            for p in problems]
        return None
    return write_manifest(
        staging,
        kind="imported",
        source=str(source.resolve()),
        imported_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
        source_files=files,
        warnings=len(report.warnings),
    )


@dataclass
class Restored:
    """Result of a restore: the backup made live (None if an interrupted swap was rolled back instead)."""

    restored: Path | None
    backup: Path | None  # where the replaced data went
    manifest: dict | None
    note: str | None = None


def restore(data_dir: Path | None = None) -> Restored:
    """Make the most recent backup live; the replaced data becomes a backup, so a restore can be undone.

    If a swap was killed midway, restoring means rolling that swap back (the data live before it is live again).
    """
    data_dir = Path(data_dir or config.data_dir())
    if not data_dir.is_dir():
        raise ImportFailed(f"the data directory {data_dir} does not exist")
    with _Lock(data_dir):
        note = recover(data_dir)
        if note:
            _clean_staging(data_dir)
            return Restored(None, None, _read_manifest(data_dir), note)
        _clean_staging(data_dir)
        found = backups(data_dir)
        if not found:
            raise ImportFailed(f"there is no backup to restore in {data_dir / BACKUP_DIR}")
        chosen = found[-1]
        if not (chosen / "manifest.json").is_file():
            write_manifest(chosen, kind="restored", source=f"backup {chosen.name} (it had no manifest)")
        new_backup = _swap(data_dir, chosen, "restore", f"restore of backup {chosen.name}")
        shutil.rmtree(chosen, ignore_errors=True)
    return Restored(chosen, new_backup, _read_manifest(data_dir))


def _read_manifest(data_dir: Path) -> dict | None:
    try:
        return json.loads((data_dir / "manifest.json").read_text())
    except (OSError, ValueError):
        return None


# --- command line ------------------------------------------------------------------------------------------


def _describe(manifest: dict | None) -> str:
    if not manifest:
        return "a data set without manifest"
    when = manifest.get("imported_at") or manifest.get("generated_at") or "?"
    return f"{manifest.get('kind', '?')} data from {manifest.get('source', '?')} ({when})"


def _on_sigterm(signum, frame):  # noqa: ARG001 - signal handler signature
    raise KeyboardInterrupt


def run_cli(args) -> int:
    """`import` and `restore` subcommands; returns the exit code and never shows a traceback for user errors."""
    import signal

    out = sys.stdout
    data_dir = Path(args.data_dir or config.data_dir())
    previous = None
    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)  # a polite kill rolls back like Ctrl-C
    except ValueError:  # not the main thread
        pass
    try:
        if args.command == "restore":
            done = restore(data_dir)
            if done.note:
                print(done.note, file=out)
            else:
                print(f"restored backup {done.restored.name}: {_describe(done.manifest)} is live in {data_dir}",
                      file=out)
                if done.backup:
                    print(f"the data that was live is kept as backup {done.backup.name} "
                          "(run restore again to undo)", file=out)
            return 0
        outcome = import_data(args.source, data_dir, dry_run=args.dry_run, log=lambda m: print(m, file=out))
        report = outcome.report
        for w in report.warnings:
            print(f"warning: {w}", file=out)
        for p in report.problems:
            print(p, file=out)
        if not report.ok:
            print(f"{len(report.problems)} problem(s) in {args.source}; nothing was imported, the live data in "
                  f"{data_dir} is unchanged", file=out)
            return 1
        rows = ", ".join(f"{name} {n:,d}" for name, n in report.rows.items())
        if args.dry_run:
            print(f"dry run: {args.source} has no problem ({rows} rows); nothing was changed", file=out)
            return 0
        print(f"imported {args.source} into {data_dir / 'program'} ({rows} rows)", file=out)
        if outcome.backup:
            print(f"the previous data is kept in {outcome.backup} (undo with: python -m kotaku_data restore)",
                  file=out)
        return 0
    except ImportFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"interrupted: nothing was imported, the live data in {data_dir} is unchanged", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.strerror or exc}{f': {exc.filename}' if exc.filename else ''} (the live data is "
              "unchanged unless a message above says otherwise)", file=sys.stderr)
        return 2
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


# --- templates ---------------------------------------------------------------------------------------------


def example_frames(data_dir: Path | None = None, kabkota: tuple[str, ...] = EXAMPLE_KABKOTA,
                   per_kabkota: int = 2) -> dict[str, pd.DataFrame]:
    """A small, consistent data set from the bundled illustrative data: per kabupaten/kota its first upgrading
    and first prevention location (or the first PER_KABKOTA locations), with every year, service and survey."""
    program = Path(data_dir or config.REPO_DIR / "data") / "program"
    lok = pd.read_parquet(program / "lokasi.parquet")
    lok = lok[lok["kode_kabkota"].isin(kabkota)].sort_values("kode_desa")
    chosen = lok.groupby(["kode_kabkota", "tipe_lokasi"]).head(1)
    if per_kabkota > 2 or chosen.groupby("kode_kabkota").size().min() < per_kabkota:
        chosen = lok.groupby("kode_kabkota").head(per_kabkota)
    desa = set(chosen["kode_desa"])
    out = {"lokasi": chosen}
    for name in ("luas_kumuh_tahunan", "akses_layanan"):
        df = pd.read_parquet(program / TABLES[name].file)
        out[name] = df[df["kode_desa"].isin(desa)]
    for name in ("pokja_pkp", "kepuasan", "anggaran"):
        df = pd.read_parquet(program / TABLES[name].file)
        out[name] = df[df["kode_kabkota"].isin(kabkota)]
    return {name: out[name].reset_index(drop=True) for name in TABLES}


def _python(v: object) -> object:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and np.isnan(v):
        return None
    return v


def _workbook(frames: dict[str, pd.DataFrame] | None) -> bytes:
    """An .xlsx workbook, one sheet per table (+ petunjuk), byte-identical for the same content."""
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for table in TABLES.values():
        ws = wb.create_sheet(table.name)
        ws.append([c.name for c in table.columns])
        for cell in ws[1]:
            cell.font = bold
        ws.freeze_panes = "A2"
        for j, col in enumerate(table.columns, start=1):
            letter = get_column_letter(j)
            ws.column_dimensions[letter].width = max(12, len(col.name) + 4)
            if col.dtype == "str":
                ws.column_dimensions[letter].number_format = "@"  # codes stay text (32.70, not 32.7)
            if col.allowed:
                dv = DataValidation(type="list", formula1='"' + ",".join(map(str, col.allowed)) + '"',
                                    allow_blank=not col.required, showErrorMessage=True,
                                    error=f"{col.name}: {', '.join(map(str, col.allowed))}")
                dv.add(f"{letter}2:{letter}1048576")
                ws.add_data_validation(dv)
        if frames is not None:
            df = frames[table.name]
            for rec in df[[c.name for c in table.columns]].itertuples(index=False):
                ws.append([_python(v) for v in rec])
            for row in ws.iter_rows(min_row=2):
                for cell, col in zip(row, table.columns, strict=True):
                    if col.dtype == "str":
                        cell.number_format = "@"
    ws = wb.create_sheet(INSTRUCTIONS_SHEET)
    ws.append(["Petunjuk: isi satu sheet per tabel, baris 1 = nama kolom (jangan diubah). Sheet ini diabaikan "
               "saat impor. / One sheet per table, row 1 = column names (keep them). This sheet is ignored."])
    ws.append(["Impor / import: python -m kotaku_data import FILE.xlsx  (cek dulu / check first: --dry-run)"])
    ws.append([])
    ws.append(["tabel", "kolom", "tipe", "satuan", "wajib", "nilai yang diizinkan", "label", "keterangan"])
    for cell in ws[4]:
        cell.font = bold
    for table in TABLES.values():
        for c in table.columns:
            allowed = ", ".join(map(str, c.allowed))
            if c.min is not None or c.max is not None:
                lo, hi = ("" if v is None else f"{v:g}" for v in (c.min, c.max))
                allowed = allowed or f"{lo}..{hi}"
            if c.dtype == "bool":
                allowed = "true/false, 1/0, ya/tidak"
            ws.append([table.name, c.name, c.dtype, c.unit, "ya" if c.required else "tidak", allowed, c.label_id,
                       c.description])
    for letter, width in zip("ABCDEFGH", (20, 22, 8, 12, 8, 30, 28, 70), strict=True):
        ws.column_dimensions[letter].width = width
    wb.properties.creator = "kotaku_data"
    wb.properties.created = TEMPLATE_DATE
    buf = io.BytesIO()
    wb.save(buf)
    return _deterministic_zip(buf.getvalue())


def _deterministic_zip(content: bytes) -> bytes:
    """Same bytes for the same workbook: fixed entry times and document dates (openpyxl stamps 'now')."""
    stamp = TEMPLATE_DATE.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp.encode() + rb"\2",
                              data)
            entry = zipfile.ZipInfo(info.filename, date_time=TEMPLATE_DATE.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, data)
    return out.getvalue()


def write_templates(out_dir: Path | None = None, data_dir: Path | None = None) -> list[Path]:
    """Write the empty import template and the filled example (from the bundled data in DATA_DIR, default the
    repository's data/) to OUT_DIR (default data/templates); same input, same bytes."""
    out_dir = Path(out_dir or config.REPO_DIR / "data" / "templates")
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frames in ((TEMPLATE_FILE, None), (EXAMPLE_FILE, example_frames(data_dir))):
        path = out_dir / name
        _write_atomic(path, _workbook(frames))
        paths.append(path)
    return paths
