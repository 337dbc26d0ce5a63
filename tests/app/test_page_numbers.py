"""Every number each page renders, recorded: the guard of refactorings ("files move, behaviour does not").

Each page runs under AppTest with the default view and a filtered one, in both languages, with the tables behind
the charts opened; everything a user reads (titles, captions, markdown, metric labels/values/deltas, table cells,
the data of every chart: x, y, text, hover text, z) is collected and compared with `snapshots/page_numbers.json`.

The snapshot was recorded from the code before the re-layout of issue 9. When a change is *meant* to alter what a
page shows, record it again and review the diff of the JSON file:

    KOTAKU_UPDATE_SNAPSHOTS=1 python3 -m pytest tests/app/test_page_numbers.py
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

SNAPSHOT = Path(__file__).with_name("snapshots") / "page_numbers.json"
PAGES = {
    "overview": None,
    "indicators": "pages/1_indikator.py",
    "spending": "pages/2_anggaran.py",
    "slum_area": "pages/3_luas_kumuh.py",
    "profile": "pages/4_profil_wilayah.py",
    "methods": "pages/5_data_metode.py",
}
VIEWS = {
    "default": {},
    "filtered": {"prov": "32", "kab": "32.73", "tahun": "2017-2023", "tipe": "peningkatan", "dana": "ibrd,aiib",
                 "desa": "32.73.01.1001", "banding": "32.75", "layanan": "sanitasi"},
    "province": {"prov": "73", "tahun": "2019", "tingkat": "berat,sedang"},
}
TEXT_KINDS = ("title", "header", "subheader", "caption", "markdown", "info", "warning", "error", "success", "text")
TRACE_KEYS = ("name", "x", "y", "z", "text", "customdata", "locations", "labels", "values", "base")


def rendered(at) -> dict:
    """What a user reads on the page, as plain JSON."""
    out: dict = {kind: [str(e.value) for e in getattr(at, kind)] for kind in TEXT_KINDS}
    out["metric"] = [[m.label, str(m.value), str(m.delta or "")] for m in at.metric]
    out["dataframe"] = [json.loads(d.value.astype(str).to_json(orient="split", index=False)) for d in at.dataframe]
    out["chart"] = [
        [{k: trace[k] for k in TRACE_KEYS if k in trace} for trace in json.loads(el.proto.spec)["data"]]
        for el in at.get("plotly_chart")
    ]
    return out


def _all_views(app) -> dict:
    got = {}
    for page, script in PAGES.items():
        for view, params in VIEWS.items():
            for lang in ("id", "en"):
                at = app.run(script, {**params, "lang": lang})
                app.assert_ok(at)
                got[f"{page}/{view}/{lang}"] = rendered(at)
    return got


@pytest.fixture(scope="module")
def recorded() -> dict:
    return json.loads(SNAPSHOT.read_text(encoding="utf-8")) if SNAPSHOT.exists() else {}


def test_every_page_renders_the_recorded_numbers(app, recorded):
    got = _all_views(app)
    if os.environ.get("KOTAKU_UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(json.dumps(got, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
        pytest.skip(f"recorded {SNAPSHOT}")
    assert recorded, f"no snapshot: record one with KOTAKU_UPDATE_SNAPSHOTS=1 ({SNAPSHOT})"
    assert sorted(got) == sorted(recorded)
    for view in recorded:
        for kind in recorded[view]:
            assert got[view][kind] == recorded[view][kind], f"{view}: {kind} differs from the recorded page"
