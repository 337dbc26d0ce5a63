"""Import of real data (kotaku_data.importer): reading, every kind of bad input, staging and swap, restore.

Every test works on a copy of data/ in tmp_path. Sources are written from a small consistent slice of the
bundled illustrative data (importer.example_frames: 2 kabupaten/kota, 4 locations). Row numbers in expected
problems are file rows: the header is row 1, the data row at DataFrame index i is row i + 2.
"""
from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kotaku_data import importer
from kotaku_data.data.schema import TABLES
from kotaku_data.importer import ImportFailed, check_upload, import_data, restore

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"


# --- helpers -----------------------------------------------------------------------------------------------


def copy_data(dest: Path, program: bool = True) -> Path:
    dest.mkdir(parents=True)
    shutil.copytree(DATA / "reference", dest / "reference")
    if program:
        shutil.copytree(DATA / "program", dest / "program")
        shutil.copy2(DATA / "manifest.json", dest / "manifest.json")
    return dest


def checksums(data_dir: Path) -> dict[str, str]:
    """sha256 of every file of the live data set (program/, manifest.json, reference/)."""
    out = {}
    for path in sorted(data_dir.rglob("*")):
        rel = path.relative_to(data_dir)
        if path.is_file() and rel.parts[0] not in (importer.BACKUP_DIR,) and not rel.parts[0].startswith("."):
            out[str(rel)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def leftovers(data_dir: Path) -> list[str]:
    """Staging folders and journals that must not survive an import."""
    found = [p.name for p in data_dir.glob(importer.STAGING_PREFIX + "*")]
    if (data_dir / importer.BACKUP_DIR / importer.JOURNAL).exists():
        found.append(importer.JOURNAL)
    return found


@pytest.fixture(scope="session")
def example() -> dict[str, pd.DataFrame]:
    return importer.example_frames(DATA)


@pytest.fixture
def frames(example) -> dict[str, pd.DataFrame]:
    """Editable text copies of the example tables."""
    return {name: df.astype(object).copy() for name, df in example.items()}


@pytest.fixture
def live(tmp_path) -> Path:
    return copy_data(tmp_path / "data")


def write_folder(path: Path, frames: dict[str, pd.DataFrame], **to_csv) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, df in frames.items():
        df.to_csv(path / f"{name}.csv", index=False, **to_csv)
    return path


def write_workbook(path: Path, frames: dict[str, pd.DataFrame], names: dict[str, str] | None = None) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, df in frames.items():
        ws = wb.create_sheet((names or {}).get(name, name))
        ws.append(list(df.columns))
        for rec in df.itertuples(index=False):
            ws.append([importer._python(v) for v in rec])
    wb.save(path)
    return path


def find(problems, file=None, row=None, column=None, text=""):
    hits = [p for p in problems if (file is None or p.file == file) and (row is None or p.row == row)
            and (column is None or p.column == column) and text in p.message]
    assert hits, f"no problem ({file}, row {row}, column {column}, '{text}') in:\n" + "\n".join(map(str, problems))
    return hits[0]


# --- bad input: one case per kind --------------------------------------------------------------------------
# (id, change to the source, expected file, row, column, part of the message)


def _set(name, i, col, value):
    def change(fr, _src):
        fr[name].at[i, col] = value
    return change


def _drop_col(name, col):
    def change(fr, _src):
        fr[name] = fr[name].drop(columns=[col])
    return change


def _add_col(name, col):
    def change(fr, _src):
        fr[name][col] = "x"
    return change


def _rename_code(old, new):
    def change(fr, _src):
        for df in fr.values():
            if "kode_desa" in df:
                df.loc[df["kode_desa"] == old, "kode_desa"] = new
    return change


def _duplicate(name, i):
    def change(fr, _src):
        fr[name] = pd.concat([fr[name], fr[name].iloc[[i]]], ignore_index=True)
    return change


def _raw(name, content: bytes):
    def change(_fr, src):
        (src / f"{name}.csv").write_bytes(content)
    return change


def _drop_location(code):
    def change(fr, _src):
        fr["lokasi"] = fr["lokasi"][fr["lokasi"]["kode_desa"] != code].reset_index(drop=True)
    return change


def _add_pokja(kab):
    def change(fr, _src):
        extra = fr["pokja_pkp"].iloc[[0]].assign(kode_kabkota=kab)
        fr["pokja_pkp"] = pd.concat([fr["pokja_pkp"], extra], ignore_index=True)
    return change


def _both(*changes):
    def change(fr, src):
        for c in changes:
            c(fr, src)
    return change


def _text(name, edit):
    """Edit the written CSV text of one table."""
    def change(_fr, src):
        path = src / f"{name}.csv"
        path.write_text(edit(path.read_text()))
    return change


def _remove(name):
    def change(_fr, src):
        (src / f"{name}.csv").unlink()
    return change


def _ambiguous(_fr, src):
    # a semicolon file with only whole numbers, one of them written with a thousands separator
    df = pd.read_csv(src / "kepuasan.csv", dtype=str)
    df.at[2, "responden"] = "2.062"
    df.to_csv(src / "kepuasan.csv", index=False, sep=";")


def _excel_as_csv(_fr, src):
    buf = io.BytesIO()
    openpyxl.Workbook().save(buf)
    (src / "anggaran.csv").write_bytes(buf.getvalue())


def _undefined_byte(_fr, src):
    path = src / "lokasi.csv"
    lines = path.read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b"Gegerkalong", b"Geger\x81kalong")
    path.write_bytes(b"\n".join(lines))


