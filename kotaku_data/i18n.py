"""Translations and locale-aware formatting (Indonesian default, English alternative).

No Streamlit here: pages and charts call these pure functions.

Strings live in ``kotaku_data/locales/{id,en}.json``: flat ``key -> str`` objects with the same keys,
sorted, grouped by prefix, ``{name}`` placeholders filled by :func:`str.format`.

Number formatting
-----------------
Indonesian writes ``1.234,5`` ("." thousands, "," decimals), English ``1,234.5``.

Rounding is **half-up (away from zero) on the number as written**: a float is first turned into its
shortest decimal representation (``repr``), so ``0.05 -> "0,1"``, ``0.15 -> "0,2"`` and
``2.675 -> "2,68"`` as a reader expects, even though those floats are stored slightly below the tie.
A value that rounds to zero is shown without a sign (``-0.04 -> "0,0"``); other negatives keep "-".

Missing values (``None``, NaN, ``pd.NA``, ``pd.NaT``, +-inf, non-numeric) are shown as :data:`MISSING`.
Years are not numbers to format: write ``str(year)``, never ``fmt_int(year)`` (``2.019``).
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

LANGS: tuple[str, ...] = ("id", "en")
DEFAULT_LANG = "id"
MISSING = "–"  # en dash, shown for None / NaN

LOCALES_DIR = Path(__file__).resolve().parent / "locales"

# (decimal separator, thousands separator) per language
_SEPARATORS = {"id": (",", "."), "en": (".", ",")}

# Compact rupiah tiers: (power of ten, unit key), smallest first.
_RP_TIERS = ((6, "unit.rp_million"), (9, "unit.rp_billion"), (12, "unit.rp_trillion"))


# --------------------------------------------------------------------------- language & lookup


def normalize_lang(value: Any) -> str:
    """A supported language code from user input (URL param, widget); anything unknown -> "id".

    Case and whitespace are ignored and a region suffix is dropped: "EN", " en-US ", "id_ID" work.
    """
    if not isinstance(value, str):
        return DEFAULT_LANG
    code = value.strip().lower().replace("_", "-").split("-", 1)[0]
    return code if code in LANGS else DEFAULT_LANG


@cache
def _load(lang: str) -> Mapping[str, str]:
    path = LOCALES_DIR / f"{lang}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        # A broken locale file must not take the dashboard down; tests catch it.
        return MappingProxyType({})
    if not isinstance(data, dict):
        return MappingProxyType({})
    return MappingProxyType({str(k): str(v) for k, v in data.items()})


def catalog(lang: str = DEFAULT_LANG) -> Mapping[str, str]:
    """Read-only mapping of every key -> template for ``lang`` (loaded once, cached)."""
    return _load(normalize_lang(lang))


def reload_locales() -> None:
    """Forget the cached locale files (for tests or live editing)."""
    _load.cache_clear()


def has_key(key: str) -> bool:
    """True if ``key`` is defined in the default (Indonesian) locale."""
    return key in catalog(DEFAULT_LANG)


def t(key: str, lang: str = DEFAULT_LANG, **kwargs: Any) -> str:
    """Translate ``key`` into ``lang`` and fill ``{placeholders}`` from ``kwargs``.

    Never raises: an unknown language falls back to Indonesian, a key missing in ``lang`` falls back
    to the Indonesian string, a key missing everywhere returns the key itself, and a template whose
    placeholders cannot be filled is returned unformatted.
    ``t("notice.param_dropped", "en", param="tahun", reason="...")``.
    """
    lang = normalize_lang(lang)
    template = catalog(lang).get(key)
    if template is None and lang != DEFAULT_LANG:
        template = catalog(DEFAULT_LANG).get(key)
    if template is None:
        return key
    try:
        return template.format(**kwargs)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError):
        return template


def label(kind: str, code: Any, lang: str = DEFAULT_LANG) -> str:
    """Display name of a categorical code: ``label("dana", "ibrd", "en") -> "World Bank (IBRD)"``.

    ``kind`` is a key prefix (component, tipe, dana, layanan, tingkat, indicator...); ``code`` may be
    a str or an int (numpy ints and integral floats too). For kinds whose entries have sub-keys
    (``indicator.1.name``) the ``.name`` entry is used. ``None``/NaN -> :data:`MISSING`; an unknown
    code returns the key ``"{kind}.{code}"`` like :func:`t`.
    """
    if _is_missing_scalar(code):
        return MISSING
    if isinstance(code, numbers.Integral) and not isinstance(code, bool):
        code = int(code)
    elif isinstance(code, float) and code.is_integer():
        code = int(code)
    key = f"{kind}.{code}"
    if not has_key(key) and has_key(f"{key}.name"):
        key = f"{key}.name"
    return t(key, lang)


# --------------------------------------------------------------------------- numbers


def _is_missing_scalar(x: Any) -> bool:
    if x is None:
        return True
    try:
        return bool(x != x)  # NaN, NaT
    except (TypeError, ValueError):
        return True  # pd.NA raises on bool()


def _to_decimal(x: Any) -> Decimal | None:
    """Exact decimal for ints/Decimals, shortest-repr decimal for floats; None if missing/non-finite."""
    if x is None:
        return None
    if isinstance(x, Decimal):
        return x if x.is_finite() else None
    if isinstance(x, numbers.Integral):
        return Decimal(int(x))
    try:
        f = float(x)
    except (TypeError, ValueError, OverflowError):
        return None
    if not math.isfinite(f):
        return None
    return Decimal(repr(f))


def _round(d: Decimal, decimals: int) -> Decimal:
    try:
        q = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # absurd magnitudes for the context precision
        q = d
    return abs(q) if q == 0 else q  # no "-0,0"


def _group(d: Decimal, decimals: int, lang: str) -> str:
    """Format an already rounded decimal with the language's separators."""
    s = format(d, f",.{decimals}f")  # English style
    if _SEPARATORS[lang] == (",", "."):
        s = s.translate(str.maketrans({",": ".", ".": ","}))
    return s


