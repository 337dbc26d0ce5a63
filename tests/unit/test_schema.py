"""schema.validate: the committed data passes; each kind of broken data is reported at the right place.

Every test copies data/program into tmp_path, breaks one thing in one Parquet file with pandas, runs
`validate` on the copy and checks the Problem names the right file, column and (1-based data) row.
"""
from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kotaku_data.data.schema import MAX_OVERSPEND, TABLES, Problem, check_frame, data_dictionary, validate

REPO = Path(__file__).resolve().parents[2]
PROGRAM = REPO / "data" / "program"


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    """The committed tables, read once (tests pick rows from them and never change them)."""
    return {name: pd.read_parquet(PROGRAM / t.file) for name, t in TABLES.items()}


@pytest.fixture
def data_copy(tmp_path) -> Path:
    shutil.copytree(PROGRAM, tmp_path / "program")
    return tmp_path


def edit(directory: Path, table: str, change: Callable[[pd.DataFrame], pd.DataFrame | None]) -> None:
    """Read one program table, let `change` modify it (in place or by returning a new frame), write it back."""
    path = directory / "program" / TABLES[table].file
    df = pd.read_parquet(path)
    out = change(df)
    (df if out is None else out).to_parquet(path, index=False)


def found(problems: list[Problem], file: str, column: str | None, row: int | None, text: str = "") -> Problem:
    hits = [p for p in problems if p.file == file and p.column == column and p.row == row and text in p.message]
    assert hits, f"no problem at {file} / {column} / row {row} ({text!r}); got {[str(p) for p in problems[:10]]}"
    return hits[0]


def only(problems: list[Problem], file: str, column: str | None, row: int | None, text: str = "") -> Problem:
    """The problem is found and it is the only one."""
    p = found(problems, file, column, row, text)
    assert problems == [p], [str(q) for q in problems]
    return p


def first_row(df: pd.DataFrame, mask: pd.Series) -> int:
    """Index (0-based) of the first row matching mask; the Problem row is this + 1."""
    idx = np.flatnonzero(mask.to_numpy())
    assert len(idx), "fixture row not found"
    return int(idx[0])


# --- clean data ----------------------------------------------------------------------------------------------


def test_committed_data_has_no_problem(official_desa):
    assert validate(REPO / "data", official_desa) == []


def test_committed_data_has_no_problem_without_official_list():
    assert validate(REPO / "data") == []


def test_problem_reads_as_a_sentence():
    assert str(Problem("lokasi.parquet", "kode_desa", 3, "bad")) == "lokasi.parquet, row 3, column kode_desa: bad"
    assert str(Problem("kepuasan.parquet", None, None, "file is missing")) == "kepuasan.parquet: file is missing"


def test_data_dictionary_documents_every_column_of_the_committed_data(frames):
    dd = data_dictionary()
    for name, t in TABLES.items():
        documented = set(dd.loc[dd["table"] == t.file, "column"])
        assert set(frames[name].columns) == documented, name
    assert dd["label_id"].str.len().gt(0).all() and dd["label_en"].str.len().gt(0).all()


# --- columns ---------------------------------------------------------------------------------------------------


def test_missing_column(data_copy, official_desa):
    edit(data_copy, "lokasi", lambda df: df.drop(columns="tipe_lokasi"))
    only(validate(data_copy, official_desa), "lokasi.parquet", "tipe_lokasi", None, "missing")


def test_missing_optional_column_is_fine(data_copy, official_desa):
    edit(data_copy, "luas_kumuh_tahunan", lambda df: df.drop(columns=["skor_kumuh", "tingkat_kumuh"]))
    assert validate(data_copy, official_desa) == []


def test_unknown_extra_column(data_copy, official_desa):
    edit(data_copy, "kepuasan", lambda df: df.assign(catatan="x"))
    only(validate(data_copy, official_desa), "kepuasan.parquet", "catatan", None, "unknown column")


# --- values -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "column"),
    [("luas_kumuh_tahunan", "luas_kumuh_ha"), ("akses_layanan", "kk_total"), ("kepuasan", "responden")],
)
def test_text_in_a_number_column(data_copy, official_desa, frames, table, column):
    row = len(frames[table]) // 2

    def change(df):
        df[column] = df[column].astype(str)
        df.loc[row, column] = "banyak"

    edit(data_copy, table, change)
    only(validate(data_copy, official_desa), TABLES[table].file, column, row + 1, "not a number")


