"""Every page, opened from a filtered deep link on the session's freshly started server, in both languages.

For each (page, language): no exception box, no failed network request, no console error; every Plotly chart
drawn; the MapLibre province map drawn where the page has one; the illustrative-data badge visible where the
page shows monitoring data; the page title in the link's language. A full-page screenshot of each is saved to
the git-ignored screenshots/ folder as <page_id>_<lang>.png.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from conftest import assert_clean, goto_app, screenshot, wait_for_app, wait_for_charts


@dataclass(frozen=True)
class PageCase:
    id: str  # kotaku_data.ui.frame.PAGES id
    path: str
    title: dict[str, str]  # page title (h1) per language, from the locale files
    charts: bool  # the page must show at least one Plotly chart
    map: bool  # the page must show the MapLibre province map
    illustrative: bool = True  # the page shows monitoring data, so it carries the badge


PAGES = (
    PageCase("overview", "/", {"id": "Ringkasan", "en": "Overview"}, charts=True, map=True),
    PageCase("indicators", "/indikator", {"id": "Indikator hasil", "en": "Outcome indicators"}, charts=True,
             map=False),
    PageCase("spending", "/anggaran", {"id": "Anggaran dan belanja", "en": "Budget and spending"}, charts=True,
             map=False),
    PageCase("slum_area", "/luas_kumuh", {"id": "Luas kawasan kumuh", "en": "Slum area"}, charts=True, map=True),
    PageCase("profile", "/profil_wilayah", {"id": "Profil wilayah", "en": "Area profile"}, charts=True, map=False),
    # Data & Methods documents the data but shows no monitoring figures: no badge in its header (the footer
    # still names the kind of data)
    PageCase("methods", "/data_metode", {"id": "Metode dan sumber data", "en": "Methods and data sources"},
             charts=False, map=False, illustrative=False),
)

# One deep link per language, each with filters (README "Shareable links").
LINKS = {
    "id": "prov=32&kab=32.73&tahun=2016-2024&tipe=peningkatan",
    "en": "lang=en&prov=33",
}
BADGE = {"id": "Data ilustratif", "en": "Illustrative data"}
FOOTER_KIND = {"id": "Data pemantauan ilustratif (dibangkitkan)", "en": "Illustrative monitoring data (generated)"}
MAP_CANVAS = '[data-testid="stPlotlyChart"] .maplibregl-canvas'
LOAD_MS = 90000  # generous: a new context loads ~5 MB of JavaScript (Plotly), slow on a busy CI machine


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("case", PAGES, ids=[p.id for p in PAGES])
def test_deep_link_renders(app_server, page, case: PageCase, lang: str):
    goto_app(page, app_server, f"{case.path}?{LINKS[lang]}", timeout=LOAD_MS)
    assert_clean(page)

    h1 = page.locator("h1").first
    h1.wait_for(timeout=LOAD_MS)
    assert case.title[lang] in h1.inner_text(), f"title on {page.url}: {h1.inner_text()!r}"

    n_charts = wait_for_charts(page, timeout=LOAD_MS)
    if case.charts:
        assert n_charts > 0, f"no Plotly chart on {page.url}"
    if case.map:
        page.wait_for_selector(MAP_CANVAS, state="visible", timeout=LOAD_MS)
        box = page.locator(MAP_CANVAS).first.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 200, f"map canvas too small on {page.url}: {box}"
    if case.illustrative:
        badge = page.locator(".stMarkdownBadge:visible", has_text=BADGE[lang]).first
        badge.wait_for(state="visible", timeout=LOAD_MS)
    footer = page.get_by_text(FOOTER_KIND[lang]).last
    footer.scroll_into_view_if_needed()
    assert footer.is_visible(), f"footer without the kind of data on {page.url}"

    # the app settles (maps and charts may trigger a rerun when they report their size) and is still clean
    wait_for_app(page, timeout=LOAD_MS)
    assert_clean(page)
    screenshot(page, f"{case.id}_{lang}")
