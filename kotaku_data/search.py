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

import bisect
import dataclasses
import functools
import re
import sys
import unicodedata
from collections.abc import Iterable

import numpy as np
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
    return " ".join(words(text))


_NOT_LETTERS = re.compile(r"[^a-z0-9]+")


def words(text: str) -> list[str]:
    """The words of `normalize(text)`."""
    text = str(text)
    if not text.isascii():  # plain ASCII (most names) has no accents to remove
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_LETTERS.sub(" ", text.lower()).split()


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
    """Place names split into words once, with a vocabulary by first letter and, for every word, the places
    whose name or parent's name holds it, for fast repeated searches: a search scores only the places that hold
    a match of every typed word (not every place: 220,000 at 20 times the bundled size). The places stay in
    their data frame; only the candidates of a search become Python rows."""

    def __init__(self, index: pd.DataFrame):
        self.index = index[["level", "kode", "nama", "induk"]].reset_index(drop=True)
        split = functools.lru_cache(maxsize=None)(_words)  # names repeat (parents always): split each once
        places: dict[str, list[int]] = {}
        columns = zip(self.index["nama"].tolist(), self.index["induk"].tolist(), strict=True)
        for i, (name, parent) in enumerate(columns):
            for w in {*split(str(name)), *split(_parent(parent))}:
                places.setdefault(w, []).append(i)
        self.places = {w: np.array(rows, dtype=np.int32) for w, rows in places.items()}  # rows in order
        self.vocab: dict[str, list[str]] = {}
        for w in sorted(places):
            self.vocab.setdefault(w[0], []).append(w)
        # the vocabulary of each first letter as a matrix of letter codes (0 after the end) and word lengths
        self.letters = {}
        for first, ws in self.vocab.items():
            lengths = np.array([len(w) for w in ws])
            letters = np.zeros((len(ws), lengths.max()), dtype=np.int32)
            for k, w in enumerate(ws):
                letters[k, :len(w)] = [ord(c) for c in w]
            self.letters[first] = (letters, lengths)
        codes = self.index["kode"].to_numpy(dtype=object)
        self.by_code = np.argsort(codes, kind="stable")
        self.codes = codes[self.by_code]
        self.split = functools.lru_cache(maxsize=4096)(_words)

    def _rows(self, positions: np.ndarray) -> list[tuple[str, str, str, str | None]]:
        """(level, kode, nama, induk) of the places at `positions`."""
        part = self.index.take(positions)
        return [
            (str(level), str(kode), str(nama), induk if isinstance(induk, str) else None)
            for level, kode, nama, induk in zip(*(part[c].tolist() for c in part.columns), strict=True)
        ]

    def _errors(self, typed: str) -> dict[str, tuple[int, int]]:
        """word -> (errors as a prefix, distance to the whole word), for every vocabulary word that `typed`
        begins within the allowed errors. The second number ranks "sukarasa" above "sukaraja" for "sukarsa".

        The same as prefix_errors and word_distance for every word of the vocabulary, computed faster: a word
        that begins with `typed` has no error and is as far from it as it is longer; the others (only when errors
        are allowed) go through the table of prefix_distance for all the words of the first letter at once."""
        words = self.vocab.get(typed[0], [])
        n, limit = len(typed), allowed_errors(typed)
        lo, hi = bisect.bisect_left(words, typed), bisect.bisect_left(words, typed + "\uffff")
        out = {w: (0, len(w) - n) for w in words[lo:hi]}
        if limit == 0 or not words:
            return out
        letters, lengths = self.letters[typed[0]]
        cols = n + limit  # beginnings longer than this are not compared (as in prefix_distance)
        last = _last_rows(typed, letters, cols)
        # fewest errors over the beginnings from n - limit letters up to the whole word (or `cols` letters)
        j = np.arange(cols + 1)
        usable = (j >= n - limit) & (j <= np.minimum(lengths, cols)[:, None])
        errors = np.where(usable, last, limit + 1).min(axis=1)
        found = np.array([k for k in np.flatnonzero(errors <= limit) if words[k] not in out], dtype=np.int64)
        if len(found):
            whole = _last_rows(typed, letters[found], int(lengths[found].max()))[np.arange(len(found)), lengths[found]]
            out.update((words[k], (int(errors[k]), int(d))) for k, d in zip(found, whole, strict=True))
        return dict(sorted(out.items()))

    def _candidates(self, typed: list[str], tables: list[dict[str, tuple[int, int]]]) -> np.ndarray:
        """Rows (in order) whose name or parent's name holds a match of every typed word that is not a kind word:
        the only rows _match can accept."""
        found = None
        for word, table in zip(typed, tables, strict=True):
            if word in _KIND_WORDS:
                continue
            rows = np.unique(np.concatenate([self.places[w] for w in table] or [np.empty(0, dtype=np.int32)]))
            found = rows if found is None else np.intersect1d(found, rows, assume_unique=True)
        return np.empty(0, dtype=np.int32) if found is None else found

    def search(self, query: str, limit: int = 10, levels: Iterable[str] | None = None) -> pd.DataFrame:
        """The best `limit` places for `query`. Columns: level, kode, nama, induk, kesalahan (typing errors)."""
        keep = set(levels) if levels is not None else None
        text = (query or "").strip()
        if not text or limit <= 0:
            return pd.DataFrame(columns=RESULT_COLUMNS)
        if _CODE_RE.fullmatch(text):
            # the codes beginning with `text` are one run of the sorted codes
            lo, hi = np.searchsorted(self.codes, [text, text + "\uffff"])
            hits = [(LEVEL_ORDER.get(r[0], 9), r[1], r) for r in self._rows(self.by_code[lo:hi])
                    if keep is None or r[0] in keep]
            hits.sort(key=lambda h: h[:2])
            return pd.DataFrame([(*h[2], 0) for h in hits[:limit]], columns=RESULT_COLUMNS)
        typed = words(text)
        if not typed:
            return pd.DataFrame(columns=RESULT_COLUMNS)
        tables = [self._errors(w) for w in typed]
        scored = []
        for row in self._rows(self._candidates(typed, tables)):
            if keep is not None and row[0] not in keep:
                continue
            m = _match(typed, tables, self.split(row[2]), self.split(row[3] or ""))
            if m is not None:
                errors, outside, whole = m
                scored.append((errors + outside, outside, whole, LEVEL_ORDER.get(row[0], 9), len(row[2]), row[1],
                               row, errors))
        scored.sort(key=lambda s: s[:6])
        return pd.DataFrame([(*s[6], s[7]) for s in scored[:limit]], columns=RESULT_COLUMNS)