BAD = [
    ("missing-column", _drop_col("lokasi", "luas_kumuh_awal_ha"),
     "lokasi.csv", None, "luas_kumuh_awal_ha", "required column is missing"),
    ("extra-column", _add_col("kepuasan", "catatan"),
     "kepuasan.csv", None, "catatan", "unknown column (not in the data contract)"),
    ("text-in-number-column", _set("akses_layanan", 4, "kk_total", "banyak"),
     "akses_layanan.csv", 6, "kk_total", "'banyak' is not a number"),
    ("infinity-in-number-column", _set("anggaran", 1, "alokasi_rp", "inf"),
     "anggaran.csv", 3, "alokasi_rp", "'inf' is not a number"),
    ("not-a-whole-number", _set("kepuasan", 1, "responden", "17.5"),
     "kepuasan.csv", 3, "responden", "17.5 is not a whole number"),
    ("negative-value", _set("lokasi", 1, "luas_kumuh_awal_ha", "-3"),
     "lokasi.csv", 3, "luas_kumuh_awal_ha", "-3.0 is below the minimum 0"),
    ("unknown-category", _set("akses_layanan", 2, "layanan", "listrik"),
     "akses_layanan.csv", 4, "layanan", "'listrik' is not one of"),
    ("unknown-financier", _set("anggaran", 3, "sumber_dana", "adb"),
     "anggaran.csv", 5, "sumber_dana", "'adb' is not one of ['ibrd', 'aiib', 'isdb', 'apbn']"),
    ("year-out-of-range", _set("pokja_pkp", 9, "tahun", "2031"),
     "pokja_pkp.csv", 11, "tahun", "2031 is above the maximum 2024"),
    ("empty-required-value", _set("lokasi", 2, "tipe_lokasi", ""),
     "lokasi.csv", 4, "tipe_lokasi", "value is empty"),
    ("invalid-code-format", _rename_code("73.71.01.1001", "7371011001"),
     "lokasi.csv", 4, "kode_desa", "'7371011001' is not a valid code"),
    ("code-not-in-official-list", _rename_code("73.71.01.1001", "73.71.01.1999"),
     "lokasi.csv", 4, "kode_desa", "73.71.01.1999 is not in the official Kemendagri code list"),
    ("kelurahan-in-wrong-kabkota", _set("lokasi", 1, "kode_kabkota", "32.04"),
     "lokasi.csv", 3, "kode_kabkota", "32.73.01.1002 does not belong to kabupaten/kota 32.04"),
    ("kabkota-in-other-province", _both(_set("lokasi", 1, "kode_kabkota", "73.71")),
     "lokasi.csv", 3, "kode_prov", "73.71 does not belong to province 32"),
    ("duplicate-key", _duplicate("kepuasan", 3),
     "kepuasan.csv", 10, None, "duplicate key (kode_kabkota=32.73, tahun=2023)"),
    ("served-above-total", _set("akses_layanan", 8, "kk_terlayani", "1361"),
     "akses_layanan.csv", 10, "kk_terlayani", "households served is above total households"),
    ("satisfied-above-respondents", _set("kepuasan", 5, "puas", "1771"),
     "kepuasan.csv", 7, "puas", "more satisfied than respondents"),
    ("realised-far-above-allocation", _set("anggaran", 2, "realisasi_rp", "41438000000"),
     "anggaran.csv", 4, "realisasi_rp", "realised spending is more than 10% above the allocation"),
    ("slum-area-rising", _set("luas_kumuh_tahunan", 13, "luas_kumuh_ha", "6.5"),
     "luas_kumuh_tahunan.csv", 15, "luas_kumuh_ha", "slum area of 32.73.01.1002 rises in 2018"),
    ("prevention-with-slum-area", _set("lokasi", 0, "luas_kumuh_awal_ha", "2.5"),
     "lokasi.csv", 2, "luas_kumuh_awal_ha", "a prevention location has no baseline slum area"),
    ("functioning-not-formed",
     _both(_set("pokja_pkp", 11, "berfungsi", "ya"), _set("pokja_pkp", 11, "terbentuk", "tidak")),
     "pokja_pkp.csv", 13, "berfungsi", "functioning but not formed"),
    ("not-a-boolean", _set("pokja_pkp", 4, "terbentuk", "mungkin"),
     "pokja_pkp.csv", 6, "terbentuk", "'mungkin' is not true/false"),
    ("kode-desa-missing-from-lokasi", _drop_location("73.71.01.1001"),
     "luas_kumuh_tahunan.csv", 22, "kode_desa", "73.71.01.1001 is not in lokasi"),
    ("kabkota-without-locations", _add_pokja("32.04"),
     "pokja_pkp.csv", 22, "kode_kabkota", "kabupaten/kota 32.04 has no programme location in lokasi"),
    ("empty-file", _raw("kepuasan", b""),
     "kepuasan.csv", None, None, "the file is empty"),
    ("header-only", _raw("kepuasan", b"kode_kabkota,tahun,responden,puas\n"),
     "kepuasan.csv", None, None, "the table has no rows"),
    ("missing-file", _remove("anggaran"),
     "anggaran.csv", None, None, "the file is missing from the folder"),
    ("unknown-file", _raw("lokasi_lama", b"a,b\n1,2\n"),
     "lokasi_lama.csv", None, None, "not a table of the data contract"),
    ("unknown-delimiter", _text("kepuasan", lambda t: t.replace(",", "|")),
     "kepuasan.csv", 1, None, "cannot find the column separator in the header row (it seems to use '|')"),
    ("decimal-comma-in-comma-file", _text("lokasi", lambda t: t.replace("5.9,", "5,9,")),
     "lokasi.csv", 3, None, "this row has 12 values but the header has 11 columns; a number with a decimal comma"),
    ("ambiguous-thousands-separator", _ambiguous,
     "kepuasan.csv", 4, "responden", "'2.062' is ambiguous: it could be 2.062 or 2062"),
    ("binary-garbage", _raw("lokasi", bytes(range(256)) * 8),
     "lokasi.csv", 1, None, "the file is not a CSV text file: it contains binary data"),
    ("undecodable-byte", _undefined_byte,
     "lokasi.csv", 3, "nama_desa", "byte 0x81 cannot be read as UTF-8 or Windows-1252 text"),
    ("xlsx-renamed-csv", _excel_as_csv,
     "anggaran.csv", None, None, "this is an Excel workbook (.xlsx) saved with a .csv name"),
]


