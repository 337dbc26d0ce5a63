"""Shared fixtures of the Streamlit AppTest suite (tests/app).

Every page runs through `app.py` as the entry point (`AppTest.from_file(app.py)` then `switch_page(...)` for a
page in pages/), so the frame's translated page links resolve exactly as under `streamlit run`. URL parameters
are set on `at.query_params` before the run, as a shared link would set them.

Helpers are handed to tests as the `app` fixture (no imports from conftest, which share one module name
across test folders): `app.run(page, params)`, `app.texts(at)`, `app.metric(at, label)`, `app.assert_ok(at)`.

The expected numbers are computed independently with the data layer (`queries.*` on a fresh `Database`), then
formatted with `kotaku_data.i18n`, and compared with what the page rendered.
"""
from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from apptest_pages import run_page  # noqa: E402  (tests/app/apptest_pages.py)

from kotaku_data.data.db import Database  # noqa: E402  (after the repository is on sys.path)


@pytest.fixture(autouse=True)
def _clear_streamlit_caches() -> Iterator[None]:
    """Each test starts cold, as on a freshly started server."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="session")
def db() -> Iterator[Database]:
    """The bundled data set, opened independently of the app's cached connection."""
    database = Database()
    yield database


def texts(at: AppTest) -> str:
    """Every piece of visible text of the page (titles, headers, captions, markdown, metrics, notices), one string."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "error", "success",
                 "text", "code"):
        parts += [str(e.value) for e in getattr(at, kind)]
    for m in at.metric:
        parts += [m.label, str(m.value), str(m.delta or "")]
    for e in at.expander:
        parts.append(str(e.label))
    for tab in at.tabs:
        parts.append(str(tab.label))
    for b in at.button:
        parts.append(str(b.label))
    return "\n".join(parts)


def metric(at: AppTest, label: str):
    """The metric with this label (exactly one must exist)."""
    found = [m for m in at.metric if m.label == label]
    assert len(found) == 1, f"metric {label!r}: found {len(found)} in {[m.label for m in at.metric]}"
    return found[0]


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


class AppHelpers:
    """The helpers above, as one fixture object."""

    run = staticmethod(run_page)
    texts = staticmethod(texts)
    metric = staticmethod(metric)
    assert_ok = staticmethod(assert_ok)


@pytest.fixture
def app() -> AppHelpers:
    return AppHelpers()