def test_fraction_in_a_whole_number_column(data_copy, official_desa):
    def change(df):
        df["responden"] = df["responden"].astype(float)
        df.loc[3, "responden"] = 120.5

    edit(data_copy, "kepuasan", change)
    only(validate(data_copy, official_desa), "kepuasan.parquet", "responden", 4, "whole number")


def test_text_in_a_true_false_column(data_copy, official_desa, frames):
    p = frames["pokja_pkp"]
    row = first_row(p, p["terbentuk"] & ~p["berfungsi"])  # not functioning, so no follow-on problem

    def change(df):
        df["terbentuk"] = df["terbentuk"].astype(str)
        df.loc[row, "terbentuk"] = "mungkin"

    edit(data_copy, "pokja_pkp", change)
    only(validate(data_copy, official_desa), "pokja_pkp.parquet", "terbentuk", row + 1, "true/false")


def test_value_below_minimum(data_copy, official_desa, frames):
    row = 11

    def change(df):
        df.loc[row, "kk_terlayani"] = -5

    edit(data_copy, "akses_layanan", change)
    only(validate(data_copy, official_desa), "akses_layanan.parquet", "kk_terlayani", row + 1, "below the minimum")


def test_value_above_maximum(data_copy, official_desa, frames):
    lok = frames["lokasi"]
    row = first_row(lok, lok["tipe_lokasi"] == "peningkatan")

    def change(df):
        df.loc[row, "luas_kumuh_awal_ha"] = 2500.0

    edit(data_copy, "lokasi", change)
    only(validate(data_copy, official_desa), "lokasi.parquet", "luas_kumuh_awal_ha", row + 1, "above the maximum")


def test_year_outside_the_programme_period(data_copy, official_desa):
    def change(df):
        df.loc[2, "tahun"] = 2031

    edit(data_copy, "kepuasan", change)
    only(validate(data_copy, official_desa), "kepuasan.parquet", "tahun", 3, "above the maximum")


def test_unknown_category_text(data_copy, official_desa):
    def change(df):
        df.loc[5, "tipe_lokasi"] = "relokasi"

    edit(data_copy, "lokasi", change)
    only(validate(data_copy, official_desa), "lokasi.parquet", "tipe_lokasi", 6, "not one of")


def test_unknown_category_number(data_copy, official_desa):
    def change(df):
        df.loc[9, "komponen"] = 7

    edit(data_copy, "anggaran", change)
    only(validate(data_copy, official_desa), "anggaran.parquet", "komponen", 10, "not one of")


def test_unknown_financier(data_copy, official_desa):
    def change(df):
        df.loc[0, "sumber_dana"] = "adb"

    edit(data_copy, "lokasi", change)
    only(validate(data_copy, official_desa), "lokasi.parquet", "sumber_dana", 1, "not one of")


def test_malformed_kabkota_code(data_copy, official_desa):
    def change(df):
        df.loc[4, "kode_kabkota"] = "3273"

    edit(data_copy, "kepuasan", change)
    only(validate(data_copy, official_desa), "kepuasan.parquet", "kode_kabkota", 5, "not a valid code")


def test_malformed_desa_code(data_copy, official_desa, frames):
    row = 20
    code = frames["lokasi"].at[row, "kode_desa"]
    bad = code[:6] + code[7:]  # '11.71.2.2002': one digit short in the kecamatan part

    def change(df):
        df.loc[row, "kode_desa"] = bad

    edit(data_copy, "lokasi", change)
    problems = validate(data_copy, official_desa)
    found(problems, "lokasi.parquet", "kode_desa", row + 1, "not a valid code")
    # a malformed code is not in the official list either; nothing else is reported
    found(problems, "lokasi.parquet", "kode_desa", row + 1, "official")
    assert len(problems) == 2


def test_code_not_in_the_official_list(data_copy, official_desa, frames):
    row = 30
    code = frames["lokasi"].at[row, "kode_desa"]
    fake = code[:9] + "9999"  # well-formed, same kecamatan, but no such desa/kelurahan
    assert fake not in official_desa

    def change(df):
        df.loc[row, "kode_desa"] = fake

    edit(data_copy, "lokasi", change)
    only(validate(data_copy, official_desa), "lokasi.parquet", "kode_desa", row + 1, "official")
    # without an official list the same data passes
    assert validate(data_copy) == []