@pytest.mark.parametrize(("change", "file", "row", "column", "text"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_csv_is_reported_and_live_data_unchanged(tmp_path, live, frames, change, file, row, column, text):
    src = tmp_path / "src"
    src.mkdir()
    before = checksums(live)
    if _edits_frames(change):
        change(frames, src)
    write_folder(src, frames)
    if not _edits_frames(change):
        change(frames, src)
    outcome = import_data(src, live)
    assert not outcome.imported
    problem = find(outcome.report.problems, file, row, column, text)
    if row is not None:
        assert f"row {row}" in str(problem)
    assert checksums(live) == before
    assert leftovers(live) == []
    assert importer.backups(live) == []


def _edits_frames(change) -> bool:
    """Changes made on the frames run before the CSV files are written, the others after."""
    return change.__qualname__.startswith(("_set", "_drop_col", "_add_col", "_rename_code", "_duplicate",
                                           "_drop_location", "_add_pokja", "_both"))


def test_every_problem_is_reported_at_once(tmp_path, live, frames):
    frames["akses_layanan"].at[4, "kk_total"] = "banyak"
    frames["lokasi"].at[1, "luas_kumuh_awal_ha"] = "-3"
    frames["anggaran"].at[2, "realisasi_rp"] = "41438000000"
    src = write_folder(tmp_path / "src", frames)
    (src / "kepuasan.csv").write_bytes(b"")
    problems = import_data(src, live).report.problems
    assert {p.file for p in problems} == {"akses_layanan.csv", "lokasi.csv", "anggaran.csv", "kepuasan.csv"}
    find(problems, "akses_layanan.csv", 6, "kk_total", "not a number")
    find(problems, "lokasi.csv", 3, "luas_kumuh_awal_ha", "below the minimum")
    find(problems, "anggaran.csv", 4, "realisasi_rp", "above the allocation")
    find(problems, "kepuasan.csv", None, None, "the file is empty")


def test_rows_count_the_header_and_skipped_blank_lines(tmp_path, live, frames):
    frames["kepuasan"].at[3, "puas"] = "-1"
    src = write_folder(tmp_path / "src", frames)
    path = src / "kepuasan.csv"
    lines = path.read_text().split("\n")
    path.write_text("\n".join(lines[:2] + [""] + lines[2:]))  # a blank line after the first data row
    find(import_data(src, live).report.problems, "kepuasan.csv", 6, "puas", "below the minimum 0")


# --- accepted variants -------------------------------------------------------------------------------------


def imported_equals(live: Path, example: dict[str, pd.DataFrame]) -> None:
    for name, df in example.items():
        pd.testing.assert_frame_equal(pd.read_parquet(live / "program" / TABLES[name].file), df)


def test_clean_csv_import_swaps_in_and_keeps_a_backup(tmp_path, live, frames, example):
    before = checksums(live)
    src = write_folder(tmp_path / "src", frames)
    outcome = import_data(src, live)
    assert outcome.imported and outcome.report.ok and outcome.report.warnings == []
    imported_equals(live, example)
    manifest = json.loads((live / "manifest.json").read_text())
    assert manifest["kind"] == "imported"
    assert manifest["source"] == str(src.resolve())
    assert manifest["imported_at"]
    assert set(manifest["source_files"]) == {f"{n}.csv" for n in TABLES}
    for name, df in example.items():
        info = manifest["files"][TABLES[name].file]
        assert info["rows"] == len(df)
        assert info["sha256"] == hashlib.sha256((live / "program" / TABLES[name].file).read_bytes()).hexdigest()
    # the previous data set is kept, byte for byte
    [backup] = importer.backups(live)
    assert backup == outcome.backup
    kept = {f"program/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest() for p in (backup / "program").iterdir()}
    kept["manifest.json"] = hashlib.sha256((backup / "manifest.json").read_bytes()).hexdigest()
    assert kept == {k: v for k, v in before.items() if not k.startswith("reference")}
    assert leftovers(live) == []


def test_semicolon_and_decimal_comma_file_is_accepted(tmp_path, live, example):
    src = write_folder(tmp_path / "src", example, sep=";", decimal=",")
    assert "5,9" in (src / "lokasi.csv").read_text()
    outcome = import_data(src, live)
    assert outcome.imported, [str(p) for p in outcome.report.problems]
    imported_equals(live, example)
    w = find(outcome.report.warnings, "lokasi.csv", 2, None, "decimal commas")
    assert "Indonesian format" in w.message


def test_thousands_separators_are_read_when_the_file_shows_its_convention(tmp_path, live, example):
    src = write_folder(tmp_path / "src", example, sep=";", decimal=",")
    path = src / "anggaran.csv"
    df = pd.read_csv(path, sep=";", dtype=str)
    df.loc[0, "alokasi_rp"] = "1.118.000.000,0"  # Indonesian thousands dots next to decimal commas: 1118000000
    df.loc[1, "alokasi_rp"] = "3.693.000.000"
    df.to_csv(path, sep=";", index=False)
    assert import_data(src, live).imported
    imported_equals(live, example)


def test_tab_separated_utf8_bom_file_with_odd_header_case_is_accepted(tmp_path, live, frames, example):
    src = write_folder(tmp_path / "src", frames)
    df = frames["lokasi"].rename(columns=str.upper)
    (src / "lokasi.csv").write_bytes(df.to_csv(index=False, sep="\t").encode("utf-8-sig"))
    assert import_data(src, live).imported
    imported_equals(live, example)


def test_cp1252_file_is_read_with_a_warning_naming_the_row(tmp_path, live, frames, example):
    frames["lokasi"].at[2, "nama_desa"] = "Bontorannu Café"
    src = write_folder(tmp_path / "src", frames)
    frames["lokasi"].to_csv(src / "lokasi.csv", index=False, encoding="cp1252")
    outcome = import_data(src, live)
    assert outcome.imported
    w = find(outcome.report.warnings, "lokasi.csv", 4, None, "not UTF-8: row 4 read as Windows-1252 (cp1252)")
    assert "e.g. 'Bontorannu Café'" in w.message
    names = pd.read_parquet(live / "program" / "lokasi.parquet")["nama_desa"]
    assert names[2] == "Bontorannu Café"


def test_utf16_file_is_accepted(tmp_path, live, frames, example):
    src = write_folder(tmp_path / "src", frames)
    (src / "kepuasan.csv").write_bytes(frames["kepuasan"].to_csv(index=False, sep="\t").encode("utf-16"))
    assert import_data(src, live).imported
    imported_equals(live, example)


def test_booleans_accept_ya_tidak_and_numbers(tmp_path, live, frames, example):
    pok = frames["pokja_pkp"]
    pok["terbentuk"] = pok["terbentuk"].map({True: "Ya", False: "tidak"})
    pok["berfungsi"] = pok["berfungsi"].map({True: "1", False: "0"})
    src = write_folder(tmp_path / "src", frames)
    assert import_data(src, live).imported
    imported_equals(live, example)


def test_optional_columns_may_be_left_out(tmp_path, live, frames, example):
    frames["lokasi"] = frames["lokasi"].drop(columns=["jenis_desa", "sintetis"])
    frames["luas_kumuh_tahunan"] = frames["luas_kumuh_tahunan"].drop(columns=["tingkat_kumuh"])
    src = write_folder(tmp_path / "src", frames)
    assert import_data(src, live).imported
    # jenis_desa comes from the official list, tingkat_kumuh from the score, sintetis defaults to false
    imported_equals(live, example)


def test_two_provinces_of_bundled_data_round_trip(tmp_path, live):
    """Every location of Jawa Barat and Jawa Tengah (about 100,000 rows), exported the Indonesian-Excel way
    (';' and decimal commas), imports to the same tables. (The whole bundled set, 900,000 rows, round-trips to
    byte-identical Parquet files too; it takes about half a minute, too long for the unit suite.)"""
    tables = {name: pd.read_parquet(DATA / "program" / t.file) for name, t in TABLES.items()}
    desa = tables["lokasi"]["kode_prov"].isin(["32", "33"])
    kab = set(tables["lokasi"].loc[desa, "kode_kabkota"])
    codes = set(tables["lokasi"].loc[desa, "kode_desa"])
    part = {name: (df[df["kode_desa"].isin(codes)] if "kode_desa" in df else df[df["kode_kabkota"].isin(kab)])
            .reset_index(drop=True) for name, df in tables.items()}
    src = write_folder(tmp_path / "src", part, sep=";", decimal=",")
    outcome = import_data(src, live)
    assert outcome.imported and outcome.report.rows["akses_layanan"] > 80_000
    imported_equals(live, part)


# --- Excel -------------------------------------------------------------------------------------------------


def test_clean_workbook_import(tmp_path, live, example):
    book = write_workbook(tmp_path / "data.xlsx", example)
    outcome = import_data(book, live)
    assert outcome.imported, [str(p) for p in outcome.report.problems]
    imported_equals(live, example)
    manifest = json.loads((live / "manifest.json").read_text())
    assert manifest["kind"] == "imported" and list(manifest["source_files"]) == ["data.xlsx"]


def test_workbook_with_wrong_sheet_names(tmp_path, live, example):
    before = checksums(live)
    book = write_workbook(tmp_path / "data.xlsx", example, names={"lokasi": "Lokasi Program"})
    problems = import_data(book, live).report.problems
    find(problems, "data.xlsx", None, None, "sheet 'Lokasi Program' is not a table of the data contract "
                                            "(expected sheets: lokasi, luas_kumuh_tahunan")
    find(problems, "data.xlsx", None, None, "sheet 'lokasi' is missing")
    assert checksums(live) == before


def test_workbook_problem_names_sheet_row_and_column(tmp_path, live, frames):
    frames["anggaran"].at[5, "alokasi_rp"] = "banyak"
    book = write_workbook(tmp_path / "data.xlsx", frames)
    before = checksums(live)
    p = find(import_data(book, live).report.problems, "data.xlsx sheet anggaran", 7, "alokasi_rp", "not a number")
    assert str(p) == "data.xlsx sheet anggaran, row 7, column alokasi_rp: 'banyak' is not a number"
    assert checksums(live) == before


def test_workbook_kabkota_code_typed_as_number_is_repaired_with_a_warning(tmp_path, live, frames, example):
    frames["kepuasan"]["kode_kabkota"] = frames["kepuasan"]["kode_kabkota"].map(float)  # 32.73, 73.71
    frames["pokja_pkp"].loc[frames["pokja_pkp"]["kode_kabkota"] == "32.73", "kode_kabkota"] = 32.73
    book = write_workbook(tmp_path / "data.xlsx", frames)
    assert import_data(book, live).imported
    imported_equals(live, example)


def test_corrupt_workbook(tmp_path, live, example):
    book = write_workbook(tmp_path / "data.xlsx", example)
    book.write_bytes(book.read_bytes()[:3000])
    find(import_data(book, live).report.problems, "data.xlsx", None, None, "cannot be read as an Excel workbook")


def test_unsupported_sources_are_usage_errors(tmp_path, live):
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "one.csv").write_text("a\n")
    with pytest.raises(ImportFailed, match="old Excel .xls"):
        import_data(tmp_path / "old.xls", live)
    with pytest.raises(ImportFailed, match="neither a folder of CSV files nor an .xlsx workbook"):
        import_data(tmp_path / "one.csv", live)
    with pytest.raises(ImportFailed, match="does not exist"):
        import_data(tmp_path / "nothing", live)


# --- interrupted imports -----------------------------------------------------------------------------------

STEPS = ["checked", "written", "staged", "swap-start", "program-swapped", "manifest-written"]


@pytest.mark.parametrize("exchange", [True, False], ids=["rename-exchange", "two-renames"])
@pytest.mark.parametrize("step", STEPS + ["program-moved"])
def test_interrupt_at_any_step_leaves_live_data_identical(tmp_path, live, frames, monkeypatch, step, exchange):
    if not exchange:
        monkeypatch.setattr(importer, "_exchange", lambda a, b: False)
    elif step == "program-moved":
        pytest.skip("only the two-rename swap has this step")
    before = checksums(live)
    src = write_folder(tmp_path / "src", frames)

    def interrupt(name):
        if name == step:
            raise KeyboardInterrupt

    monkeypatch.setattr(importer, "_checkpoint", interrupt)
    with pytest.raises(KeyboardInterrupt):
        import_data(src, live)
    assert checksums(live) == before
    assert leftovers(live) == []
    assert importer.backups(live) == []


def test_killed_swap_is_rolled_back_by_the_next_import(tmp_path, live, frames, monkeypatch, example):
    """Simulate a kill (no cleanup runs) between the program swap and the manifest, then import again."""
    before = checksums(live)
    src = write_folder(tmp_path / "src", frames)

    class Killed(BaseException):
        pass

    def kill(name):
        if name == "program-swapped":
            raise Killed

    monkeypatch.setattr(importer, "_checkpoint", kill)
    monkeypatch.setattr(importer, "_rollback", lambda *a: None)  # a killed process rolls nothing back
    monkeypatch.setattr(importer.shutil, "rmtree", lambda *a, **k: None)
    with pytest.raises(Killed):
        import_data(src, live)
    monkeypatch.undo()
    assert checksums(live) != before and leftovers(live)  # half-swapped: new program, old manifest, journal
    note = importer.recover(live)
    assert "interrupted import" in note and "rolled back" in note
    assert checksums(live) == before
    assert importer.import_data(src, live).imported
    assert leftovers(live) == []
    imported_equals(live, example)


def test_second_import_while_one_runs_is_refused(tmp_path, live, frames):
    src = write_folder(tmp_path / "src", frames)
    with importer._Lock(live), pytest.raises(ImportFailed, match="another import or restore is running"):
        import_data(src, live)


def test_stale_staging_folders_are_cleaned(tmp_path, live, frames):
    stale = live / f"{importer.STAGING_PREFIX}20200101T000000000000Z-x"
    (stale / "program").mkdir(parents=True)
    (stale / "program" / "lokasi.parquet").write_bytes(b"half written")
    assert import_data(write_folder(tmp_path / "src", frames), live).imported
    assert not stale.exists()


# --- restore and dry run -----------------------------------------------------------------------------------


def test_restore_round_trip(tmp_path, live, frames):
    original = checksums(live)
    assert import_data(write_folder(tmp_path / "src", frames), live).imported
    imported = checksums(live)
    assert imported != original
    first = restore(live)
    assert checksums(live) == original
    assert first.manifest["kind"] == "illustrative"
    assert importer.backups(live) == [first.backup]
    second = restore(live)
    assert checksums(live) == imported
    assert second.manifest["kind"] == "imported"
    third = restore(live)
    assert checksums(live) == original and len(importer.backups(live)) == 1
    assert third.restored == second.backup


def test_restore_without_backup_fails_cleanly(live):
    with pytest.raises(ImportFailed, match="no backup to restore"):
        restore(live)


@pytest.mark.parametrize("step", ["swap-start", "program-swapped", "manifest-written"])
def test_interrupted_restore_keeps_both_data_sets(tmp_path, live, frames, monkeypatch, step):
    assert import_data(write_folder(tmp_path / "src", frames), live).imported
    imported = checksums(live)
    [backup] = importer.backups(live)

    def interrupt(name):
        if name == step:
            raise KeyboardInterrupt

    monkeypatch.setattr(importer, "_checkpoint", interrupt)
    with pytest.raises(KeyboardInterrupt):
        restore(live)
    monkeypatch.undo()
    assert checksums(live) == imported and importer.backups(live) == [backup] and leftovers(live) == []
    restore(live)
    assert json.loads((live / "manifest.json").read_text())["kind"] == "illustrative"


def test_dry_run_changes_nothing(tmp_path, live, frames):
    src = write_folder(tmp_path / "src", frames)
    listing = sorted(str(p.relative_to(live)) for p in live.rglob("*"))
    before = checksums(live)
    outcome = import_data(src, live, dry_run=True)
    assert outcome.report.ok and not outcome.imported
    assert checksums(live) == before
    assert sorted(str(p.relative_to(live)) for p in live.rglob("*")) == listing


def test_dry_run_reports_problems(tmp_path, live, frames):
    frames["lokasi"].at[1, "luas_kumuh_awal_ha"] = "-3"
    outcome = import_data(write_folder(tmp_path / "src", frames), live, dry_run=True)
    find(outcome.report.problems, "lokasi.csv", 3, "luas_kumuh_awal_ha", "below the minimum")


def test_old_backups_are_pruned(tmp_path, live, frames, monkeypatch):
    monkeypatch.setattr(importer, "KEEP_BACKUPS", 2)
    src = write_folder(tmp_path / "src", frames)
    for _ in range(4):
        assert import_data(src, live).imported
    assert len(importer.backups(live)) == 2


# --- templates and upload check ----------------------------------------------------------------------------


def test_templates_are_deterministic_and_committed(tmp_path):
    a = importer.write_templates(tmp_path / "a", DATA)
    b = importer.write_templates(tmp_path / "b", DATA)
    for x, y in zip(a, b, strict=True):
        assert x.read_bytes() == y.read_bytes()
        assert x.read_bytes() == (DATA / "templates" / x.name).read_bytes(), f"regenerate {x.name}"


def test_empty_template_reports_empty_tables(tmp_path, live):
    before = checksums(live)
    problems = import_data(DATA / "templates" / importer.TEMPLATE_FILE, live).report.problems
    assert [(p.file, p.message) for p in problems] == [
        (f"{importer.TEMPLATE_FILE} sheet {name}", "the table has no rows") for name in TABLES]
    assert checksums(live) == before


def test_template_headers_match_the_contract():
    wb = openpyxl.load_workbook(DATA / "templates" / importer.TEMPLATE_FILE, read_only=True)
    assert wb.sheetnames == [*TABLES, importer.INSTRUCTIONS_SHEET]
    for name, table in TABLES.items():
        assert next(wb[name].iter_rows(values_only=True)) == tuple(c.name for c in table.columns)


def test_example_imports_cleanly_into_a_fresh_data_dir(tmp_path, example):
    fresh = copy_data(tmp_path / "fresh", program=False)
    outcome = import_data(DATA / "templates" / importer.EXAMPLE_FILE, fresh)
    assert outcome.imported and outcome.report.warnings == []
    assert outcome.backup is None and importer.backups(fresh) == []  # nothing was replaced
    imported_equals(fresh, example)
    with pytest.raises(ImportFailed, match="no backup"):
        restore(fresh)


def test_check_upload_single_csv(frames):
    assert check_upload("lokasi.csv", frames["lokasi"].to_csv(index=False).encode()) == []
    frames["kepuasan"].at[1, "puas"] = "2000"
    [p] = check_upload("kepuasan (1).csv", frames["kepuasan"].to_csv(index=False, sep=";").encode())
    assert str(p) == "kepuasan (1).csv, row 3, column puas: more satisfied than respondents"


def test_check_upload_workbook_and_junk(frames):
    assert check_upload(importer.EXAMPLE_FILE, (DATA / "templates" / importer.EXAMPLE_FILE).read_bytes()) == []
    [p] = check_upload("data.csv", b"a,b\n1,2\n")
    assert "cannot tell which table this file is" in p.message
    assert "binary data" in check_upload("lokasi.csv", bytes(range(256)))[0].message
    assert "cannot be read as an Excel workbook" in check_upload("x.xlsx", b"not a zip")[0].message
    assert "the file is empty" in check_upload("anggaran.csv", b"")[0].message


def test_workbook_code_that_lost_its_trailing_zero_is_repaired(tmp_path, frames):
    frames["kepuasan"]["kode_kabkota"] = 32.7  # Excel turned the typed code 32.70 into the number 32.7
    book = write_workbook(tmp_path / "data.xlsx", frames)
    report = importer.Report()
    sheets = importer.read_workbook_bytes(book.read_bytes(), "data.xlsx", report)
    assert set(sheets["kepuasan"].frame["kode_kabkota"]) == {"32.70"}
    [w] = report.warnings
    assert str(w) == ("data.xlsx sheet kepuasan, row 2, column kode_kabkota: 8 code(s) were numbers in Excel "
                      "(e.g. 32.7) and were read as 32.70; format the column as Text")
