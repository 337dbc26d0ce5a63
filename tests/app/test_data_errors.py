"""Missing, truncated or corrupt data files: a clear page naming the file and the commands that restore or
rebuild it -- never a stack trace (issue 4). Also: the app recovers by itself once the file is back, and a new
data set (new manifest) is picked up without a restart.

Each test works on a copy of data/ in tmp_path (KOTAKU_DATA_DIR; config.data_dir() reads it at call time) and
opens the Overview and one other page through AppTest.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kotaku_data.i18n import fmt_ha

REPO = Path(__file__).resolve().parents[2]
MAIN = str(REPO / "app.py")
DATA = Path(os.environ.get("KOTAKU_DATA_DIR", REPO / "data"))
OTHER_PAGE = "pages/2_anggaran.py"
PAGES = ["app.py", OTHER_PAGE]
COMMANDS = ("python -m kotaku_data restore", "python -m kotaku_data generate")
TRACEBACK_MARKERS = ("Traceback", 'File "', "most recent call last", "Error:\n")


@pytest.fixture(scope="module", autouse=True)
def _fresh_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> Path:
    """A private copy of the live data directory, made the app's data directory for this test."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy, ignore=shutil.ignore_patterns(".backup*", ".staging*", "templates"))
    monkeypatch.setenv("KOTAKU_DATA_DIR", str(copy))
    return copy


def run_page(script: str, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=90)
    if script != "app.py":
        at.switch_page(script)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    return at


def _strings(at: AppTest) -> list[str]:
    out = []
    for kind in ("markdown", "caption", "warning", "error", "info", "success", "title", "header", "subheader",
                 "code", "text", "exception"):
        out.extend(str(e.value) for e in getattr(at, kind))
    return out


def assert_error_page(at: AppTest, filename: str, *also: str) -> str:
    """The clear data error page: no exception, an error naming `filename`, the two commands, no traceback."""
    assert not at.exception, f"exception instead of the error page: {[e.value for e in at.exception]}"
    errors = [str(e.value) for e in at.error]
    assert len(errors) == 1, f"expected one error box, got {errors}"
    assert filename in errors[0], f"the error does not name {filename}: {errors[0]}"
    for word in also:
        assert word in errors[0], f"the error does not say {word!r}: {errors[0]}"
    code = "\n".join(str(c.value) for c in at.code)
    for command in COMMANDS:
        assert command in code, f"command {command!r} not shown (code blocks: {code!r})"
    for s in _strings(at):
        for marker in TRACEBACK_MARKERS:
            assert marker not in s, f"traceback text {marker!r} on the page: {s[:300]!r}"
    return errors[0]


def assert_dashboard(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title and at.metric, "the page did not render its content"


def footer(at: AppTest) -> str:
    return next(str(c.value) for c in at.caption if "Versi data" in str(c.value) or "Data version" in str(c.value))


# --------------------------------------------------------------------------- broken at start


@pytest.mark.parametrize("script", PAGES)
def test_missing_program_file(data_copy, script):
    (data_copy / "program" / "lokasi.parquet").unlink()
    text = assert_error_page(run_page(script), "lokasi.parquet")
    assert "tidak ditemukan" in text  # "Berkas data tidak ditemukan" = file not found


@pytest.mark.parametrize("script", PAGES)
def test_truncated_program_file(data_copy, script):
    path = data_copy / "program" / "anggaran.parquet"
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])
    text = assert_error_page(run_page(script), "anggaran.parquet")
    assert "tidak valid" in text  # "Data tidak valid di ..." = invalid data, not "missing"


@pytest.mark.parametrize("script", PAGES)
def test_garbage_reference_csv(data_copy, script):
    (data_copy / "reference" / "provinsi.csv").write_bytes(os.urandom(4096))
    assert_error_page(run_page(script), "provinsi.csv")


def test_reference_csv_without_its_columns(data_copy):
    """Text that DuckDB happily reads as a CSV, but not the province table: named, with the missing columns."""
    (data_copy / "reference" / "provinsi.csv").write_text("this is ; not, a\n\"csv\" file at all\n1,2\n")
    for script in PAGES:
        assert_error_page(run_page(script), "provinsi.csv", "kode_prov")


def test_empty_program_file(data_copy):
    (data_copy / "program" / "lokasi.parquet").write_bytes(b"")
    assert_error_page(run_page("app.py"), "lokasi.parquet")


def test_program_file_without_a_required_column(data_copy):
    path = data_copy / "program" / "kepuasan.parquet"
    pd.read_parquet(path).drop(columns=["puas"]).to_parquet(path, index=False)
    assert_error_page(run_page("app.py"), "kepuasan.parquet", "puas")


def test_missing_published_figures(data_copy):
    (data_copy / "reference" / "published" / "kotaku_financing.csv").unlink()
    assert_error_page(run_page("app.py"), "kotaku_financing.csv")


