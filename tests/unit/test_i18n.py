"""Locale files, t() and the locale-aware formatters of kotaku_data.i18n."""

from __future__ import annotations

import ast
import json
import string
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kotaku_data import config, i18n
from kotaku_data.i18n import (
    DEFAULT_LANG,
    LANGS,
    MISSING,
    fmt_date,
    fmt_ha,
    fmt_households,
    fmt_int,
    fmt_number,
    fmt_pct,
    fmt_rp,
    label,
    normalize_lang,
    plotly_separators,
    t,
)

REPO = Path(__file__).resolve().parents[2]
LOCALES = REPO / "kotaku_data" / "locales"


def _raw(lang: str) -> dict[str, str]:
    return json.loads((LOCALES / f"{lang}.json").read_text(encoding="utf-8"))


def _placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


# --------------------------------------------------------------------------- locale files


def test_langs_and_default():
    assert LANGS == ("id", "en")
    assert DEFAULT_LANG == "id"


@pytest.mark.parametrize("lang", LANGS)
def test_locale_is_flat_object_of_nonempty_strings(lang):
    data = _raw(lang)
    assert isinstance(data, dict) and data
    for key, value in data.items():
        assert isinstance(value, str), key
        assert value.strip(), f"{lang}.json: empty string for {key!r}"
        assert value == value.strip(), f"{lang}.json: leading/trailing whitespace in {key!r}"


@pytest.mark.parametrize("lang", LANGS)
def test_locale_keys_sorted_and_well_formed(lang):
    keys = list(_raw(lang))
    assert keys == sorted(keys), f"{lang}.json: keep keys sorted (grouped by prefix)"
    for key in keys:
        assert "." in key and key == key.strip() and " " not in key, key


def test_locales_have_same_keys():
    id_keys, en_keys = set(_raw("id")), set(_raw("en"))
    assert id_keys - en_keys == set(), "missing in en.json"
    assert en_keys - id_keys == set(), "missing in id.json"


def test_placeholders_identical_per_key():
    ind, en = _raw("id"), _raw("en")
    for key in ind:
        assert _placeholders(ind[key]) == _placeholders(en[key]), key
        for name in _placeholders(ind[key]):
            assert name.isidentifier(), f"{key}: placeholder {{{name}}} must be a keyword name"


def test_all_templates_format_with_their_placeholders():
    for lang in LANGS:
        for key, template in _raw(lang).items():
            values = {name: "X" for name in _placeholders(template)}
            template.format(**values)  # must not raise
            assert t(key, lang, **values) == template.format(**values)


def test_programme_codes_all_have_labels():
    """Every code in config has a label in both languages (labels are looked up dynamically)."""
    keys = set(_raw("id"))
    expected = (
        [f"component.{c}" for c in config.COMPONENTS]
        + [f"tipe.{c}" for c in config.LOCATION_TYPES]
        + [f"dana.{c}" for c in config.FINANCIERS]
        + [f"layanan.{c}" for c in config.SERVICES]
        + [f"tingkat.{c}" for c in config.SLUM_LEVELS]
        + [f"page.{p}" for p in ("overview", "indicators", "spending", "slum_area", "profile", "methods")]
        + [f"status.{s}" for s in ("on_track", "at_risk", "off_track")]
        + [f"indicator.{i}.{part}" for i in range(1, 5) for part in ("name", "definition")]
        + [f"month.{m:02d}" for m in range(1, 13)]
        + [f"lang.{lang}" for lang in LANGS]
    )
    assert sorted(set(expected) - keys) == []


def test_seeded_wording():
    assert t("badge.illustrative", "id") == "Data ilustratif"
    assert t("badge.illustrative", "en") == "Illustrative data"
    assert t("published.label", "id") == "Angka terbitan"
    assert t("published.source", "en") == "Source"
    assert t("share.label", "id") == "Bagikan tampilan ini"
    assert t("share.label", "en") == "Share this view"
    assert [t(f"status.{s}", "id") for s in ("on_track", "at_risk", "off_track")] == [
        "Sesuai jalur",
        "Berisiko",
        "Tertinggal",
    ]
    assert t("indicator.3.definition", "id") == (
        "Terbentuk dan berfungsinya kelembagaan Pokja PKP di tingkat kabupaten/kota."
    )


# --------------------------------------------------------------------------- t(), label(), lang


