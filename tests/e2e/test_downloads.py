"""A table download in a real browser gives a file with exactly the filtered rows and the filters in its name."""

from __future__ import annotations

import io

import pandas as pd
from conftest import REPO_ROOT, assert_clean, goto_app, table_rows

LOAD_MS = 90000


def programme_kelurahan(kode_kabkota: str) -> pd.DataFrame:
    """The programme desa/kelurahan of one kabupaten/kota, straight from the data contract file."""
    lokasi = pd.read_parquet(REPO_ROOT / "data" / "program" / "lokasi.parquet")
    return lokasi[lokasi["kode_kabkota"] == kode_kabkota]


def test_kelurahan_csv_download_has_the_filtered_rows(app_server, page):
    expected = programme_kelurahan("32.73")  # Kota Bandung
    assert len(expected) > 0

    goto_app(page, app_server, "/luas_kumuh?prov=32&kab=32.73", timeout=LOAD_MS)
    assert_clean(page)
    # the kelurahan table is the container holding the CSV button of the "kelurahan" table (key slum_kel)
    button = page.locator(".st-key-dl_csv_slum_kel button, .st-key-dl_csv_slum_kel a").first
    button.wait_for(state="visible", timeout=LOAD_MS)
    assert "Unduh CSV" in button.inner_text()
    with page.expect_download(timeout=LOAD_MS) as info:
        button.click()
    download = info.value
    assert download.failure() is None, download.failure()
    name = download.suggested_filename
    for part in ("prov-32", "kab-32.73", ".csv"):
        assert part in name, f"{part!r} not in the file name {name!r}"

    raw = download.path().read_bytes()
    df = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str)
    assert len(df) == len(expected), f"{name}: {len(df)} rows, lokasi.parquet has {len(expected)} for 32.73"
    code_col = df.columns[0]
    assert set(df[code_col]) == set(expected["kode_desa"]), f"{name}: other kelurahan than lokasi.parquet's"

    # and the table on screen says the same number of rows (aria-rowcount = header + data rows)
    grid = page.locator('[data-testid="stDataFrame"]').filter(
        has=page.locator('canvas table[aria-rowcount]')).last
    rowcount = grid.locator("canvas table").first.get_attribute("aria-rowcount")
    assert int(rowcount) - 1 == len(expected), f"table shows {rowcount} rows incl. header"
    assert table_rows(page, grid, 1)[1][0].startswith("32.73.")
    assert not page.console_errors and not page.failed_requests, (page.console_errors, page.failed_requests)
