"""Region search and region codes: pure functions, no Streamlit.

Search is a typo-tolerant *prefix* match on names: every word typed must be the beginning of a word of the
place's name (or of its parent's name), allowing a small number of typing errors (insertions, deletions,
substitutions, swapped neighbours: optimal string alignment distance). The first letter of each typed word
must be right: that keeps the search fast over the 11,000+ kelurahan and removes most false hits. So
"bandng" finds "Kota Bandung", "makasar" finds "Kota Makassar", "kota bdg" does not (too many errors).

Ranking: fewest typing errors plus words found only outside the place's own name (in its parent's name, or a
kind word such as "kota" it lacks), then fewest such outside words, then closeness to the whole words, then
provinces before kabupaten/kota before kelurahan, then shorter names, then code.

A code typed as such ("32.73", "32.73.01.1001") finds the places whose code starts with it.
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable

import pandas as pd

from .filters import Filters

LEVEL_ORDER = {"nasional": 0, "prov": 1, "kab": 2, "desa": 3}
NATIONAL = "ID"  # the code used for the whole programme (national)
RESULT_COLUMNS = ["level", "kode", "nama", "induk", "kesalahan"]
# Words that only say what kind of place it is; they may be typed but do not need to be.
_KIND_WORDS = frozenset({"kota", "kab", "kabupaten", "adm", "administrasi", "provinsi", "prov", "desa", "kelurahan"})
_CODE_RE = re.compile(r"[0-9]{2}(\.[0-9]{0,2}(\.[0-9]{0,2}(\.[0-9]{0,4})?)?)?")


# --- region codes ----------------------------------------------------------------------------------------


def region_level(code: str | None) -> str:
    """"ID"/None -> "nasional", "32" -> "prov", "32.73" -> "kab", "32.73.01.1001" -> "desa"."""
    if not code or code == NATIONAL:
        return "nasional"
    parts = code.count(".")
    if parts == 0:
        return "prov"
    if parts == 1:
        return "kab"
    return "desa"


def region_of(prov: str | None, kab: str | None, desa: str | None) -> str:
    """The region a profile shows: the desa if set, else the kabupaten/kota, else the province, else national."""
    return desa or kab or prov or NATIONAL


def place_filters(f: Filters, code: str | None) -> Filters:
    """`f` with its province and kabupaten/kota filters set to those of a region code (for navigation: the
    other filters are kept). A desa/kelurahan sets its kabupaten/kota; the desa itself is ViewState.desa."""
    level = region_level(code)
    if level == "nasional":
        return dataclasses.replace(f, prov=None, kab=None)
    if level == "prov":
        return dataclasses.replace(f, prov=code, kab=None)
    return dataclasses.replace(f, prov=code[:2], kab=code[:5])


def region_filters(f: Filters, code: str | None) -> Filters:
    """The filters that select one region's data: the place filters replaced by the region's, the others kept.

    For a desa/kelurahan (one location) the location filters (type, financier, slum level) are dropped: they
    describe the location itself, so keeping them would only empty the result. Callers select the desa.
    """
    if region_level(code) == "desa":
        return Filters(tahun=f.tahun, prov=code[:2], kab=code[:5])
    return place_filters(f, code)


# --- text matching ---------------------------------------------------------------------------------------


def normalize(text: str) -> str:
    """Lower case, accents removed, punctuation to spaces: "Kab. Pangkajene & Kep." -> "kab pangkajene kep"."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def words(text: str) -> list[str]:
    return normalize(text).split()


def prefix_distance(typed: str, word: str, limit: int) -> int:
    """Fewest edits (optimal string alignment: insert, delete, substitute, swap neighbours) turning `typed`
    into some beginning of `word`; limit + 1 once that must exceed `limit`. One DP table: the last row holds
    the distance to every prefix of `word`."""
    cols = min(len(word), len(typed) + limit)
    word = word[:cols]
    prev2: list[int] = []
    prev = list(range(cols + 1))
    for i in range(1, len(typed) + 1):
        cur = [i] + [0] * cols
        for j in range(1, cols + 1):
            cost = 0 if typed[i - 1] == word[j - 1] else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and typed[i - 1] == word[j - 2] and typed[i - 2] == word[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[max(0, len(typed) - limit):])


