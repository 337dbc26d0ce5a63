"""Running a dashboard page under Streamlit's AppTest, shared by the tests of tests/app (plain module: conftest
modules share one name across test folders, so tests do not import from them)."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from streamlit.testing.v1 import AppTest

from kotaku_data.ui.frame import TABLE_OPEN

APP = Path(__file__).resolve().parents[2] / "app.py"
TIMEOUT = 60


def run_page(page: str | None = None, params: Mapping[str, str] | None = None, tables: bool = True) -> AppTest:
    """Run `app.py` (page None) or `pages/<...>.py` with the given URL query parameters; returns the AppTest.

    With `tables`, the tables behind the charts (expanders built only when opened) are opened, as a user would:
    the page is run again with every one of them open."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if page:
        at.switch_page(page)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run(timeout=TIMEOUT)
    closed = [key for key in at.session_state.keys() if key.startswith(TABLE_OPEN)]
    if tables and closed:
        for key in closed:
            at.session_state[key] = True
        at.run(timeout=TIMEOUT)
    return at
