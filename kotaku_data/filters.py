"""The filter state shared by every page, and its URL form (see README, "Shareable links").

URL contract
------------
A shareable link carries codes only (never labels), so it is identical in both languages:

=========  ==========================================================================================
``lang``    ``id`` (default, omitted) | ``en``
``tahun``   ``2016-2024`` or one year ``2019``, within FIRST_YEAR..LAST_YEAR, start <= end
            (the full range is the default and is omitted)
``prov``    Kemendagri code of a programme province (``32``)
``kab``     code of a programme kabupaten/kota (``32.73``); implies ``prov``; dropped if ``prov``
            is given and differs
``tipe``    ``peningkatan`` | ``pencegahan``
``dana``    comma-separated financier codes (``ibrd,aiib``); unknown items dropped one by one,
            duplicates removed, order normalised to ``config.FINANCIERS``
``tingkat`` comma-separated slum levels, same rules (``config.SLUM_LEVELS`` order)
``desa``    a programme desa/kelurahan (``32.73.01.1001``) for drill-down; must lie inside ``kab``/
            ``prov`` when given, implies them otherwise
``banding`` a programme province, kabupaten/kota or desa code to compare with (Region profile)
``layanan`` one service code (``config.SERVICES``)
``present`` ``1`` = presentation mode (``0`` = off)
=========  ==========================================================================================

:func:`parse_query` never raises: anything else (unknown keys, malformed / unknown / inconsistent
values, empty values, values longer than :data:`MAX_VALUE_LEN`, non-ASCII or control characters,
a key repeated with different values) is dropped with one :class:`Notice` each. Codes and enum
values are matched case-insensitively for the enumerations (``IBRD`` -> ``ibrd``) and surrounding
spaces are ignored; the canonical form is what :func:`to_query` writes. Streamlit's own ``embed`` and
``embed_options`` parameters are ignored silently.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from . import config, i18n


@dataclass(frozen=True)
class Filters:
    """What the user is looking at. Codes only (never labels), so a link is the same in both languages."""

    tahun: tuple[int, int] = (config.FIRST_YEAR, config.LAST_YEAR)
    prov: str | None = None  # "32"
    kab: str | None = None  # "32.73" (always inside prov)
    tipe: str | None = None  # "peningkatan" | "pencegahan"
    dana: tuple[str, ...] = ()  # financier codes; empty = all
    tingkat: tuple[str, ...] = ()  # baseline slum levels; empty = all

    @property
    def start_year(self) -> int:
        """The year whose end-of-year value is the starting point of the selected period."""
        return max(self.tahun[0] - 1, config.FIRST_YEAR)

    @property
    def end_year(self) -> int:
        return self.tahun[1]


# --------------------------------------------------------------------------- state, notices, known codes

DEFAULT_TAHUN: tuple[int, int] = (config.FIRST_YEAR, config.LAST_YEAR)

#: URL parameters in the order :func:`to_query` writes them (and notices are sorted by).
PARAMS: tuple[str, ...] = (
    "lang", "tahun", "prov", "kab", "tipe", "dana", "tingkat", "desa", "banding", "layanan", "present",
)
#: Streamlit's own parameters (not shown in st.query_params, but harmless if a caller passes them).
IGNORED_PARAMS = frozenset({"embed", "embed_options"})

MAX_VALUE_LEN = 64  # longer raw values are dropped unread
NOTICE_VALUE_LEN = 40  # Notice.value / Notice.param are truncated to this

# reason keys (i18n keys; templates may use {value}, {min}, {max}, {limit})
REASON_CONFLICTING = "notice.reason.conflicting"
REASON_EMPTY = "notice.reason.empty"
REASON_INCONSISTENT = "notice.reason.inconsistent"
REASON_INVALID_FORMAT = "notice.reason.invalid_format"
REASON_OUT_OF_RANGE = "notice.reason.out_of_range"
REASON_RANGE_REVERSED = "notice.reason.range_reversed"
REASON_TOO_LONG = "notice.reason.too_long"
REASON_UNKNOWN_PARAM = "notice.reason.unknown_param"
REASON_UNKNOWN_VALUE = "notice.reason.unknown_value"
REASONS: tuple[str, ...] = (
    REASON_CONFLICTING, REASON_EMPTY, REASON_INCONSISTENT, REASON_INVALID_FORMAT, REASON_OUT_OF_RANGE,
    REASON_RANGE_REVERSED, REASON_TOO_LONG, REASON_UNKNOWN_PARAM, REASON_UNKNOWN_VALUE,
)


@dataclass(frozen=True)
class ViewState:
    """Everything a shareable link restores: the filters plus page-level selections."""

    filters: Filters = field(default_factory=Filters)
    lang: str = i18n.DEFAULT_LANG
    desa: str | None = None  # "32.73.01.1001", drill-down selection (inside filters.kab)
    banding: str | None = None  # province, kab/kota or desa code to compare with
    layanan: str | None = None  # service code for the indicator page
    present: bool = False  # presentation mode


_SAFE_PUNCT = frozenset("_.,-")


def _shown(s: str) -> str:
    """``s`` for echoing in a notice: ASCII letters, digits, space and ``_.,-`` kept, anything else -> U+FFFD.

    A link is untrusted input and notices are rendered as Markdown (st.warning): no links, HTML, emoji or
    icon shortcodes, LaTeX or control characters can get through.
    """
    return "".join(c if c.isascii() and (c.isalnum() or c == " " or c in _SAFE_PUNCT) else "\ufffd" for c in s)


@dataclass(frozen=True)
class Notice:
    """One URL parameter (or one item of a list parameter) that was dropped, and why."""

    param: str  # the parameter name as given (truncated to NOTICE_VALUE_LEN)
    reason_key: str  # full i18n key, e.g. "notice.reason.invalid_format"
    value: str  # the raw value (truncated to NOTICE_VALUE_LEN); render it escaped

    def text(self, lang: str = i18n.DEFAULT_LANG) -> str:
        """``"Parameter URL 'tahun' diabaikan: format tidak valid"``, safe to render as Markdown or HTML:
        in the echoed parameter name and value only ASCII letters, digits, space and ``_.,-`` are kept,
        any other character is shown as U+FFFD (``<script>`` -> ``"\ufffdscript\ufffd"``)."""
        reason = i18n.t(
            self.reason_key, lang, value=_shown(self.value), min=config.FIRST_YEAR, max=config.LAST_YEAR,
            limit=MAX_VALUE_LEN,
        )
        return i18n.t("notice.param_dropped", lang, param=_shown(self.param), reason=reason)


@dataclass(frozen=True)
class Known:
    """The valid programme codes, built by the caller from the data.

    ``kabkota`` codes start with their province code, ``desa`` codes with their kab/kota code. The parser
    only accepts a kab/kota whose province is known and a desa whose kab/kota and province are known.
    """

    provinces: frozenset[str] = frozenset()
    kabkota: frozenset[str] = frozenset()
    desa: frozenset[str] = frozenset()

    @classmethod
    def from_frames(cls, places_df: Any, desa_codes: Iterable[Any] = ()) -> Known:
        """From ``queries.places(db)`` (columns kode_prov, kode_kabkota) and the programme desa codes
        (e.g. ``lokasi.kode_desa`` or ``region_index`` rows with level "desa"). Missing values are skipped."""

        def codes(values: Iterable[Any]) -> frozenset[str]:
            if hasattr(values, "tolist"):  # a pandas Series: one conversion, not one Python object per item
                values = values.tolist()
            return frozenset(v.strip() for v in values if isinstance(v, str) and v.strip())

        return cls(
            provinces=codes(places_df["kode_prov"]),
            kabkota=codes(places_df["kode_kabkota"]),
            desa=codes(desa_codes),
        )

    def is_prov(self, code: str) -> bool:
        return code in self.provinces

    def is_kab(self, code: str) -> bool:
        return code in self.kabkota and code[:2] in self.provinces

    def is_desa(self, code: str) -> bool:
        return code in self.desa and self.is_kab(code[:5])

    def is_region(self, code: str) -> bool:
        """A known province, kab/kota or desa code."""
        return self.is_prov(code) or self.is_kab(code) or self.is_desa(code)


# --------------------------------------------------------------------------- parsing

_PROV_RE = re.compile(r"[0-9]{2}")
_KAB_RE = re.compile(r"[0-9]{2}\.[0-9]{2}")
_DESA_RE = re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}")
_TAHUN_RE = re.compile(r"([0-9]{4})(?:-([0-9]{4}))?")
_WORD_RE = re.compile(r"[a-z0-9_]{1,32}")  # shape of every enumeration code (after lowercasing)


def _cut(s: str) -> str:
    return s[:NOTICE_VALUE_LEN]


def _items(params: Mapping[str, Any]) -> list[tuple[Any, Any]]:
    """(key, raw value) pairs; uses ``params.get_all(key)`` when available (st.query_params)."""
    get_all = getattr(params, "get_all", None)
    out = []
    for key in list(params):
        try:
            raw = get_all(key) if callable(get_all) else params[key]
        except Exception:  # a misbehaving mapping must not take the page down
            raw = None
        out.append((key, raw))
    return out


def _as_strings(raw: Any) -> list[str] | None:
    """The values of one key as a list of str; None if the shape is not str / list of str."""
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, list | tuple) and all(isinstance(v, str) for v in raw):
        return list(raw)
    return None


def _enum(value: str) -> tuple[str | None, str | None]:
    """(normalised code, None) or (None, reason) for an enumeration item of acceptable shape."""
    code = value.strip(" ").lower()
    if not code:
        return None, REASON_EMPTY
    if not _WORD_RE.fullmatch(code):
        return None, REASON_INVALID_FORMAT
    return code, None


def parse_query(params: Mapping[str, str | list[str]], known: Known) -> tuple[ViewState, list[Notice]]:
    """The view a URL asks for, and one :class:`Notice` per dropped parameter (or list item). Never raises.

    ``params`` maps each key to its value (``st.query_params``: last value) or to all its values
    (``{k: st.query_params.get_all(k) for k in st.query_params}``); an object with a ``get_all`` method
    (``st.query_params`` itself) is read through it. A key whose values differ is dropped entirely.
    Parsing a link written by :func:`to_query` gives back the same state and no notices.
    """
    notices: list[Notice] = []

    def drop(param: str, reason: str, value: str) -> None:
        notices.append(Notice(_cut(param), reason, _cut(value)))

    # 1. one clean single value per known parameter
    values: dict[str, str] = {}
    for key, raw in _items(params):
        name = key if isinstance(key, str) else repr(key)
        if name in IGNORED_PARAMS:
            continue
        strings = _as_strings(raw)
        shown = ",".join(dict.fromkeys(strings)) if strings is not None else repr(raw)
        if name not in PARAMS:
            drop(name, REASON_UNKNOWN_PARAM, shown)
            continue
        if strings is None:
            drop(name, REASON_INVALID_FORMAT, shown)
            continue
        distinct = list(dict.fromkeys(strings))
        if not distinct:
            continue  # a key without values is simply absent
        if len(distinct) > 1:
            drop(name, REASON_CONFLICTING, shown)
            continue
        value = distinct[0]
        if len(value) > MAX_VALUE_LEN:
            drop(name, REASON_TOO_LONG, value)
        elif not value.strip(" "):
            drop(name, REASON_EMPTY, value)
        elif not (value.isascii() and value.isprintable()):
            drop(name, REASON_INVALID_FORMAT, value)
        else:
            values[name] = value.strip(" ")

    # 2. each parameter on its own
    def one_of(name: str, allowed: Iterable[str]) -> str | None:
        if name not in values:
            return None
        code, reason = _enum(values[name])
        if code is not None and code not in allowed:
            reason = REASON_UNKNOWN_VALUE
        if reason:
            drop(name, reason, values[name])
            return None
        return code

    def many_of(name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        if name not in values:
            return ()
        items = [item for item in values[name].split(",") if item.strip(" ")]
        if not items:
            drop(name, REASON_EMPTY, values[name])
            return ()
        kept = set()
        for item in items:
            code, reason = _enum(item)
            if code is not None and code not in allowed:
                reason = REASON_UNKNOWN_VALUE
            if reason:
                drop(name, reason, item.strip(" "))
            else:
                kept.add(code)
        return tuple(c for c in allowed if c in kept)

    def code(name: str, pattern: re.Pattern[str], valid: Any) -> str | None:
        if name not in values:
            return None
        value = values[name]
        if not pattern.fullmatch(value):
            drop(name, REASON_INVALID_FORMAT, value)
            return None
        if not valid(value):
            drop(name, REASON_UNKNOWN_VALUE, value)
            return None
        return value

    lang = one_of("lang", i18n.LANGS) or i18n.DEFAULT_LANG

    tahun = DEFAULT_TAHUN
    if "tahun" in values:
        raw_tahun = values["tahun"]
        m = _TAHUN_RE.fullmatch(raw_tahun)
        if not m:
            drop("tahun", REASON_INVALID_FORMAT, raw_tahun)
        else:
            start = int(m.group(1))
            end = int(m.group(2)) if m.group(2) else start
            if not (config.FIRST_YEAR <= start <= config.LAST_YEAR and config.FIRST_YEAR <= end <= config.LAST_YEAR):
                drop("tahun", REASON_OUT_OF_RANGE, raw_tahun)
            elif start > end:
                drop("tahun", REASON_RANGE_REVERSED, raw_tahun)
            else:
                tahun = (start, end)

    # 3. places: prov, then kab (implies prov), then desa (implies kab and prov)
    prov = code("prov", _PROV_RE, known.is_prov)
    kab = code("kab", _KAB_RE, known.is_kab)
    if kab is not None:
        if prov is not None and kab[:2] != prov:
            drop("kab", REASON_INCONSISTENT, kab)
            kab = None
        else:
            prov = kab[:2]
    desa = code("desa", _DESA_RE, known.is_desa)
    if desa is not None:
        if (kab is not None and desa[:5] != kab) or (prov is not None and desa[:2] != prov):
            drop("desa", REASON_INCONSISTENT, desa)
            desa = None
        else:
            kab, prov = desa[:5], desa[:2]

    tipe = one_of("tipe", config.LOCATION_TYPES)
    dana = many_of("dana", config.FINANCIERS)
    tingkat = many_of("tingkat", config.SLUM_LEVELS)

    banding = None
    if "banding" in values:
        value = values["banding"]
        if not any(p.fullmatch(value) for p in (_PROV_RE, _KAB_RE, _DESA_RE)):
            drop("banding", REASON_INVALID_FORMAT, value)
        elif not known.is_region(value):
            drop("banding", REASON_UNKNOWN_VALUE, value)
        else:
            banding = value

    layanan = one_of("layanan", config.SERVICES)
    present = one_of("present", ("0", "1")) == "1"

    order = {name: i for i, name in enumerate(PARAMS)}
    notices.sort(key=lambda n: order.get(n.param, len(PARAMS)))  # stable: unknown keys keep input order
    state = ViewState(
        filters=Filters(tahun=tahun, prov=prov, kab=kab, tipe=tipe, dana=dana, tingkat=tingkat),
        lang=lang,
        desa=desa,
        banding=banding,
        layanan=layanan,
        present=present,
    )
    return state, notices


# --------------------------------------------------------------------------- writing


def to_query(state: ViewState) -> dict[str, str]:
    """The non-default parameters of ``state``, in :data:`PARAMS` order (``lang`` omitted when "id").

    ``{"tahun": "2016-2024", "prov": "32", "kab": "32.73", "dana": "ibrd,aiib"}``; ``{}`` for the default view.
    """
    f = state.filters
    q: dict[str, str] = {}
    if state.lang != i18n.DEFAULT_LANG:
        q["lang"] = state.lang
    if tuple(f.tahun) != DEFAULT_TAHUN:
        start, end = f.tahun
        q["tahun"] = str(start) if start == end else f"{start}-{end}"
    if f.prov:
        q["prov"] = f.prov
    if f.kab:
        q["kab"] = f.kab
    if f.tipe:
        q["tipe"] = f.tipe
    if f.dana:
        q["dana"] = ",".join(f.dana)
    if f.tingkat:
        q["tingkat"] = ",".join(f.tingkat)
    if state.desa:
        q["desa"] = state.desa
    if state.banding:
        q["banding"] = state.banding
    if state.layanan:
        q["layanan"] = state.layanan
    if state.present:
        q["present"] = "1"
    return q


def to_query_string(state: ViewState) -> str:
    """``"tahun=2016-2024&prov=32&dana=ibrd,aiib"`` (no leading "?"; "" for the default view)."""
    return urlencode(to_query(state), safe=",.-", quote_via=quote)


# --------------------------------------------------------------------------- chips


def describe(state: ViewState, lang: str, names: Mapping[str, str]) -> list[str]:
    """Human-readable chips for the active filters, e.g.
    ``["Tahun 2016–2024", "Jawa Barat", "Kota Bandung", "Peningkatan kualitas", "Bank Dunia (IBRD), AIIB"]``.

    Covers the :class:`Filters` only (not desa/banding/layanan/present/lang). ``names`` maps place codes
    to display names in ``lang`` (a missing name shows the code). ``[]`` when nothing is filtered.
    """
    f = state.filters
    chips: list[str] = []
    if tuple(f.tahun) != DEFAULT_TAHUN:
        start, end = f.tahun
        if start == end:
            chips.append(i18n.t("filter.chip.year", lang, year=str(start)))
        else:
            chips.append(i18n.t("filter.chip.years", lang, start=str(start), end=str(end)))
    for place in (f.prov, f.kab):
        if place:
            chips.append(names.get(place) or place)
    if f.tipe:
        chips.append(i18n.label("tipe", f.tipe, lang))
    if f.dana:
        chips.append(", ".join(i18n.label("dana", c, lang) for c in f.dana))
    if f.tingkat:
        chips.append(", ".join(i18n.label("tingkat", c, lang) for c in f.tingkat))
    return chips