def test_t_plain_and_placeholders():
    assert t("filter.province") == "Provinsi"
    assert t("filter.province", "en") == "Province"
    assert t("notice.param_dropped", "id", param="tahun", reason="format tidak valid") == (
        "Parameter URL 'tahun' diabaikan: format tidak valid"
    )
    assert t("notice.param_dropped", "en", param="year", reason="invalid format") == (
        "URL parameter 'year' ignored: invalid format"
    )
    assert t("footer.data_version", "en", version="2026.11") == "Data version: 2026.11"


def test_t_never_raises():
    assert t("no.such.key") == "no.such.key"
    assert t("no.such.key", "en", x=1) == "no.such.key"
    # missing placeholder values: template comes back unformatted instead of KeyError
    assert t("footer.data_version", "id") == "Versi data: {version}"
    # extra kwargs are ignored
    assert t("filter.all", "en", unused=1) == "All"


@pytest.mark.parametrize("bad", ["fr", "", None, 42, "xx-YY", ["en"]])
def test_unknown_lang_falls_back_to_indonesian(bad):
    assert normalize_lang(bad) == "id"
    assert t("filter.all", bad) == "Semua"
    assert fmt_ha(1234.5, bad) == "1.234,5 ha"


@pytest.mark.parametrize("value", ["en", "EN", " en ", "en-US", "en_GB"])
def test_normalize_lang_english_variants(value):
    assert normalize_lang(value) == "en"


def test_normalize_lang_indonesian_variants():
    assert normalize_lang("id") == "id"
    assert normalize_lang("id-ID") == "id"


def test_label_categorical_codes():
    assert label("tipe", "peningkatan", "id") == "Peningkatan kualitas"
    assert label("tipe", "pencegahan", "en") == "Prevention"
    assert label("dana", "ibrd", "en") == "World Bank (IBRD)"
    assert label("dana", "apbn", "id") == "APBN (Rupiah Murni)"
    assert label("layanan", "air_minum", "en") == "Drinking water"
    assert label("tingkat", "berat", "id") == "Kumuh berat"
    assert label("tingkat", "tidak_kumuh", "en") == "Not slum"
    assert label("component", 3, "en") == "Urban infrastructure and service improvements"
    assert label("component", np.int64(1), "id") == "Pengembangan kelembagaan dan kebijakan"
    assert label("component", 5.0, "en") == "Support for disaster emergency response"
    assert label("indicator", 4, "en") == "Beneficiary satisfaction"  # falls through to .name
    assert label("dana", "unknown", "en") == "dana.unknown"
    assert label("dana", None, "en") == MISSING
    assert label("dana", float("nan"), "en") == MISSING


def test_catalog_is_cached_and_read_only():
    assert i18n.catalog("id") is i18n.catalog("id")
    with pytest.raises(TypeError):
        i18n.catalog("id")["app.title"] = "x"  # type: ignore[index]


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "args, id_expected, en_expected",
    [
        ((0,), "0", "0"),
        ((7,), "7", "7"),
        ((999,), "999", "999"),
        ((1000,), "1.000", "1,000"),
        ((1234567,), "1.234.567", "1,234,567"),
        ((-1234567.891, 2), "-1.234.567,89", "-1,234,567.89"),
        ((1234.5, 1), "1.234,5", "1,234.5"),
        ((0.5, 2), "0,50", "0.50"),
        ((12.0, 1), "12,0", "12.0"),
        ((-999.96, 1), "-1.000,0", "-1,000.0"),
        ((1_000_000_000_000, 0), "1.000.000.000.000", "1,000,000,000,000"),
        ((Decimal("1234.565"), 2), "1.234,57", "1,234.57"),
        ((np.float64(1234.5), 1), "1.234,5", "1,234.5"),
        ((np.int64(-42),), "-42", "-42"),
    ],
)
def test_fmt_number(args, id_expected, en_expected):
    assert fmt_number(args[0], "id", *args[1:]) == id_expected
    assert fmt_number(args[0], "en", *args[1:]) == en_expected


@pytest.mark.parametrize(
    "value, decimals, expected",
    [
        # ties round half-up (away from zero) on the number as written, not on the binary float
        (0.05, 1, "0.1"),
        (0.15, 1, "0.2"),  # float 0.15 is 0.1499999...; naive f"{:.1f}" gives 0.1
        (0.25, 1, "0.3"),  # not banker's rounding (would be 0.2)
        (0.04999, 1, "0.0"),
        (-0.05, 1, "-0.1"),
        (2.675, 2, "2.68"),  # naive f"{:.2f}" gives 2.67
        (1.005, 2, "1.01"),
        (0.5, 0, "1"),
        (1.5, 0, "2"),
        (2.5, 0, "3"),
        (-2.5, 0, "-3"),
        (1234.45, 1, "1,234.5"),
    ],
)
def test_rounding_half_up(value, decimals, expected):
    assert fmt_number(value, "en", decimals) == expected
    assert fmt_number(value, "id", decimals) == expected.translate(str.maketrans(",.", ".,"))


