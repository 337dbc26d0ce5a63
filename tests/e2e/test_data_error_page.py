"""In real Chromium, on a server of its own over a copy of data/ (issue 4):

* a missing or truncated data file shows the clear error page naming the file and the restore/generate
  commands -- no stException box, no traceback -- on the Overview and on another page, and the app recovers by
  itself once the file is back (no restart);
* a new data set (`python -m kotaku_data generate --seed 7`, which rewrites manifest.json) is picked up by the
  running server on the next page load: the headline numbers change to what pandas computes from the new files.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO_ROOT, assert_no_exception, goto_app, start_app_server

from kotaku_data.i18n import fmt_ha, fmt_pct

DATA = Path(os.environ.get("KOTAKU_DATA_DIR", REPO_ROOT / "data"))
ERROR_BOX = '[data-testid="stAlertContentError"]'
COMMANDS = ("python -m kotaku_data restore", "python -m kotaku_data generate")


def copy_data(dest: Path) -> Path:
    shutil.copytree(DATA, dest, ignore=shutil.ignore_patterns(".backup*", ".staging*", "templates"))
    return dest


def body_text(page) -> str:
    return page.locator('[data-testid="stApp"]').inner_text()


def assert_error_page(page, filename: str) -> str:
    assert_no_exception(page)
    box = page.locator(ERROR_BOX)
    box.first.wait_for(timeout=20000)
    text = box.first.inner_text()
    assert filename in text, f"error box on {page.url} does not name {filename}: {text!r}"
    body = body_text(page)
    for command in COMMANDS:
        assert command in body, f"{command!r} not shown on {page.url}"
    for marker in ("Traceback", 'File "', "most recent call last"):
        assert marker not in body, f"traceback text on {page.url}"
    return text


def metric(page, label: str) -> str:
    card = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return card.locator('[data-testid="stMetricValue"]').inner_text().strip()


def number(text: str) -> float:
    """'34,588.2 ha' / '82.0%' (English format) -> float."""
    return float(re.sub(r"[^0-9.\-]", "", text))


@pytest.fixture
def data_copy(tmp_path) -> Path:
    return copy_data(tmp_path / "data")


def test_error_page_for_broken_files_and_recovery(data_copy, tmp_path, page):
    lokasi = data_copy / "program" / "lokasi.parquet"
    anggaran = data_copy / "program" / "anggaran.parquet"
    good_anggaran = anggaran.read_bytes()
    shutil.move(lokasi, tmp_path / "lokasi.parquet")
    with start_app_server(env={"KOTAKU_DATA_DIR": str(data_copy)}) as server:
        for path in ("/?lang=en", "/anggaran?lang=en&prov=32"):
            goto_app(page, server.url, path, timeout=60000)
            text = assert_error_page(page, "lokasi.parquet")
            assert "Data file not found" in text

        # lokasi back, anggaran truncated to half its bytes: the running server names the new culprit
        shutil.move(tmp_path / "lokasi.parquet", lokasi)
        anggaran.write_bytes(good_anggaran[: len(good_anggaran) // 2])
        for path in ("/?lang=en", "/luas_kumuh?lang=en"):
            goto_app(page, server.url, path, timeout=60000)
            text = assert_error_page(page, "anggaran.parquet")
            assert "Invalid data in" in text

        # everything back: the dashboard works again without a restart
        anggaran.write_bytes(good_anggaran)
        goto_app(page, server.url, "/?lang=en", timeout=60000)
        assert_no_exception(page)
        assert page.locator(ERROR_BOX).count() == 0
        page.locator('[data-testid="stMetric"]').first.wait_for(timeout=20000)
        assert "Traceback" not in server.output()


# --------------------------------------------------------------------------- a new data set, no restart


def expected_headline(data_dir: Path, prov: str) -> dict[str, float]:
    """The Overview's headline numbers for one province over the full period, computed with pandas."""
    prog = data_dir / "program"
    lok = pd.read_parquet(prog / "lokasi.parquet")
    lok = lok[lok["kode_prov"] == prov]
    yearly = pd.read_parquet(prog / "luas_kumuh_tahunan.parquet")
    end = yearly[(yearly["tahun"] == 2024) & yearly["kode_desa"].isin(lok["kode_desa"])]
    sat = pd.read_parquet(prog / "kepuasan.parquet")
    sat = sat[sat["kode_kabkota"].str[:2] == prov]
    last = sat[sat["tahun"] == sat["tahun"].max()]
    money = pd.read_parquet(prog / "anggaran.parquet")
    money = money[money["kode_kabkota"].str[:2] == prov]
    return {
        "reduced_ha": float(lok["luas_kumuh_awal_ha"].sum() - end["luas_kumuh_ha"].sum()),
        "satisfied_pct": float(100 * last["puas"].sum() / last["responden"].sum()),
        "absorption_pct": float(100 * money["realisasi_rp"].sum() / money["alokasi_rp"].sum()),
    }


def shown_headline(page) -> dict[str, str]:
    return {
        "reduced_ha": metric(page, "Slum area reduced"),
        "satisfied_pct": metric(page, "Beneficiary satisfaction"),
        "absorption_pct": metric(page, "Budget absorption"),
    }


def data_version(page) -> str:
    caption = page.get_by_text(re.compile(r"Data version: ")).first.inner_text()
    return re.search(r"Data version: (\S+)", caption).group(1)


def assert_matches(shown: dict[str, str], expected: dict[str, float]) -> None:
    assert shown["reduced_ha"] == fmt_ha(expected["reduced_ha"], "en") or abs(
        number(shown["reduced_ha"]) - expected["reduced_ha"]) <= 0.051, (shown, expected)
    for key in ("satisfied_pct", "absorption_pct"):
        assert shown[key] == fmt_pct(expected[key], "en") or abs(number(shown[key]) - expected[key]) <= 0.051, (
            key, shown, expected)


def test_new_data_set_is_picked_up_without_restart(data_copy, page):
    link = "/?lang=en&prov=32"
    with start_app_server(env={"KOTAKU_DATA_DIR": str(data_copy)}) as server:
        goto_app(page, server.url, link, timeout=60000)
        assert_no_exception(page)
        before = shown_headline(page)
        expected_before = expected_headline(data_copy, "32")
        assert_matches(before, expected_before)
        version_before = data_version(page)

        subprocess.run(
            [sys.executable, "-m", "kotaku_data", "generate", "--out", str(data_copy), "--seed", "7"],
            cwd=REPO_ROOT, env={**os.environ, "KOTAKU_DATA_DIR": str(data_copy)}, check=True,
            capture_output=True, timeout=300,
        )
        expected_after = expected_headline(data_copy, "32")
        assert expected_after != expected_before, "seed 7 gave the same numbers: the test would prove nothing"

        goto_app(page, server.url, link, timeout=60000)  # a reload, same server process
        assert_no_exception(page)
        after = shown_headline(page)
        assert_matches(after, expected_after)
        assert after != before
        manifest = (data_copy / "manifest.json").read_bytes()
        assert data_version(page) == hashlib.sha256(manifest).hexdigest()[:12] != version_before
        assert server.proc.poll() is None, "the server restarted or died"
