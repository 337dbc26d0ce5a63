"""`python -m kotaku_data import|restore`: output, exit codes (0 ok, 1 problems, 2 usage/IO), no tracebacks,
and real processes killed or interrupted in the middle of the swap."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

from kotaku_data import importer
from kotaku_data.__main__ import main

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"


def copy_data(dest: Path) -> Path:
    dest.mkdir(parents=True)
    shutil.copytree(DATA / "reference", dest / "reference")
    shutil.copytree(DATA / "program", dest / "program")
    shutil.copy2(DATA / "manifest.json", dest / "manifest.json")
    return dest


def checksums(data_dir: Path) -> dict[str, str]:
    return {str(p.relative_to(data_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(data_dir.rglob("*"))
            if p.is_file() and not p.relative_to(data_dir).parts[0].startswith(".")}


@pytest.fixture
def live(tmp_path) -> Path:
    return copy_data(tmp_path / "data")


@pytest.fixture(scope="session")
def example() -> dict[str, pd.DataFrame]:
    return importer.example_frames(DATA)


@pytest.fixture
def src(tmp_path, example) -> Path:
    path = tmp_path / "src"
    path.mkdir()
    for name, df in example.items():
        df.to_csv(path / f"{name}.csv", index=False)
    return path


def run(argv, capsys) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_ok(live, src, capsys):
    code, out, err = run(["import", src, "--data-dir", live], capsys)
    assert code == 0 and err == ""
    assert f"imported {src} into {live / 'program'} (lokasi 4, luas_kumuh_tahunan 40" in out
    assert "undo with: python -m kotaku_data restore" in out
    assert json.loads((live / "manifest.json").read_text())["kind"] == "imported"


def test_import_problems_one_per_line_with_summary(live, src, capsys):
    before = checksums(live)
    df = pd.read_csv(src / "akses_layanan.csv", dtype=str)
    df.loc[4, "kk_total"] = "banyak"
    df.loc[8, "kk_terlayani"] = "99999"
    df.to_csv(src / "akses_layanan.csv", index=False)
    (src / "kepuasan.csv").write_bytes(b"")
    code, out, err = run(["import", src, "--data-dir", live], capsys)
    assert code == 1 and err == ""
    lines = out.strip().splitlines()
    assert lines[:-1] == [
        "akses_layanan.csv, row 6, column kk_total: 'banyak' is not a number",
        "akses_layanan.csv, row 10, column kk_terlayani: households served is above total households",
        "kepuasan.csv: the file is empty: expected a header row with the column names (kode_kabkota, tahun, "
        "responden, puas) and one row per record",
    ]
    assert lines[-1] == f"3 problem(s) in {src}; nothing was imported, the live data in {live} is unchanged"
    assert checksums(live) == before


def test_warnings_are_printed_and_do_not_block(live, tmp_path, example, capsys):
    src = tmp_path / "semicolon"
    src.mkdir()
    for name, df in example.items():
        df.to_csv(src / f"{name}.csv", index=False, sep=";", decimal=",")
    code, out, _ = run(["import", src, "--data-dir", live], capsys)
    assert code == 0
    assert ("warning: lokasi.csv, row 2: numbers were read with decimal commas and dots as thousands separators "
            "(Indonesian format), e.g. '0,0' = 0") in out


def test_dry_run(live, src, capsys):
    before = sorted(p for p in live.rglob("*"))
    code, out, _ = run(["import", src, "--data-dir", live, "--dry-run"], capsys)
    assert code == 0 and out.startswith(f"dry run: {src} has no problem")
    assert sorted(p for p in live.rglob("*")) == before


def test_data_dir_from_environment(live, src, capsys, monkeypatch):
    monkeypatch.setenv("KOTAKU_DATA_DIR", str(live))
    code, _, _ = run(["import", src], capsys)
    assert code == 0 and json.loads((live / "manifest.json").read_text())["kind"] == "imported"
    code, out, _ = run(["restore"], capsys)
    assert code == 0 and "restored backup" in out and "illustrative data" in out


def test_restore_cli_round_trip(live, src, capsys):
    original = checksums(live)
    assert run(["import", src, "--data-dir", live], capsys)[0] == 0
    imported = checksums(live)
    code, out, _ = run(["restore", "--data-dir", live], capsys)
    assert code == 0 and checksums(live) == original
    assert "is live in" in out and "run restore again to undo" in out
    assert run(["restore", "--data-dir", live], capsys)[0] == 0
    assert checksums(live) == imported


@pytest.mark.parametrize(("argv", "message"), [
    (["import", "{tmp}/nothing", "--data-dir", "{live}"], "does not exist"),
    (["import", "{tmp}/old.xls", "--data-dir", "{live}"], "old Excel .xls file: save it as .xlsx"),
    (["import", "{tmp}/notes.txt", "--data-dir", "{live}"], "neither a folder of CSV files nor an .xlsx workbook"),
    (["import", "{src}", "--data-dir", "{tmp}/no-data-dir"], "the data directory"),
    (["restore", "--data-dir", "{live}"], "there is no backup to restore"),
    (["restore", "--data-dir", "{tmp}/no-data-dir"], "does not exist"),
], ids=["missing-source", "xls", "not-a-table-source", "missing-data-dir", "no-backup", "restore-no-data-dir"])
def test_usage_and_io_errors_exit_2_without_traceback(tmp_path, live, src, capsys, argv, message):
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "notes.txt").write_text("hello")
    argv = [a.format(tmp=tmp_path, live=live, src=src) for a in argv]
    code, out, err = run(argv, capsys)
    assert code == 2 and message in err and err.startswith("error: ") and "Traceback" not in err + out


def test_missing_reference_list_is_an_io_error(tmp_path, src, capsys):
    bare = tmp_path / "bare"
    bare.mkdir()
    code, _, err = run(["import", src, "--data-dir", bare], capsys)
    assert code == 2 and "build-reference" in err


def test_argparse_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["import"])
    assert exc.value.code == 2


# --- real processes ----------------------------------------------------------------------------------------


def cli(*args, env=None, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kotaku_data", *map(str, args)], cwd=REPO, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}, **kw)


def wait_for_pause(proc: subprocess.Popen, step: str) -> None:
    """Block until the import reports it is paused at STEP (KOTAKU_IMPORT_PAUSE); fail after 2 minutes."""
    timer = threading.Timer(120, proc.kill)
    timer.start()
    try:
        for line in proc.stderr:
            if line.strip() == f"paused at {step}":
                return
        pytest.fail(f"the import never reached {step}: rc {proc.wait()}, {proc.stdout.read()}")
    finally:
        timer.cancel()


def test_subprocess_bad_file_exit_1_without_traceback(live, src):
    (src / "lokasi.csv").write_bytes(bytes(range(256)) * 4)
    proc = cli("import", src, "--data-dir", live)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1 and err == ""
    assert "lokasi.csv, row 1: the file is not a CSV text file: it contains binary data (byte 0x00 in this row)" in out


@pytest.mark.parametrize("step", ["program-swapped", "manifest-written"])
def test_sigkill_during_swap_then_restore_rolls_back(live, src, step):
    before = checksums(live)
    proc = cli("import", src, "--data-dir", live, env={"KOTAKU_IMPORT_PAUSE": f"{step}:120"})
    wait_for_pause(proc, step)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    # killed half-way: the new program folder is live; the journal says how to undo it
    assert (live / importer.BACKUP_DIR / importer.JOURNAL).exists()
    assert checksums(live) != before
    done = cli("restore", "--data-dir", live)
    out, err = done.communicate(timeout=300)
    assert done.returncode == 0 and err == ""
    assert "an interrupted import" in out and "was rolled back" in out
    assert checksums(live) == before
    assert not list(live.glob(importer.STAGING_PREFIX + "*")) and importer.backups(live) == []


def test_sigkill_before_swap_leaves_data_identical_and_next_import_cleans_up(live, src):
    before = checksums(live)
    proc = cli("import", src, "--data-dir", live, env={"KOTAKU_IMPORT_PAUSE": "staged:120"})
    wait_for_pause(proc, "staged")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert checksums(live) == before
    assert list(live.glob(importer.STAGING_PREFIX + "*"))  # the killed import's staging folder
    again = cli("import", src, "--data-dir", live)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, out + err
    assert not list(live.glob(importer.STAGING_PREFIX + "*"))
    assert json.loads((live / "manifest.json").read_text())["kind"] == "imported"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_during_swap_rolls_back_at_once(live, src, sig):
    before = checksums(live)
    proc = cli("import", src, "--data-dir", live, env={"KOTAKU_IMPORT_PAUSE": "program-swapped:120"})
    wait_for_pause(proc, "program-swapped")
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2
    assert "interrupted: nothing was imported" in err and "Traceback" not in err
    assert checksums(live) == before
    assert not (live / importer.BACKUP_DIR / importer.JOURNAL).exists()
    assert importer.backups(live) == [] and not list(live.glob(importer.STAGING_PREFIX + "*"))
