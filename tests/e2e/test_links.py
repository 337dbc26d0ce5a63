"""Shareable links in a real browser: filters write the URL, the URL restores the view in a new browser
context, the language switch keeps the data, presentation mode survives navigation, and the share popover
shows the current URL."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from conftest import (
    SIDEBAR,
    assert_clean,
    choose_in_selectbox,
    goto_app,
    metric_values,
    open_page,
    share_link,
    sidebar_combobox,
    table_rows,
    wait_for_app,
    wait_for_charts,
)

LOAD_MS = 90000  # the first visit of a page in a new context loads ~5 MB of JavaScript (Plotly)


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def wait_for_param(page, name: str, value: str | None, timeout: float = LOAD_MS) -> None:
    """Wait until the address bar has ?name=value (value None: the parameter is absent)."""
    page.wait_for_function(
        "([n, v]) => new URLSearchParams(location.search).get(n) === v", arg=[name, value], timeout=timeout)


def view_of(page) -> dict:
    """What a user sees of the slum-area page: selected places, headline numbers, headings, kelurahan table."""
    wait_for_charts(page, timeout=LOAD_MS)
    tables = page.locator('[data-testid="stDataFrame"]:visible')
    return {
        "prov": sidebar_combobox(page, "Provinsi").input_value(),
        "kab": sidebar_combobox(page, "Kabupaten/kota").input_value(),
        "metrics": metric_values(page),
        "headings": [h.strip() for h in page.locator('[data-testid="stMain"] h1, [data-testid="stMain"] h3')
                     .all_inner_texts()],
        "table": table_rows(page, tables.last, 5) if tables.count() else [],
        "active": page.get_by_text(re.compile(r"^Filter aktif:")).first.inner_text(),
    }


# --------------------------------------------------------------------------- 3. filter -> URL -> new context


def test_filter_changes_url_and_link_reproduces_view(app_server, page, browser):
    goto_app(page, app_server, "/luas_kumuh?tahun=2016-2024", timeout=LOAD_MS)
    before = metric_values(page)
    assert before, "no headline metrics on /luas_kumuh"

    # pick a province in the sidebar: the URL gains prov=33 and keeps the year range
    choose_in_selectbox(page, sidebar_combobox(page, "Provinsi"), "Jawa Tengah", typed="Jawa Teng")
    wait_for_param(page, "prov", "33")
    wait_for_app(page, timeout=LOAD_MS)
    assert query(page.url).get("tahun") == ["2016-2024"], page.url
    assert sidebar_combobox(page, "Provinsi").input_value() == "Jawa Tengah"
    assert metric_values(page) != before, "the headline numbers did not follow the province filter"

    # then a kota of that province: kab=33.74 joins, and the kelurahan table appears
    choose_in_selectbox(page, sidebar_combobox(page, "Kabupaten/kota"), "Kota Semarang", typed="Kota Sem")
    wait_for_param(page, "kab", "33.74")
    wait_for_app(page, timeout=LOAD_MS)
    assert query(page.url) == {"tahun": ["2016-2024"], "prov": ["33"], "kab": ["33.74"]}, page.url
    assert_clean(page)
    first = view_of(page)
    assert first["prov"] == "Jawa Tengah" and first["kab"] == "Kota Semarang", first
    assert len(first["table"]) > 1 and any(row and row[0].startswith("33.74.") for row in first["table"][1:]), \
        f"no kelurahan of Kota Semarang in the last table: {first['table']}"

    # the link, opened by someone else (new context, no shared state), shows the same view
    link = page.url
    with open_page(browser) as other:
        goto_app(other, app_server, link[len(app_server):], timeout=LOAD_MS)
        assert other.url == link
        second = view_of(other)
        assert_clean(other)
    assert second == first


# --------------------------------------------------------------------------- 4. language switch keeps the data

NUMBER = re.compile(r"\d[\d.,]*\d|\d")


def number_token(text: str) -> str:
    m = NUMBER.search(text)
    assert m, f"no number in {text!r}"
    return m.group(0)


def parse_number(text: str, lang: str) -> float:
    """'1.234,5 ha' (id) / '1,234.5 ha' (en) -> 1234.5 (the first number in the text)."""
    token = number_token(text)
    token = token.replace(".", "").replace(",", ".") if lang == "id" else token.replace(",", "")
    return float(token)


def test_language_switch_keeps_the_data(app_server, page):
    goto_app(page, app_server, "/?prov=32&tahun=2016-2024", timeout=LOAD_MS)
    assert page.locator("h1").first.inner_text().strip() == "Ringkasan"
    values_id = metric_values(page)
    assert len(values_id) >= 6, values_id

    page.locator(f'{SIDEBAR} [data-testid="stButtonGroup"] button[role="radio"]', has_text="English").click()
    wait_for_param(page, "lang", "en")
    page.locator("h1", has_text="Overview").first.wait_for(timeout=LOAD_MS)
    wait_for_app(page, timeout=LOAD_MS)
    wait_for_charts(page, timeout=LOAD_MS)
    assert_clean(page)

    assert query(page.url) == {"lang": ["en"], "tahun": ["2016-2024"], "prov": ["32"]}, page.url
    sidebar = page.locator(SIDEBAR)
    for label in ("Language", "Filters", "Province", "Year range", "Share this view"):
        assert sidebar.get_by_text(label, exact=True).count(), f"sidebar label {label!r} not in English"
    assert sidebar_combobox(page, "Province").input_value() == "West Java"

    values_en = metric_values(page)
    assert len(values_en) == len(values_id), (values_id, values_en)
    swap = str.maketrans(".,", ",.")
    for v_id, v_en in zip(values_id, values_en, strict=True):
        assert parse_number(v_id, "id") == parse_number(v_en, "en"), (v_id, v_en)
        # the same digits with the separators of the other language: 1.234,5 <-> 1,234.5
        assert number_token(v_en) == number_token(v_id).translate(swap), (v_id, v_en)
    assert values_en != values_id or not any("," in v or "." in v for v in values_id)


# --------------------------------------------------------------------------- 7. presentation mode


def test_presentation_mode(app_server, page):
    goto_app(page, app_server, "/?present=1&prov=32", timeout=LOAD_MS)
    assert_clean(page)
    assert not page.locator(SIDEBAR).is_visible(), "sidebar visible in presentation mode"
    assert not page.locator('[data-testid="stExpandSidebarButton"]').is_visible()
    exit_link = page.locator('[data-testid="stMain"] a', has_text="Keluar dari mode presentasi").first
    assert exit_link.is_visible()
    assert query(exit_link.get_attribute("href")) == {"prov": ["32"]}, exit_link.get_attribute("href")
    # larger headline numbers
    size = page.locator('[data-testid="stMetricValue"]').first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 40, f"headline number font size {size}px in presentation mode"

    # in-page navigation keeps presentation mode (and the filters)
    nav = page.locator('[data-testid="stMain"] a[href*="data_metode"]').first
    assert query(nav.get_attribute("href")).get("present") == ["1"], nav.get_attribute("href")
    nav.click()
    page.wait_for_url(re.compile(r"/data_metode\?"), timeout=LOAD_MS)
    wait_for_app(page, timeout=LOAD_MS)
    assert query(page.url) == {"prov": ["32"], "present": ["1"]}, page.url
    page.locator("h1", has_text="Metode dan sumber data").first.wait_for(timeout=LOAD_MS)
    assert not page.locator(SIDEBAR).is_visible()
    assert_clean(page)

    # leaving presentation mode brings the sidebar back, on the same page, with the same filters
    page.locator('[data-testid="stMain"] a', has_text="Keluar dari mode presentasi").first.click()
    wait_for_param(page, "present", None)
    wait_for_app(page, timeout=LOAD_MS)
    assert urlsplit(page.url).path == "/data_metode" and query(page.url) == {"prov": ["32"]}, page.url
    page.locator(SIDEBAR).wait_for(state="visible", timeout=LOAD_MS)
    assert_clean(page)


# --------------------------------------------------------------------------- 8. share link = current URL


def assert_share_link_is_url(page) -> None:
    link = share_link(page)
    shared, current = urlsplit(link), urlsplit(page.url)
    assert (shared.scheme, shared.netloc, shared.path) == (current.scheme, current.netloc, current.path), \
        f"share link {link!r} vs address bar {page.url!r}"
    assert query(link) == query(page.url), f"share link {link!r} vs address bar {page.url!r}"


def test_share_link_is_the_current_url(app_server, page):
    goto_app(page, app_server, "/anggaran?lang=en&tahun=2018-2022&dana=ibrd,aiib", timeout=LOAD_MS)
    assert_share_link_is_url(page)
    assert query(share_link(page)) == {"lang": ["en"], "tahun": ["2018-2022"], "dana": ["ibrd,aiib"]}

    # after a filter change the link follows the address bar
    choose_in_selectbox(page, sidebar_combobox(page, "Province"), "Central Java", typed="Central")
    wait_for_param(page, "prov", "33")
    wait_for_app(page, timeout=LOAD_MS)
    assert_share_link_is_url(page)

    # and after moving to another page with the sidebar navigation
    page.locator(f"{SIDEBAR} a", has_text="Slum area").first.click()
    page.wait_for_url(re.compile(r"/luas_kumuh\?"), timeout=LOAD_MS)
    wait_for_app(page, timeout=LOAD_MS)
    assert query(page.url) == {"lang": ["en"], "tahun": ["2018-2022"], "prov": ["33"], "dana": ["ibrd,aiib"]}
    assert_share_link_is_url(page)
    assert_clean(page)