def fmt_number(x: Any, lang: str = DEFAULT_LANG, decimals: int = 0) -> str:
    """``fmt_number(-1234567.891, "id", 2) -> "-1.234.567,89"``; en -> ``"-1,234,567.89"``."""
    d = _to_decimal(x)
    if d is None:
        return MISSING
    decimals = max(0, int(decimals))
    return _group(_round(d, decimals), decimals, normalize_lang(lang))


def fmt_int(x: Any, lang: str = DEFAULT_LANG) -> str:
    """Whole number with thousands separators: ``fmt_int(12345, "id") -> "12.345"``."""
    return fmt_number(x, lang, 0)


def fmt_ha(x: Any, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    """Area in hectares: ``"1.234,5 ha"`` / ``"1,234.5 ha"``."""
    s = fmt_number(x, lang, decimals)
    return s if s == MISSING else f"{s} {t('unit.ha', lang)}"


def fmt_pct(x: Any, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    """A **percentage value on the 0-100 scale** (not a fraction): ``fmt_pct(84, "id") -> "84,0%"``.

    No space before "%" in either language (``"84.0%"`` in English). Convert fractions first
    (``fmt_pct(share * 100, lang)``).
    """
    s = fmt_number(x, lang, decimals)
    return s if s == MISSING else f"{s}%"


def fmt_rp(x: Any, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    """Compact rupiah amount.

    Indonesian: ``"Rp 1,2 T"`` (triliun), ``"Rp 318,3 M"`` (miliar), ``"Rp 12,5 jt"`` (juta);
    English: ``"IDR 1.2 T"``, ``"IDR 318.3 B"``, ``"IDR 12.5 M"``. Below one million the full
    amount is shown (``"Rp 950.000"``). The unit is chosen after rounding, so 999,96 miliar is
    ``"Rp 1,0 T"``, not ``"Rp 1.000,0 M"``. Negatives: ``"-Rp 1,2 T"``.
    """
    d = _to_decimal(x)
    if d is None:
        return MISSING
    lang = normalize_lang(lang)
    decimals = max(0, int(decimals))
    mag = abs(d)
    tier = -1  # index into _RP_TIERS; -1 = plain rupiah
    for i, (power, _key) in enumerate(_RP_TIERS):
        if mag >= Decimal(10) ** power:
            tier = i
    while True:
        if tier < 0:
            value = _round(d, 0)
            if abs(value) >= Decimal(10) ** _RP_TIERS[0][0]:
                tier = 0
                continue
            number, unit = _group(abs(value), 0, lang), ""
        else:
            power, key = _RP_TIERS[tier]
            value = _round(d.scaleb(-power), decimals)
            if abs(value) >= 1000 and tier + 1 < len(_RP_TIERS):
                tier += 1
                continue
            number, unit = _group(abs(value), decimals, lang), f" {t(key, lang)}"
        break
    sign = "-" if value < 0 else ""
    return f"{sign}{t('unit.rp', lang)} {number}{unit}"


def fmt_households(x: Any, lang: str = DEFAULT_LANG) -> str:
    """Household count: ``"12.345 KK"`` / ``"12,345 households"`` (``"1 household"``)."""
    s = fmt_int(x, lang)
    if s == MISSING:
        return s
    unit_key = "unit.household" if s in ("1", "-1") else "unit.households"
    return f"{s} {t(unit_key, lang)}"


# --------------------------------------------------------------------------- dates & charts


def month_name(month: int, lang: str = DEFAULT_LANG) -> str:
    """Full month name, 1 = January: ``month_name(5, "id") -> "Mei"``."""
    return t(f"month.{int(month):02d}", lang)


def fmt_date(value: Any, lang: str = DEFAULT_LANG) -> str:
    """``"28 November 2026"`` in both languages with localized month names (``"1 Mei 2026"``).

    Accepts ``date``, ``datetime``, ``pandas.Timestamp``, ``numpy.datetime64`` or an ISO string;
    the time of day is ignored. Missing or unparseable -> :data:`MISSING`.
    """
    if _is_missing_scalar(value):
        return MISSING
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return MISSING
    elif not isinstance(value, date) and hasattr(value, "astype"):  # numpy.datetime64
        try:
            value = datetime.fromisoformat(str(value.astype("datetime64[s]")))
        except (TypeError, ValueError):
            return MISSING
    if not isinstance(value, date):
        return MISSING
    return f"{value.day} {month_name(value.month, lang)} {value.year}"


def plotly_separators(lang: str = DEFAULT_LANG) -> str:
    """Plotly ``layout.separators``: decimal then thousands, ``",."`` (id) or ``".,"`` (en)."""
    dec, thousands = _SEPARATORS[normalize_lang(lang)]
    return f"{dec}{thousands}"