@pytest.mark.parametrize("value", [-0.04, -0.0, -0.0001])
def test_no_negative_zero(value):
    assert fmt_number(value, "id", 1) == "0,0"
    assert fmt_number(value, "en", 0) == "0"


@pytest.mark.parametrize(
    "missing", [None, float("nan"), np.nan, pd.NA, pd.NaT, float("inf"), -np.inf, "abc", Decimal("NaN")]
)
def test_missing_values_render_as_dash(missing):
    assert MISSING == "–"
    for lang in LANGS:
        assert fmt_number(missing, lang) == "–"
        assert fmt_number(missing, lang, 2) == "–"
        assert fmt_int(missing, lang) == "–"
        assert fmt_ha(missing, lang) == "–"
        assert fmt_pct(missing, lang) == "–"
        assert fmt_rp(missing, lang) == "–"
        assert fmt_households(missing, lang) == "–"


def test_fmt_int():
    assert fmt_int(12345, "id") == "12.345"
    assert fmt_int(12345, "en") == "12,345"
    assert fmt_int(12345.6, "id") == "12.346"
    assert fmt_int(-11064, "en") == "-11,064"


def test_fmt_ha():
    assert fmt_ha(1234.5, "id") == "1.234,5 ha"
    assert fmt_ha(1234.5, "en") == "1,234.5 ha"
    assert fmt_ha(38431, "id") == "38.431,0 ha"
    assert fmt_ha(32221, "en", 0) == "32,221 ha"
    assert fmt_ha(-12.25, "id", 1) == "-12,3 ha"
    assert fmt_ha(0, "en") == "0.0 ha"


def test_fmt_pct_takes_percent_values():
    assert fmt_pct(84, "id") == "84,0%"
    assert fmt_pct(84, "en") == "84.0%"
    assert fmt_pct(83.95, "id") == "84,0%"
    assert fmt_pct(100, "en", 0) == "100%"
    assert fmt_pct(0.5, "id") == "0,5%"  # 0.5 means half a percent, not 50%
    assert fmt_pct(-3.25, "en", 2) == "-3.25%"
    assert fmt_pct(12.345, "id", 2) == "12,35%"


@pytest.mark.parametrize(
    "value, id_expected, en_expected",
    [
        (1.2e12, "Rp 1,2 T", "IDR 1.2 T"),
        (318.3e9, "Rp 318,3 M", "IDR 318.3 B"),
        (12.5e6, "Rp 12,5 jt", "IDR 12.5 M"),
        (1e6, "Rp 1,0 jt", "IDR 1.0 M"),
        (1e9, "Rp 1,0 M", "IDR 1.0 B"),
        (2_345.6e12, "Rp 2.345,6 T", "IDR 2,345.6 T"),
        (950_000, "Rp 950.000", "IDR 950,000"),
        (1_500.4, "Rp 1.500", "IDR 1,500"),
        (0, "Rp 0", "IDR 0"),
        (-1.2e12, "-Rp 1,2 T", "-IDR 1.2 T"),
        (-45.67e6, "-Rp 45,7 jt", "-IDR 45.7 M"),
        # the unit is picked after rounding: no "1.000,0 M"
        (999.96e9, "Rp 1,0 T", "IDR 1.0 T"),
        (999_999.6, "Rp 1,0 jt", "IDR 1.0 M"),
        (999.94e9, "Rp 999,9 M", "IDR 999.9 B"),
        (np.int64(12_500_000), "Rp 12,5 jt", "IDR 12.5 M"),
        # 0.05 edge: 12.25 jt and 12.35 jt round half-up
        (12_250_000, "Rp 12,3 jt", "IDR 12.3 M"),
        (12_350_000, "Rp 12,4 jt", "IDR 12.4 M"),
    ],
)
def test_fmt_rp(value, id_expected, en_expected):
    assert fmt_rp(value, "id") == id_expected
    assert fmt_rp(value, "en") == en_expected


def test_fmt_rp_decimals():
    assert fmt_rp(1.23456e12, "id", 2) == "Rp 1,23 T"
    assert fmt_rp(318.3e9, "en", 0) == "IDR 318 B"