def word_distance(a: str, b: str) -> int:
    """Optimal string alignment distance between two whole words."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
        prev2, prev = prev, cur
    return prev[-1]


def allowed_errors(typed: str) -> int:
    """Typing errors tolerated in one typed word: none up to 3 letters, one up to 5, else two."""
    n = len(typed)
    return 0 if n <= 3 else 1 if n <= 5 else 2


def prefix_errors(typed: str, word: str) -> int | None:
    """Fewest errors for `typed` to be the beginning of `word` (None if more than allowed).
    The first letter must be right."""
    if not typed or not word or typed[0] != word[0]:
        return None
    if word.startswith(typed):
        return 0
    limit = allowed_errors(typed)
    errors = prefix_distance(typed, word, limit)
    return errors if errors <= limit else None


class RegionIndex:
    """Place names split into words once, with a vocabulary by first letter, for fast repeated searches."""

    def __init__(self, index: pd.DataFrame):
        self.rows = [
            (str(level), str(kode), str(nama), induk if isinstance(induk, str) else None)
            for level, kode, nama, induk in index[["level", "kode", "nama", "induk"]].itertuples(index=False)
        ]
        self.own = [tuple(words(r[2])) for r in self.rows]
        self.parent = [tuple(words(r[3] or "")) for r in self.rows]
        vocab: dict[str, set[str]] = {}
        for ws in (*self.own, *self.parent):
            for w in ws:
                vocab.setdefault(w[0], set()).add(w)
        self.vocab = {k: sorted(v) for k, v in vocab.items()}

    def _errors(self, typed: str) -> dict[str, tuple[int, int]]:
        """word -> (errors as a prefix, distance to the whole word), for every vocabulary word that `typed`
        begins within the allowed errors. The second number ranks "sukarasa" above "sukaraja" for "sukarsa"."""
        out = {}
        for w in self.vocab.get(typed[0], ()):
            e = prefix_errors(typed, w)
            if e is not None:
                out[w] = (e, word_distance(typed, w))
        return out

    def search(self, query: str, limit: int = 10, levels: Iterable[str] | None = None) -> pd.DataFrame:
        """The best `limit` places for `query`. Columns: level, kode, nama, induk, kesalahan (typing errors)."""
        keep = set(levels) if levels is not None else None
        text = (query or "").strip()
        if not text or limit <= 0:
            return pd.DataFrame(columns=RESULT_COLUMNS)
        if _CODE_RE.fullmatch(text):
            hits = [(LEVEL_ORDER.get(r[0], 9), r[1], r) for r in self.rows
                    if r[1].startswith(text) and (keep is None or r[0] in keep)]
            hits.sort(key=lambda h: h[:2])
            return pd.DataFrame([(*h[2], 0) for h in hits[:limit]], columns=RESULT_COLUMNS)
        typed = words(text)
        if not typed:
            return pd.DataFrame(columns=RESULT_COLUMNS)
        tables = [self._errors(w) for w in typed]
        scored = []
        for i, row in enumerate(self.rows):
            if keep is not None and row[0] not in keep:
                continue
            m = _match(typed, tables, self.own[i], self.parent[i])
            if m is not None:
                errors, outside, whole = m
                scored.append((errors + outside, outside, whole, LEVEL_ORDER.get(row[0], 9), len(row[2]), row[1],
                               row, errors))
        scored.sort(key=lambda s: s[:6])
        return pd.DataFrame([(*s[6], s[7]) for s in scored[:limit]], columns=RESULT_COLUMNS)


def _match(typed: list[str], tables: list[dict[str, tuple[int, int]]], own: tuple[str, ...],
           parent: tuple[str, ...]) -> tuple[int, int, int] | None:
    """(errors, words matched outside the place's own name, distance to the whole words) if every typed word
    begins a word of the name or of the parent's name, else None. Kind words ("kota", "kab") may be typed but
    need not match; at least one typed word that is not a kind word must match the place's own name."""
    errors = outside = whole = 0
    matched_own = False
    for word, table in zip(typed, tables, strict=True):
        hits = [table[w] for w in own if w in table]
        if hits:
            best = min(hits)
            matched_own = matched_own or word not in _KIND_WORDS
        else:
            hits = [table[w] for w in parent if w in table]
            if not hits and word not in _KIND_WORDS:
                return None
            best = min(hits) if hits else (0, 0)
            outside += 1
        errors += best[0]
        whole += best[1]
    return (errors, outside, whole) if matched_own else None


def search(index: pd.DataFrame, query: str, limit: int = 10, levels: Iterable[str] | None = None) -> pd.DataFrame:
    """One-off search over a region index (columns level, kode, nama, induk, as from
    ``queries.region_index``); build a :class:`RegionIndex` once to search it many times."""
    return RegionIndex(index).search(query, limit, levels)