def test_synthetic_code_outside_the_official_list_is_accepted(data_copy, official_desa, frames):
    row = 30
    code = frames["lokasi"].at[row, "kode_desa"]

    def change(df):
        df.loc[row, "kode_desa"] = code[:6] + "99" + code[8:]
        df.loc[row, "sintetis"] = True

    edit(data_copy, "lokasi", change)
    assert validate(data_copy, official_desa) == []


def test_kelurahan_not_in_its_kabupaten_kota(data_copy, official_desa, frames):
    lok = frames["lokasi"]
    row = first_row(lok, lok["kode_kabkota"] == "32.73")
    other = next(k for k in lok["kode_kabkota"].unique() if k.startswith("32.") and k != "32.73")

    def change(df):
        df.loc[row, "kode_kabkota"] = other

    edit(data_copy, "lokasi", change)
    p = only(validate(data_copy, official_desa), "lokasi.parquet", "kode_kabkota", row + 1, "does not belong")
    assert lok.at[row, "kode_desa"] in p.message and other in p.message


def test_kabupaten_kota_not_in_its_province(data_copy, official_desa):
    def change(df):
        df.loc[2, "kode_prov"] = "99"

    edit(data_copy, "lokasi", change)
    only(validate(data_copy, official_desa), "lokasi.parquet", "kode_prov", 3, "does not belong")


def test_duplicate_key(data_copy, official_desa, frames):
    lok = frames["lokasi"]
    # two locations of the same kecamatan: give the second the first one's code
    same = lok[lok["kode_desa"].str[:8] == lok.at[100, "kode_desa"][:8]]
    first, second = int(same.index[0]), int(same.index[1])

    def change(df):
        df.loc[second, "kode_desa"] = df.at[first, "kode_desa"]

    edit(data_copy, "lokasi", change)
    # a duplicate is a row problem (column None); the message names the key column(s) and value(s)
    p = only(validate(data_copy, official_desa), "lokasi.parquet", None, second + 1, "duplicate key")
    assert f"kode_desa={lok.at[first, 'kode_desa']}" in p.message


def test_duplicate_compound_key(data_copy, official_desa):
    def change(df):
        df.loc[1, "tahun"] = df.at[0, "tahun"]  # two rows of one kabupaten/kota for the same year

    edit(data_copy, "pokja_pkp", change)
    p = only(validate(data_copy, official_desa), "pokja_pkp.parquet", None, 2, "duplicate key")
    assert "kode_kabkota=" in p.message and "tahun=" in p.message


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [("lokasi", "nama_desa", ""), ("lokasi", "nama_desa", "   "), ("lokasi", "nama_desa", None),
     ("luas_kumuh_tahunan", "luas_kumuh_ha", np.nan), ("anggaran", "alokasi_rp", None)],
)
def test_empty_value(data_copy, official_desa, table, column, value):
    row = 40

    def change(df):
        df.loc[row, column] = value

    edit(data_copy, table, change)
    only(validate(data_copy, official_desa), TABLES[table].file, column, row + 1, "empty")


# --- rules across columns ------------------------------------------------------------------------------------


def test_served_above_total(data_copy, official_desa, frames):
    row = 1234
    total = int(frames["akses_layanan"].at[row, "kk_total"])

    def change(df):
        df.loc[row, "kk_terlayani"] = total + 10

    edit(data_copy, "akses_layanan", change)
    only(validate(data_copy, official_desa), "akses_layanan.parquet", "kk_terlayani", row + 1, "above total")


def test_satisfied_above_respondents(data_copy, official_desa, frames):
    row = 17

    def change(df):
        df.loc[row, "puas"] = df.at[row, "responden"] + 1

    edit(data_copy, "kepuasan", change)
    only(validate(data_copy, official_desa), "kepuasan.parquet", "puas", row + 1, "more satisfied")


def test_realised_far_above_allocated(data_copy, official_desa, frames):
    row = 50
    alloc = float(frames["anggaran"].at[row, "alokasi_rp"])
    assert alloc > 0

    def change(df):
        df.loc[row, "realisasi_rp"] = alloc * 1.5
        df.loc[row + 1, "realisasi_rp"] = float(df.at[row + 1, "alokasi_rp"]) * (1 + MAX_OVERSPEND / 2)  # tolerated

    edit(data_copy, "anggaran", change)
    only(validate(data_copy, official_desa), "anggaran.parquet", "realisasi_rp", row + 1, "above the allocation")