def _parent(induk) -> str:
    """A parent name, '' when there is none."""
    return induk if isinstance(induk, str) else ""


def _last_rows(typed: str, letters: np.ndarray, cols: int) -> np.ndarray:
    """The last row of prefix_distance's table (without its early exit) for many words at once: the distances of
    `typed` to the first 0..cols letters of every word, one word per row of `letters` (letter codes, 0 after the
    end of the word)."""
    letters = np.pad(letters, ((0, 0), (0, max(0, cols - letters.shape[1]))))[:, :cols]
    t = [ord(c) for c in typed]
    prev2, prev = None, np.tile(np.arange(cols + 1), (len(letters), 1))
    for i in range(1, len(t) + 1):
        cur = np.empty_like(prev)
        cur[:, 0] = i
        for j in range(1, cols + 1):
            substitute = prev[:, j - 1] + (letters[:, j - 1] != t[i - 1])
            v = np.minimum(np.minimum(prev[:, j], cur[:, j - 1]) + 1, substitute)
            if i > 1 and j > 1:  # two neighbours swapped
                swap = (letters[:, j - 2] == t[i - 1]) & (letters[:, j - 1] == t[i - 2])
                v = np.where(swap, np.minimum(v, prev2[:, j - 2] + 1), v)
            cur[:, j] = v
        prev2, prev = prev, cur
    return prev


def _words(name: str) -> tuple[str, ...]:
    """The words of a name, each kept once in memory (the same word in many names is one string)."""
    return tuple(sys.intern(w) for w in words(name))


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
