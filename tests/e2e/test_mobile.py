"""The overview on a phone (390x844): no horizontal scrolling, no exception, charts drawn."""

from __future__ import annotations

from conftest import assert_clean, goto_app, open_page, screenshot, wait_for_app, wait_for_charts

LOAD_MS = 90000
NO_HSCROLL_JS = "() => document.documentElement.scrollWidth <= window.innerWidth + 1"
# Streamlit's main area is its own scroll container: content wider than the screen would scroll sideways
# there without widening the document, so look at every element that could scroll horizontally too.
INNER_HSCROLL_JS = """() => [...document.querySelectorAll('body *')].filter(el => {
    const ox = getComputedStyle(el).overflowX;
    return (ox === 'auto' || ox === 'scroll') && el.clientWidth > 0.5 * window.innerWidth
        && el.scrollWidth > el.clientWidth + 1 && !el.closest('[data-testid="stDataFrame"]');
}).map(el => `${el.getAttribute('data-testid') || el.className}: ${el.scrollWidth} > ${el.clientWidth}`)"""


def test_overview_on_a_phone(app_server, browser):
    with open_page(browser, viewport=(390, 844), is_mobile=True, has_touch=True, device_scale_factor=2) as page:
        goto_app(page, app_server, "/?prov=32&tahun=2016-2024", timeout=LOAD_MS)
        assert wait_for_charts(page, timeout=LOAD_MS) > 0
        page.wait_for_selector('[data-testid="stPlotlyChart"] .maplibregl-canvas', timeout=LOAD_MS)
        wait_for_app(page, timeout=LOAD_MS)
        assert_clean(page)
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        screenshot(page, "overview_mobile")
        assert page.evaluate(NO_HSCROLL_JS), f"horizontal scrolling on a phone: scrollWidth/innerWidth = {widths}"
        inner = page.evaluate(INNER_HSCROLL_JS)
        assert not inner, "parts of the overview scroll sideways on a phone:\n" + "\n".join(inner)
        # the sidebar is collapsed on a phone, so the page itself uses the whole width
        assert page.locator('[data-testid="stMetricValue"]').count() >= 6