def test_slum_area_rising(data_copy, official_desa, frames):
    y = frames["luas_kumuh_tahunan"]
    row = first_row(y, (y["tahun"] == 2020) & (y["luas_kumuh_ha"] > 1))
    code = y.at[row, "kode_desa"]

    def change(df):
        df.loc[row, "luas_kumuh_ha"] = float(df.at[row, "luas_kumuh_ha"]) + 100  # above the end of 2019

    edit(data_copy, "luas_kumuh_tahunan", change)
    p = only(validate(data_copy, official_desa), "luas_kumuh_tahunan.parquet", "luas_kumuh_ha", row + 1, "rises")
    assert code in p.message and "2020" in p.message


def test_slum_area_rising_found_in_unsorted_rows(data_copy, official_desa, frames):
    """Row order does not matter: the rows of the file are shuffled, the reported row is still the edited one."""
    y = frames["luas_kumuh_tahunan"]
    row = first_row(y, (y["tahun"] == 2018) & (y["luas_kumuh_ha"] > 1))
    order = np.random.default_rng(0).permutation(len(y))
    new_row = int(np.flatnonzero(order == row)[0])

    def change(df):
        df.loc[row, "luas_kumuh_ha"] = float(df.at[row, "luas_kumuh_ha"]) + 100
        return df.iloc[order].reset_index(drop=True)

    edit(data_copy, "luas_kumuh_tahunan", change)
    only(validate(data_copy, official_desa), "luas_kumuh_tahunan.parquet", "luas_kumuh_ha", new_row + 1, "rises")


def test_prevention_location_with_slum_area(data_copy, official_desa, frames):
    lok = frames["lokasi"]
    row = first_row(lok, lok["tipe_lokasi"] == "pencegahan")

    def change(df):
        df.loc[row, "luas_kumuh_awal_ha"] = 3.0

    edit(data_copy, "lokasi", change)
    only(validate(data_copy, official_desa), "lokasi.parquet", "luas_kumuh_awal_ha", row + 1, "prevention")


def test_functioning_but_not_formed(data_copy, official_desa, frames):
    p = frames["pokja_pkp"]
    row = first_row(p, ~p["terbentuk"])

    def change(df):
        df.loc[row, "berfungsi"] = True

    edit(data_copy, "pokja_pkp", change)
    only(validate(data_copy, official_desa), "pokja_pkp.parquet", "berfungsi", row + 1, "not formed")


# --- files ---------------------------------------------------------------------------------------------------


def test_missing_file(data_copy, official_desa):
    (data_copy / "program" / "kepuasan.parquet").unlink()
    only(validate(data_copy, official_desa), "kepuasan.parquet", None, None, "missing")


def test_every_file_missing(tmp_path):
    problems = validate(tmp_path)
    assert sorted(p.file for p in problems) == sorted(t.file for t in TABLES.values())
    assert all("missing" in p.message for p in problems)


def test_unreadable_file(data_copy, official_desa):
    path = data_copy / "program" / "anggaran.parquet"
    path.write_bytes(b"this is not a parquet file\n" * 10)
    only(validate(data_copy, official_desa), "anggaran.parquet", None, None, "cannot be read")


def test_truncated_file(data_copy, official_desa):
    path = data_copy / "program" / "luas_kumuh_tahunan.parquet"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    only(validate(data_copy, official_desa), "luas_kumuh_tahunan.parquet", None, None, "cannot be read")


def test_empty_table(data_copy, official_desa):
    edit(data_copy, "pokja_pkp", lambda df: df.iloc[0:0])
    only(validate(data_copy, official_desa), "pokja_pkp.parquet", None, None, "no rows")


def test_several_problems_are_all_reported(data_copy, official_desa):
    (data_copy / "program" / "kepuasan.parquet").unlink()

    def change(df):
        df.loc[0, "layanan"] = "listrik"
        df.loc[1, "kk_terlayani"] = df.at[1, "kk_total"] + 1

    edit(data_copy, "akses_layanan", change)
    problems = validate(data_copy, official_desa)
    found(problems, "kepuasan.parquet", None, None, "missing")
    found(problems, "akses_layanan.parquet", "layanan", 1, "not one of")
    found(problems, "akses_layanan.parquet", "kk_terlayani", 2, "above total")
    assert len(problems) == 3


def test_check_frame_reports_at_most_twenty_rows_per_kind():
    t = TABLES["kepuasan"]
    df = pd.DataFrame({"kode_kabkota": ["32.73"] * 50, "tahun": range(1950, 2000), "responden": 10, "puas": 5})
    problems = [p for p in check_frame(t, df) if "minimum" in p.message]
    assert [p.row for p in problems] == list(range(1, 21))