def test_fmt_households():
    assert fmt_households(12345, "id") == "12.345 KK"
    assert fmt_households(12345, "en") == "12,345 households"
    assert fmt_households(1, "en") == "1 household"
    assert fmt_households(1, "id") == "1 KK"
    assert fmt_households(0, "en") == "0 households"
    assert fmt_households(2.4, "en") == "2 households"


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15), st.integers(0, 3))
def test_id_is_en_with_swapped_separators(x, decimals):
    en = fmt_number(x, "en", decimals)
    assert fmt_number(x, "id", decimals) == en.translate(str.maketrans(",.", ".,"))
    # and the English string round-trips to within half a unit of the last place
    assert abs(float(en.replace(",", "")) - x) <= 0.5 * 10**-decimals * (1 + 1e-9) + abs(x) * 1e-15


# --------------------------------------------------------------------------- dates, plotly


@pytest.mark.parametrize(
    "value, id_expected, en_expected",
    [
        (date(2026, 11, 28), "28 November 2026", "28 November 2026"),
        (date(2026, 5, 1), "1 Mei 2026", "1 May 2026"),
        (datetime(2019, 8, 17, 10, 30), "17 Agustus 2019", "17 August 2019"),
        (pd.Timestamp("2024-02-29"), "29 Februari 2024", "29 February 2024"),
        (np.datetime64("2015-12-31"), "31 Desember 2015", "31 December 2015"),
        ("2020-03-09", "9 Maret 2020", "9 March 2020"),
        (date(2021, 1, 2), "2 Januari 2021", "2 January 2021"),
        (date(2021, 6, 2), "2 Juni 2021", "2 June 2021"),
        (date(2021, 7, 2), "2 Juli 2021", "2 July 2021"),
        (date(2021, 10, 2), "2 Oktober 2021", "2 October 2021"),
    ],
)
def test_fmt_date(value, id_expected, en_expected):
    assert fmt_date(value, "id") == id_expected
    assert fmt_date(value, "en") == en_expected


def test_indonesian_month_names():
    names = [i18n.month_name(m, "id") for m in range(1, 13)]
    assert names == [
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ]  # fmt: skip


@pytest.mark.parametrize("missing", [None, pd.NaT, np.datetime64("NaT"), "not a date", 20261128])
def test_fmt_date_missing(missing):
    assert fmt_date(missing, "id") == "–"


def test_plotly_separators():
    assert plotly_separators("id") == ",."
    assert plotly_separators("en") == ".,"
    assert plotly_separators("fr") == ",."


# --------------------------------------------------------------------------- keys used in code

_SCAN_ROOTS = ("kotaku_data", "pages")


def _python_files() -> list[Path]:
    files = [p for root in _SCAN_ROOTS for p in sorted((REPO / root).rglob("*.py"))]
    if (REPO / "app.py").exists():
        files.append(REPO / "app.py")
    return files


def _literal_t_keys(source: str, filename: str = "<src>") -> list[tuple[str, int]]:
    """(key, line) for every call ``t("literal", ...)`` / ``x.t("literal")`` / ``t(key="literal")``.

    Keys built at run time (variables, f-strings, concatenation) are skipped.
    """
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = (
            func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        )
        if name != "t":
            continue
        arg = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "key"), None)
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            found.append((arg.value, node.lineno))
    return found


def test_key_scanner_finds_literal_calls_only():
    src = (
        "from kotaku_data.i18n import t\n"
        'a = t("page.overview")\n'
        "b = t('filter.all', lang)\n"
        'c = i18n.t(\n    "app.title", "en")\n'
        'd = t(key="unit.ha")\n'
        'e = t(f"tipe.{code}")\n'
        "f = t(key_var)\n"
        'g = st.t("x.y") if False else format("z.z")\n'
        'h = sort("not.a.key")\n'
    )
    keys = [k for k, _ in _literal_t_keys(src)]
    assert set(keys) == {"page.overview", "filter.all", "app.title", "unit.ha", "x.y"}


def test_every_literal_key_used_in_code_exists():
    known = set(_raw("id")) & set(_raw("en"))
    missing = []
    for path in _python_files():
        rel = path.relative_to(REPO)
        for key, line in _literal_t_keys(path.read_text(encoding="utf-8"), str(rel)):
            if key not in known:
                missing.append(f"{rel}:{line}: {key}")
    assert missing == [], "keys used in code but missing from the locale files:\n" + "\n".join(missing)
