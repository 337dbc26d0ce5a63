"""The URL contract of kotaku_data.filters: parse_query / to_query round trip, malformed links, chips."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kotaku_data import config, i18n
from kotaku_data.filters import (
    NOTICE_VALUE_LEN,
    PARAMS,
    REASONS,
    Filters,
    Known,
    Notice,
    ViewState,
    describe,
    parse_query,
    to_query,
    to_query_string,
)

LOCALES = Path(__file__).resolve().parents[2] / "kotaku_data" / "locales"

KNOWN = Known(
    provinces=frozenset({"31", "32", "33", "35"}),
    kabkota=frozenset({"31.71", "32.04", "32.73", "33.74", "35.78"}),
    desa=frozenset({"32.73.01.1001", "32.73.02.1005", "32.04.10.2001", "33.74.01.1001", "35.78.05.1002"}),
)
ALL_REGIONS = sorted(KNOWN.provinces | KNOWN.kabkota | KNOWN.desa)
FULL = (config.FIRST_YEAR, config.LAST_YEAR)


def parse(params):
    return parse_query(params, KNOWN)


def reasons(notices: list[Notice], param: str) -> list[str]:
    return [n.reason_key for n in notices if n.param == param]


def assert_valid(state: ViewState, known: Known = KNOWN) -> None:
    """Every code in the state is a known programme code and the place hierarchy holds."""
    f = state.filters
    assert state.lang in i18n.LANGS
    assert config.FIRST_YEAR <= f.tahun[0] <= f.tahun[1] <= config.LAST_YEAR
    assert all(isinstance(y, int) for y in f.tahun)
    assert f.prov is None or f.prov in known.provinces
    assert f.kab is None or (f.kab in known.kabkota and f.prov == f.kab[:2])
    assert state.desa is None or (state.desa in known.desa and f.kab == state.desa[:5])
    assert f.tipe is None or f.tipe in config.LOCATION_TYPES
    assert f.dana == tuple(c for c in config.FINANCIERS if c in f.dana)  # known, unique, normalised order
    assert f.tingkat == tuple(c for c in config.SLUM_LEVELS if c in f.tingkat)
    assert state.banding is None or state.banding in known.provinces | known.kabkota | known.desa
    assert state.layanan is None or state.layanan in config.SERVICES
    assert isinstance(state.present, bool)


# --------------------------------------------------------------------------- API shape


def test_defaults_and_empty_query():
    state, notices = parse({})
    assert state == ViewState() == ViewState(Filters(), "id", None, None, None, False)
    assert notices == []
    assert to_query(state) == {}
    assert to_query_string(state) == ""
    assert describe(state, "id", {}) == []
    assert describe(state, "en", {}) == []


def test_filters_fields_and_properties_unchanged():
    f = Filters()
    assert f.tahun == FULL and f.prov is None and f.kab is None and f.tipe is None
    assert f.dana == () and f.tingkat == ()
    assert f.start_year == config.FIRST_YEAR and f.end_year == config.LAST_YEAR
    assert Filters(tahun=(2018, 2020)).start_year == 2017


def test_full_link_parsed():
    state, notices = parse(
        {
            "lang": "en", "tahun": "2016-2024", "prov": "32", "kab": "32.73", "tipe": "peningkatan",
            "dana": "ibrd,aiib", "tingkat": "berat", "desa": "32.73.01.1001", "banding": "33.74",
            "layanan": "air_minum", "present": "1",
        }
    )
    assert notices == []
    assert state == ViewState(
        filters=Filters((2016, 2024), "32", "32.73", "peningkatan", ("ibrd", "aiib"), ("berat",)),
        lang="en", desa="32.73.01.1001", banding="33.74", layanan="air_minum", present=True,
    )


def test_to_query_key_order_and_string():
    state = ViewState(
        filters=Filters((2019, 2019), "32", "32.73", "pencegahan", ("aiib", "apbn"), ("sedang", "ringan")),
        lang="en", desa="32.73.02.1005", banding="32", layanan="rth", present=True,
    )
    q = to_query(state)
    assert list(q) == list(PARAMS)
    assert q["tahun"] == "2019" and q["dana"] == "aiib,apbn" and q["present"] == "1"
    assert to_query_string(state) == (
        "lang=en&tahun=2019&prov=32&kab=32.73&tipe=pencegahan&dana=aiib,apbn&tingkat=sedang,ringan"
        "&desa=32.73.02.1005&banding=32&layanan=rth&present=1"
    )
    # the string parses back (as a browser / Streamlit would hand it over)
    parsed = {k: v for k, v in parse_qs(to_query_string(state)).items()}
    assert parse(parsed) == (state, [])


def test_to_query_omits_defaults():
    assert to_query(ViewState(lang="id", present=False)) == {}
    assert to_query(ViewState(filters=Filters(tahun=FULL))) == {}
    assert to_query(ViewState(lang="en")) == {"lang": "en"}
    assert to_query(ViewState(filters=Filters(tahun=(2015, 2023)))) == {"tahun": "2015-2023"}


# --------------------------------------------------------------------------- round trip

HAND_MADE = [
    ViewState(),
    ViewState(lang="en"),
    ViewState(filters=Filters(tahun=(2016, 2024))),
    ViewState(filters=Filters(tahun=(2019, 2019))),
    ViewState(filters=Filters(tahun=(config.FIRST_YEAR, config.FIRST_YEAR))),
    ViewState(filters=Filters(prov="32")),
    ViewState(filters=Filters(prov="32", kab="32.73", tipe="peningkatan", dana=("ibrd", "aiib"))),
    ViewState(filters=Filters(dana=config.FINANCIERS, tingkat=config.SLUM_LEVELS)),
    ViewState(filters=Filters(prov="33", kab="33.74"), desa="33.74.01.1001", banding="32.73.01.1001"),
    ViewState(banding="35", layanan="proteksi_kebakaran", present=True, lang="en"),
]


@pytest.mark.parametrize("state", HAND_MADE)
def test_round_trip_hand_made(state):
    assert_valid(state)
    assert parse(to_query(state)) == (state, [])
    assert parse({k: [v] for k, v in to_query(state).items()}) == (state, [])  # get_all() shape


def _subset(codes: tuple[str, ...]):
    return st.lists(st.sampled_from(codes), unique=True).map(lambda xs: tuple(c for c in codes if c in xs))


@st.composite
def valid_states(draw) -> ViewState:
    start = draw(st.integers(config.FIRST_YEAR, config.LAST_YEAR))
    end = draw(st.integers(start, config.LAST_YEAR))
    desa = draw(st.none() | st.sampled_from(sorted(KNOWN.desa)))
    if desa:
        kab, prov = desa[:5], desa[:2]
    else:
        kab = draw(st.none() | st.sampled_from(sorted(KNOWN.kabkota)))
        prov = kab[:2] if kab else draw(st.none() | st.sampled_from(sorted(KNOWN.provinces)))
    filters = Filters(
        tahun=(start, end),
        prov=prov,
        kab=kab,
        tipe=draw(st.none() | st.sampled_from(config.LOCATION_TYPES)),
        dana=draw(_subset(config.FINANCIERS)),
        tingkat=draw(_subset(config.SLUM_LEVELS)),
    )
    return ViewState(
        filters=filters,
        lang=draw(st.sampled_from(i18n.LANGS)),
        desa=desa,
        banding=draw(st.none() | st.sampled_from(ALL_REGIONS)),
        layanan=draw(st.none() | st.sampled_from(config.SERVICES)),
        present=draw(st.booleans()),
    )


@given(valid_states())
def test_round_trip_property(state):
    assert_valid(state)
    q = to_query(state)
    assert list(q) == [k for k in PARAMS if k in q]
    assert all(v and len(v) <= 64 for v in q.values())
    assert parse(q) == (state, [])
    assert parse(parse_qs(to_query_string(state))) == (state, [])


# --------------------------------------------------------------------------- malformed links


@pytest.mark.parametrize(
    "params, param, reason",
    [
        ({"prov": "32' OR '1'='1"}, "prov", "invalid_format"),
        ({"prov": "32; DROP TABLE lokasi; --"}, "prov", "invalid_format"),
        ({"kab": "32.73' OR 1=1 --"}, "kab", "invalid_format"),
        ({"tipe": "<script>alert(1)</script>"}, "tipe", "invalid_format"),
        ({"banding": "<img src=x onerror=alert(1)>"}, "banding", "invalid_format"),
        ({"prov": "3" * 10_000}, "prov", "too_long"),
        ({"dana": "ibrd," * 2_000}, "dana", "too_long"),
        ({"tahun": "2" * 65}, "tahun", "too_long"),
        ({"tahun": "2024-2016"}, "tahun", "range_reversed"),
        ({"tahun": "1990"}, "tahun", "out_of_range"),
        ({"tahun": "2014-2020"}, "tahun", "out_of_range"),
        ({"tahun": "2016-2025"}, "tahun", "out_of_range"),
        ({"tahun": "abc"}, "tahun", "invalid_format"),
        ({"tahun": "2016–2024"}, "tahun", "invalid_format"),  # en dash: non-ASCII
        ({"tahun": "2016-"}, "tahun", "invalid_format"),
        ({"tahun": "2019\n"}, "tahun", "invalid_format"),
        ({"prov": "99"}, "prov", "unknown_value"),
        ({"prov": "３２"}, "prov", "invalid_format"),  # fullwidth digits
        ({"prov": "3\u200b2"}, "prov", "invalid_format"),  # zero-width space
        ({"prov": "32\x00"}, "prov", "invalid_format"),
        ({"prov": ""}, "prov", "empty"),
        ({"prov": "   "}, "prov", "empty"),
        ({"kab": "32.99"}, "kab", "unknown_value"),
        ({"kab": "3273"}, "kab", "invalid_format"),
        ({"desa": "32.73.01.9999"}, "desa", "unknown_value"),
        ({"desa": "32.73.01"}, "desa", "invalid_format"),
        ({"banding": "99.99"}, "banding", "unknown_value"),
        ({"banding": "jawa"}, "banding", "invalid_format"),
        ({"lang": "fr"}, "lang", "unknown_value"),
        ({"lang": ""}, "lang", "empty"),
        ({"tipe": "kumuh"}, "tipe", "unknown_value"),
        ({"layanan": "listrik"}, "layanan", "unknown_value"),
        ({"present": "yes"}, "present", "unknown_value"),
        ({"present": "true"}, "present", "unknown_value"),
        ({"dana": ""}, "dana", "empty"),
        ({"dana": ",,"}, "dana", "empty"),
        ({"foo": "bar"}, "foo", "unknown_param"),
        ({"Prov": "32"}, "Prov", "unknown_param"),
        ({"<script>": "1"}, "<script>", "unknown_param"),
        ({"prov": ["32", "33"]}, "prov", "conflicting"),
        ({"lang": ["id", "en", "id"]}, "lang", "conflicting"),
        ({"prov": 32}, "prov", "invalid_format"),
        ({"prov": None}, "prov", "invalid_format"),
        ({"dana": ["ibrd", 1]}, "dana", "invalid_format"),
    ],
)
def test_malformed_parameter_dropped_with_notice(params, param, reason):
    state, notices = parse(params)
    assert f"notice.reason.{reason}" in reasons(notices, param), notices
    assert all(n.param == param for n in notices)
    assert state == ViewState()  # nothing of the bad parameter got through
    for n in notices:
        assert len(n.value) <= NOTICE_VALUE_LEN
        for lang in i18n.LANGS:
            text = n.text(lang)
            assert "notice." not in text and "{" not in text
            if param.isalnum():
                assert f"'{param}'" in text


def test_notice_text_both_languages():
    _, notices = parse({"tahun": "1990", "lang": "fr", "foo": "x", "dana": "ibrd,xyz", "prov": "3" * 100})
    by_param = {n.param: n for n in notices}
    assert by_param["tahun"].text("id") == "Parameter URL 'tahun' diabaikan: di luar rentang 2015–2024"
    assert by_param["tahun"].text("en") == "URL parameter 'tahun' ignored: outside the range 2015–2024"
    assert by_param["lang"].text("id") == "Parameter URL 'lang' diabaikan: nilai 'fr' tidak dikenal"
    assert by_param["lang"].text("en") == "URL parameter 'lang' ignored: unknown value 'fr'"
    assert by_param["foo"].text("en") == "URL parameter 'foo' ignored: unknown parameter"
    assert by_param["dana"].text("en") == "URL parameter 'dana' ignored: unknown value 'xyz'"
    assert by_param["prov"].text("id") == (
        "Parameter URL 'prov' diabaikan: nilai terlalu panjang (lebih dari 64 karakter)"
    )
    assert by_param["prov"].value == "3" * 40
    assert Notice("tahun", "notice.reason.range_reversed", "2024-2016").text("en") == (
        "URL parameter 'tahun' ignored: start year after end year"
    )
    assert Notice("prov", "notice.reason.conflicting", "32,33").text("id") == (
        "Parameter URL 'prov' diabaikan: diberikan beberapa kali dengan nilai berbeda"
    )
    # control characters never reach the text
    assert "\x1b" not in Notice("x\x1b[31m", "notice.reason.unknown_param", "").text("en")


@pytest.mark.parametrize(
    "params",
    [
        {"[click here](http://evil.example)": "1"},
        {"<script>alert(1)</script>": "1"},
        {"foo": "<img src=x onerror=alert(1)>"},
        {":material/warning: $x^2$ **bold** `code`": "1"},
        {"a\x1b[31mb\u202ec": "1"},
    ],
)
def test_notice_text_safe_to_render_as_markdown(params):
    _, notices = parse(params)
    assert notices
    for n in notices:
        for lang in i18n.LANGS:
            text = n.text(lang)
            echoed = text.split("'")[1]  # the parameter name between the quotes
            assert not set(echoed) & set("[]()<>:$*`\\/\x1b\u202e"), text
    assert notices[0].text("en").startswith("URL parameter '")
    assert Notice("<b>", "notice.reason.unknown_param", "").text("en") == (
        "URL parameter '\ufffdb\ufffd' ignored: unknown parameter"
    )


def test_reason_keys_exist_in_both_locales():
    for lang in i18n.LANGS:
        keys = set(json.loads((LOCALES / f"{lang}.json").read_text(encoding="utf-8")))
        assert set(REASONS) <= keys
        assert {"notice.param_dropped", "filter.chip.year", "filter.chip.years"} <= keys


def test_list_items_dropped_individually_dedup_and_order():
    state, notices = parse({"dana": "ibrd,xyz", "tingkat": "ringan,BERAT,ringan, sedang ,<b>"})
    assert state.filters.dana == ("ibrd",)
    assert state.filters.tingkat == ("berat", "sedang", "ringan")
    assert [(n.param, n.reason_key, n.value) for n in notices] == [
        ("dana", "notice.reason.unknown_value", "xyz"),
        ("tingkat", "notice.reason.invalid_format", "<b>"),
    ]
    state, notices = parse({"dana": "apbn,aiib,ibrd,aiib,"})
    assert state.filters.dana == ("ibrd", "aiib", "apbn") and notices == []


def test_kab_implies_prov():
    state, notices = parse({"kab": "32.73"})
    assert notices == []
    assert (state.filters.prov, state.filters.kab) == ("32", "32.73")
    # prov given but invalid: its own notice, kab still implies the province
    state, notices = parse({"kab": "32.73", "prov": "abc"})
    assert (state.filters.prov, state.filters.kab) == ("32", "32.73")
    assert [n.param for n in notices] == ["prov"]


def test_kab_inconsistent_with_prov_dropped():
    state, notices = parse({"kab": "33.74", "prov": "32"})
    assert (state.filters.prov, state.filters.kab) == ("32", None)
    assert [(n.param, n.reason_key, n.value) for n in notices] == [("kab", "notice.reason.inconsistent", "33.74")]


def test_kab_of_unknown_province_rejected():
    known = Known(frozenset({"32"}), frozenset({"32.73", "33.74"}), frozenset({"33.74.01.1001"}))
    state, notices = parse_query({"kab": "33.74", "desa": "33.74.01.1001"}, known)
    assert state == ViewState()
    assert {(n.param, n.reason_key) for n in notices} == {
        ("kab", "notice.reason.unknown_value"), ("desa", "notice.reason.unknown_value"),
    }


def test_desa_implies_kab_and_prov_and_must_be_inside():
    state, notices = parse({"desa": "32.73.01.1001"})
    assert notices == [] and state.desa == "32.73.01.1001"
    assert (state.filters.prov, state.filters.kab) == ("32", "32.73")
    state, notices = parse({"desa": "32.73.01.1001", "prov": "32"})
    assert notices == [] and state.filters.kab == "32.73"
    state, notices = parse({"desa": "32.04.10.2001", "kab": "32.73"})
    assert state.desa is None and state.filters.kab == "32.73"
    assert reasons(notices, "desa") == ["notice.reason.inconsistent"]
    state, notices = parse({"desa": "33.74.01.1001", "prov": "32"})
    assert state.desa is None and (state.filters.prov, state.filters.kab) == ("32", None)
    assert reasons(notices, "desa") == ["notice.reason.inconsistent"]


def test_present_zero_is_silent_and_values_are_lenient():
    assert parse({"present": "0"}) == (ViewState(), [])
    state, notices = parse({"lang": "EN", "tipe": " Peningkatan ", "dana": "IBRD, aiib"})
    assert notices == []
    assert state.lang == "en" and state.filters.tipe == "peningkatan" and state.filters.dana == ("ibrd", "aiib")
    assert parse({"tahun": "2015-2024"}) == (ViewState(), [])  # explicit default


def test_repeated_keys():
    # same value repeated is fine; differing values drop the key entirely
    assert parse({"prov": ["32", "32"]}) == (ViewState(filters=Filters(prov="32")), [])
    assert parse({"prov": []}) == (ViewState(), [])
    state, notices = parse({"prov": ["32", "33"], "kab": "33.74"})
    assert (state.filters.prov, state.filters.kab) == ("33", "33.74")
    assert [(n.param, n.reason_key, n.value) for n in notices] == [("prov", "notice.reason.conflicting", "32,33")]


class FakeQueryParams(dict):
    """Like st.query_params: item access gives the last value, get_all() every value."""

    def __init__(self, multi: dict[str, list[str]]):
        super().__init__({k: v[-1] for k, v in multi.items()})
        self._multi = multi

    def get_all(self, key: str) -> list[str]:
        return list(self._multi.get(key, []))


def test_streamlit_query_params_object_read_through_get_all():
    qp = FakeQueryParams({"prov": ["32", "33"], "tipe": ["pencegahan"]})
    state, notices = parse(qp)
    assert state.filters.prov is None and state.filters.tipe == "pencegahan"
    assert reasons(notices, "prov") == ["notice.reason.conflicting"]


def test_streamlit_embed_params_ignored_silently():
    assert parse({"embed": "true", "embed_options": "light_theme"}) == (ViewState(), [])


def test_notices_ordered_by_parameter_then_unknown_keys():
    _, notices = parse({"zzz": "1", "present": "x", "aaa": "2", "lang": "fr", "tahun": "abc"})
    assert [n.param for n in notices] == ["lang", "tahun", "present", "zzz", "aaa"]


def test_good_parameters_survive_bad_neighbours():
    state, notices = parse({"prov": "32", "tahun": "abc", "foo": "1", "dana": "aiib,xyz", "present": "yes"})
    assert state == ViewState(filters=Filters(prov="32", dana=("aiib",)))
    assert sorted(n.param for n in notices) == ["dana", "foo", "present", "tahun"]


# --------------------------------------------------------------------------- fuzz

NEAR_VALID = st.sampled_from(
    [
        "32", "33", "99", "32.73", "33.74", "32.04", "35.78", "32.73.01.1001", "33.74.01.1001",
        "32.04.10.2001", "2016-2024", "2019", "2024-2016", "1990", "ibrd,aiib", "ibrd,xyz", "berat,ringan",
        "peningkatan", "pencegahan", "air_minum", "en", "id", "fr", "0", "1", "yes", "", " ", ",",
        "32' OR '1'='1", "<script>alert(1)</script>", "x" * 100, "\x00", "\u202e32", "３２",
    ]
)
FUZZ_KEYS = st.sampled_from(PARAMS + ("foo", "embed")) | st.text(max_size=20)
FUZZ_VALUES = NEAR_VALID | st.text(max_size=80) | st.lists(NEAR_VALID | st.text(max_size=10), max_size=3)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(FUZZ_KEYS, FUZZ_VALUES, max_size=8))
def test_fuzz_never_raises_and_only_known_codes(params):
    state, notices = parse(params)
    assert_valid(state)
    for n in notices:
        assert n.reason_key in REASONS
        assert len(n.param) <= NOTICE_VALUE_LEN and len(n.value) <= NOTICE_VALUE_LEN
        assert n.param in {k[:NOTICE_VALUE_LEN] for k in params}
        for lang in i18n.LANGS:
            assert isinstance(n.text(lang), str)
    for key in params:
        if key not in PARAMS and key not in ("embed", "embed_options"):
            assert (key[:NOTICE_VALUE_LEN], "notice.reason.unknown_param") in {(n.param, n.reason_key) for n in notices}
    # whatever came in, the resulting state is a clean link
    assert parse(to_query(state)) == (state, [])
    for lang in i18n.LANGS:
        assert all(isinstance(c, str) and c for c in describe(state, lang, {}))


@given(valid_states(), st.sampled_from(list(PARAMS)), st.text(max_size=70))
def test_fuzz_one_parameter_replaced(state, key, junk):
    params = dict(to_query(state))
    params[key] = junk
    new, notices = parse(params)
    assert_valid(new)
    assert all(n.param == key or n.reason_key == "notice.reason.inconsistent" for n in notices)


# --------------------------------------------------------------------------- Known.from_frames


def test_known_from_frames():
    places = pd.DataFrame(
        {
            "kode_prov": ["32", "32", "33", None],
            "nama_prov": ["Jawa Barat", "Jawa Barat", "Jawa Tengah", None],
            "kode_kabkota": ["32.73", "32.04", "33.74", None],
        }
    )
    known = Known.from_frames(places, pd.Series(["32.73.01.1001", None, float("nan")]))
    assert known == Known(
        frozenset({"32", "33"}), frozenset({"32.73", "32.04", "33.74"}), frozenset({"32.73.01.1001"})
    )
    assert parse_query({"desa": "32.73.01.1001"}, known)[0].filters.kab == "32.73"


# --------------------------------------------------------------------------- describe


NAMES_ID = {"32": "Jawa Barat", "32.73": "Kota Bandung"}
NAMES_EN = {"32": "West Java", "32.73": "Bandung City"}


def test_describe_both_languages():
    state = ViewState(
        filters=Filters((2016, 2024), "32", "32.73", "peningkatan", ("ibrd", "aiib"), ("berat", "sedang")),
        desa="32.73.01.1001", layanan="rth", present=True, lang="en",
    )
    assert describe(state, "id", NAMES_ID) == [
        "Tahun 2016–2024", "Jawa Barat", "Kota Bandung", "Peningkatan kualitas", "Bank Dunia (IBRD), AIIB",
        "Kumuh berat, Kumuh sedang",
    ]
    assert describe(state, "en", NAMES_EN) == [
        "Years 2016–2024", "West Java", "Bandung City", "Upgrading", "World Bank (IBRD), AIIB", "Heavy, Medium",
    ]


def test_describe_single_year_missing_names_and_other_values():
    state = ViewState(filters=Filters(tahun=(2019, 2019), prov="33", tipe="pencegahan", dana=("apbn",)))
    assert describe(state, "id", {}) == ["Tahun 2019", "33", "Pencegahan", "APBN (Rupiah Murni)"]
    assert describe(state, "en", {"33": "Central Java"}) == [
        "Year 2019", "Central Java", "Prevention", "National budget (APBN)",
    ]
    assert describe(ViewState(filters=Filters(tingkat=("tidak_kumuh",))), "en", {}) == ["Not slum"]


def test_describe_nothing_filtered_even_with_page_selections():
    state = ViewState(lang="en", banding="32", layanan="air_minum", present=True)
    assert describe(state, "id", NAMES_ID) == []
    assert describe(state, "en", NAMES_EN) == []
