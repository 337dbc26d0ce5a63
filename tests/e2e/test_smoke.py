"""Smoke test: the dashboard's home page renders in real headless Chromium."""

from conftest import assert_no_exception, goto_app, origin, screenshot


def test_home_renders_in_chromium(app_server, page):
    goto_app(page, app_server, "/")

    assert page.locator('[data-testid="stApp"]').count() == 1
    assert_no_exception(page)
    assert "KOTAKU" in page.title(), f"browser tab title is {page.title()!r}"

    own = origin(app_server)
    # Entries look like "<reason> <METHOD> <url>"; the URL is the last field.
    failed_elsewhere = [f for f in page.failed_requests if origin(f.rsplit(" ", 1)[-1]) != own]
    assert not failed_elsewhere, "failed requests to other origins:\n" + "\n".join(failed_elsewhere)
    external = sorted({u for u in page.requests if not u.startswith(("data:", "blob:")) and origin(u) != own})
    assert not external, "the app requested other origins (it must be self-contained):\n" + "\n".join(external)
    if page.failed_requests or page.console_errors:  # informational; shown with -rA or on failure
        print("own-origin failed requests:", *page.failed_requests, "console errors:", *page.console_errors, sep="\n")

    path = screenshot(page, "smoke_home")
    assert path.stat().st_size > 0
