"""Region search (typo-tolerant prefix match) and region codes: pure functions on a small hand-made index."""
from __future__ import annotations

import pandas as pd
import pytest

from kotaku_data import search
from kotaku_data.filters import Filters

INDEX = pd.DataFrame(
    [
        ("prov", "32", "Jawa Barat", None),
        ("prov", "73", "Sulawesi Selatan", None),
        ("prov", "34", "DI Yogyakarta", None),
        ("kab", "32.04", "Kab. Bandung", "Jawa Barat"),
        ("kab", "32.73", "Kota Bandung", "Jawa Barat"),
        ("kab", "73.71", "Kota Makassar", "Sulawesi Selatan"),
        ("kab", "34.71", "Kota Yogyakarta", "DI Yogyakarta"),
        ("kab", "31.74", "Kota Adm. Jakarta Selatan", "DKI Jakarta"),
        ("desa", "32.73.01.1001", "Sukarasa", "Kota Bandung"),
        ("desa", "32.73.06.1006", "Sukaraja", "Kota Bandung"),
        ("desa", "33.06.09.1015", "Bandung", "Kab. Purworejo"),
        ("desa", "31.75.08.1001", "Makasar", "Kota Adm. Jakarta Timur"),
        ("desa", "73.71.01.1001", "Bontorannu", "Kota Makassar"),
        ("desa", "11.71.01.1001", "Peunayong", "Kota Banda Aceh"),
    ],
    columns=["level", "kode", "nama", "induk"],
)


@pytest.fixture(scope="module")
def idx() -> search.RegionIndex:
    return search.RegionIndex(INDEX)


def codes(df: pd.DataFrame) -> list[str]:
    return list(df["kode"])


def test_typo_finds_kota_bandung_first(idx):
    hits = idx.search("bandng")
    # kabupaten/kota before the desa called Bandung with the same errors; equal ones by code
    assert codes(hits)[:3] == ["32.04", "32.73", "33.06.09.1015"]
    assert "Kota Bandung" in set(hits["nama"])
    assert list(hits["kesalahan"][:3]) == [1, 1, 1]
    assert codes(idx.search("kota bandng"))[0] == "32.73"


def test_typo_finds_kota_makassar(idx):
    hits = idx.search("makasar")
    assert "73.71" in codes(hits)
    # the exact desa name "Makasar" ranks first; with "kota" typed the kota wins
    assert codes(hits)[0] == "31.75.08.1001"
    assert codes(idx.search("kota makasar"))[0] == "73.71"


def test_prefix_and_case_and_punctuation(idx):
    assert codes(idx.search("SUKARAS"))[0] == "32.73.01.1001"
    assert codes(idx.search("kab. bandung"))[0] == "32.04"
    assert codes(idx.search("jakarta sel"))[0] == "31.74"


def test_swapped_letters_and_parent_words(idx):
    assert codes(idx.search("skuarasa"))[0] == "32.73.01.1001"  # swapped neighbours count as one error
    # a word of the parent's name narrows the result to the places in Kota Bandung
    assert set(codes(idx.search("sukara bandung"))) == {"32.73.01.1001", "32.73.06.1006"}


def test_closest_whole_word_wins_among_equal_errors(idx):
    hits = idx.search("sukarsa")
    assert codes(hits)[0] == "32.73.01.1001"  # Sukarasa (one swap) before Sukaraja


def test_no_match_and_too_many_errors(idx):
    assert idx.search("xyzzy").empty
    assert idx.search("").empty
    assert idx.search("   ").empty
    assert idx.search("bdg").empty  # short words get no tolerance
    assert idx.search("kota").empty  # a kind word alone names no place
    assert idx.search("andung").empty  # the first letter must be right


def test_code_prefix(idx):
    assert codes(idx.search("32.73")) == ["32.73", "32.73.01.1001", "32.73.06.1006"]
    assert codes(idx.search("73")) == ["73", "73.71", "73.71.01.1001"]


def test_levels_and_limit(idx):
    hits = idx.search("bandung", levels=("desa",))
    assert set(hits["level"]) == {"desa"}
    assert len(idx.search("s", limit=2)) <= 2
    assert list(idx.search("bandung").columns) == search.RESULT_COLUMNS


def test_one_off_search_function():
    assert codes(search.search(INDEX, "yogya"))[:2] == ["34", "34.71"]


@pytest.mark.parametrize(("typed", "word", "expected"), [
    ("band", "bandung", 0), ("bandng", "bandung", 1), ("makasar", "makassar", 1), ("bnadung", "bandung", 1),
    ("bandng", "banten", None), ("abc", "abd", None), ("x", "", None),
])
def test_prefix_errors(typed, word, expected):
    assert search.prefix_errors(typed, word) == expected


def test_normalize_and_distance():
    assert search.normalize("Kab. Pangkajene & Kep.") == "kab pangkajene kep"
    assert search.normalize("Bàndung") == "bandung"
    assert search.word_distance("sukarsa", "sukarasa") == 1
    assert search.word_distance("ab", "ba") == 1


@pytest.mark.parametrize(("code", "level"), [
    (None, "nasional"), ("ID", "nasional"), ("32", "prov"), ("32.73", "kab"), ("32.73.01.1001", "desa"),
])
def test_region_level(code, level):
    assert search.region_level(code) == level


def test_region_of_and_filters():
    assert search.region_of(None, None, None) == "ID"
    assert search.region_of("32", None, None) == "32"
    assert search.region_of("32", "32.73", None) == "32.73"
    assert search.region_of("32", "32.73", "32.73.01.1001") == "32.73.01.1001"
    f = Filters(tahun=(2017, 2019), prov="73", kab="73.71", tipe="peningkatan", dana=("ibrd",), tingkat=("berat",))
    assert search.region_filters(f, "ID") == Filters(tahun=(2017, 2019), tipe="peningkatan", dana=("ibrd",),
                                                     tingkat=("berat",))
    assert search.region_filters(f, "32") == Filters(tahun=(2017, 2019), prov="32", tipe="peningkatan",
                                                     dana=("ibrd",), tingkat=("berat",))
    assert search.region_filters(f, "32.73").kab == "32.73"
    # a desa keeps only the years: its type, financier and level are its own
    assert search.region_filters(f, "32.73.01.1001") == Filters(tahun=(2017, 2019), prov="32", kab="32.73")
    # navigation keeps the other filters
    assert search.place_filters(f, "32.73.01.1001") == Filters(tahun=(2017, 2019), prov="32", kab="32.73",
                                                               tipe="peningkatan", dana=("ibrd",),
                                                               tingkat=("berat",))