def test_corrupt_province_map(data_copy):
    (data_copy / "reference" / "provinsi.geojson").write_text('{"type": "FeatureCollection", "feat')
    assert_error_page(run_page("app.py"), "provinsi.geojson")


@pytest.mark.parametrize("content", [None, "{not json", "[1, 2, 3]"], ids=["missing", "not-json", "not-object"])
def test_missing_or_corrupt_manifest_still_works(data_copy, content):
    manifest = data_copy / "manifest.json"
    if content is None:
        manifest.unlink()
    else:
        manifest.write_text(content)
    for script in PAGES:
        at = run_page(script)
        assert_dashboard(at)
        if content != "[1, 2, 3]":  # valid JSON but no object: versioned by its checksum, read as empty
            assert "Versi data: - " in footer(at), footer(at)


def test_error_page_in_english(data_copy):
    (data_copy / "program" / "lokasi.parquet").unlink()
    at = run_page("app.py", {"lang": "en"})
    text = assert_error_page(at, "lokasi.parquet")
    assert text.startswith("Data file not found"), text


# --------------------------------------------------------------------------- broken while running, and recovery


def test_recovers_when_the_file_is_restored(data_copy, tmp_path):
    path = data_copy / "program" / "lokasi.parquet"
    backup = tmp_path / "lokasi.parquet"
    shutil.move(path, backup)
    assert_error_page(run_page("app.py"), "lokasi.parquet")
    shutil.move(backup, path)
    assert_dashboard(run_page("app.py"))  # no restart, no cache to clear by hand


def test_file_damaged_while_the_app_runs(data_copy, tmp_path):
    """akses_layanan stays a view over its Parquet file: if it disappears after the data was loaded, the next
    page that reads it shows the clear error page (not a DuckDB stack trace) and recovers once it is back."""
    assert_dashboard(run_page("app.py"))  # data loaded and cached
    desa = sorted(pd.read_parquet(data_copy / "program" / "lokasi.parquet", columns=["kode_desa"])["kode_desa"])[0]
    path = data_copy / "program" / "akses_layanan.parquet"
    backup = tmp_path / "akses_layanan.parquet"
    shutil.move(path, backup)
    at = run_page("pages/4_profil_wilayah.py", {"desa": desa})
    assert_error_page(at, "akses_layanan.parquet")
    shutil.move(backup, path)
    at = run_page("pages/4_profil_wilayah.py", {"desa": desa})
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]


def _reduced_ha(data_dir: Path, prov: str, year: int = 2024) -> float:
    """Slum area reduced since 2015 in a province, straight from the Parquet files (independent of DuckDB)."""
    lok = pd.read_parquet(data_dir / "program" / "lokasi.parquet")
    yearly = pd.read_parquet(data_dir / "program" / "luas_kumuh_tahunan.parquet")
    lok = lok[lok["kode_prov"] == prov]
    end = yearly[(yearly["tahun"] == year) & yearly["kode_desa"].isin(lok["kode_desa"])]
    return float(lok["luas_kumuh_awal_ha"].sum() - end["luas_kumuh_ha"].sum())


def _slum_metric(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label.startswith("Luas kumuh"))


def test_new_data_set_is_picked_up_without_restart(data_copy):
    """Replace the data (new Parquet + new manifest, as an import or `generate` does) while the app runs: the
    next page load shows the new numbers; no restart, no cache clearing."""
    before = run_page("app.py", {"prov": "32"})
    assert_dashboard(before)
    assert _slum_metric(before) == fmt_ha(_reduced_ha(data_copy, "32"), "id")
    version_before = footer(before)

    # the new data set: every slum in Jawa Barat handled by 2024 (so the province's reduction = its baseline)
    lok = pd.read_parquet(data_copy / "program" / "lokasi.parquet")
    path = data_copy / "program" / "luas_kumuh_tahunan.parquet"
    yearly = pd.read_parquet(path)
    in_32 = yearly["kode_desa"].isin(lok.loc[lok["kode_prov"] == "32", "kode_desa"])
    yearly.loc[in_32 & (yearly["tahun"] == 2024), "luas_kumuh_ha"] = 0.0
    yearly.to_parquet(path, index=False)
    manifest = json.loads((data_copy / "manifest.json").read_text())
    manifest.update(kind="imported", imported_at="2026-01-02T03:04:05+00:00", source="test")
    (data_copy / "manifest.json").write_text(json.dumps(manifest, indent=2))

    expected = _reduced_ha(data_copy, "32")
    assert expected == pytest.approx(float(lok.loc[lok["kode_prov"] == "32", "luas_kumuh_awal_ha"].sum()))
    after = run_page("app.py", {"prov": "32"})
    assert_dashboard(after)
    assert _slum_metric(after) == fmt_ha(expected, "id")
    assert _slum_metric(after) != _slum_metric(before)
    assert footer(after) != version_before
    assert "diimpor" in footer(after) or "imported" in footer(after).lower(), footer(after)
