"""Province polygons: committed GeoJSON sanity + ECharts decoder on hand-encoded input."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from kotaku_data.build import geo

ROOT = Path(__file__).resolve().parents[2]
GEOJSON = ROOT / "data" / "reference" / "provinsi.geojson"
ATTRIBUTION = ROOT / "data" / "reference" / "provinsi.geojson.ATTRIBUTION.txt"

EXPECTED_CODES = {
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
    "31", "32", "33", "34", "35", "36", "51", "52", "53",
    "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76",
    "81", "82", "91", "92",
}  # fmt: skip

# Provincial capitals (lon, lat), from general geography -- independent of the map source.
CAPITALS = {
    "11": (95.32, 5.55),  # Banda Aceh
    "12": (98.67, 3.59),  # Medan
    "13": (100.35, -0.95),  # Padang
    "14": (101.45, 0.51),  # Pekanbaru
    "15": (103.61, -1.61),  # Jambi
    "16": (104.76, -2.99),  # Palembang
    "17": (102.26, -3.80),  # Bengkulu
    "18": (105.26, -5.43),  # Bandar Lampung
    "19": (106.11, -2.13),  # Pangkal Pinang
    "21": (104.45, 0.92),  # Tanjung Pinang
    "31": (106.83, -6.18),  # Jakarta
    "32": (107.61, -6.91),  # Bandung
    "33": (110.42, -6.99),  # Semarang
    "34": (110.37, -7.80),  # Yogyakarta
    "35": (112.75, -7.25),  # Surabaya
    "36": (106.15, -6.12),  # Serang
    "51": (115.22, -8.65),  # Denpasar
    "52": (116.12, -8.58),  # Mataram
    "53": (123.60, -10.17),  # Kupang
    "61": (109.33, -0.03),  # Pontianak
    "62": (113.92, -2.21),  # Palangka Raya
    "63": (114.59, -3.32),  # Banjarmasin
    "64": (117.15, -0.50),  # Samarinda
    "65": (117.37, 2.84),  # Tanjung Selor
    "71": (124.84, 1.47),  # Manado
    "72": (119.87, -0.90),  # Palu
    "73": (119.42, -5.14),  # Makassar
    "74": (122.51, -3.97),  # Kendari
    "75": (123.06, 0.54),  # Gorontalo
    "76": (118.89, -2.68),  # Mamuju
    "81": (128.18, -3.70),  # Ambon
    "82": (127.57, 0.74),  # Sofifi
    "91": (140.72, -2.53),  # Jayapura
    "92": (134.07, -0.86),  # Manokwari
}


# ----------------------------------------------------------------------------- independent helpers


def _polygons(geometry):
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def _points(geometry):
    for poly in _polygons(geometry):
        for ring in poly:
            yield from ring


def _centroid(geometry):
    """Area-weighted shoelace centroid of all outer rings."""
    total = sx = sy = 0.0
    for poly in _polygons(geometry):
        ring = poly[0]
        a = cx = cy = 0.0
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            c = x1 * y2 - x2 * y1
            a += c
            cx += (x1 + x2) * c
            cy += (y1 + y2) * c
        if a:
            w = abs(a) / 2
            total += w
            sx += w * cx / (3 * a)
            sy += w * cy / (3 * a)
    return sx / total, sy / total


def _inside(pt, ring):
    x, y = pt
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _seg_dist(p, a, b):
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def _distance(pt, geometry):
    """0 if pt is inside the (multi)polygon, else distance (degrees) to its nearest edge."""
    best = math.inf
    for poly in _polygons(geometry):
        ring = poly[0]
        if _inside(pt, ring):
            return 0.0
        best = min(best, min(_seg_dist(pt, a, b) for a, b in zip(ring, ring[1:] + ring[:1], strict=True)))
    return best


@pytest.fixture(scope="module")
def fc():
    with open(GEOJSON, encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def by_code(fc):
    return {f["id"]: f for f in fc["features"]}


@pytest.fixture(scope="module")
def centroids(by_code):
    return {code: _centroid(f["geometry"]) for code, f in by_code.items()}


# ----------------------------------------------------------------------------- committed file


def test_file_size_and_attribution():
    assert GEOJSON.stat().st_size < 200_000
    text = ATTRIBUTION.read_text(encoding="utf-8")
    assert "echarts-countries-pypkg 0.1.6" in text
    assert "© OpenStreetMap contributors" in text and "ODbL" in text


def test_exactly_34_provinces_keyed_by_code(fc):
    assert fc["type"] == "FeatureCollection"
    assert len(fc["features"]) == 34
    ids = [f["id"] for f in fc["features"]]
    assert len(set(ids)) == 34
    assert set(ids) == EXPECTED_CODES
    for f in fc["features"]:
        assert isinstance(f["id"], str)
        assert f["properties"]["kode_prov"] == f["id"]
        assert f["properties"]["name_en"]
        assert f["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_mapping_table_is_complete():
    assert set(geo.PROVINCE_CODES) == EXPECTED_CODES
    assert len(geo.PROVINCES_BY_EN_NAME) == 34


def test_all_coordinates_inside_indonesia_and_rings_valid(fc):
    n = 0
    for f in fc["features"]:
        for poly in _polygons(f["geometry"]):
            for ring in poly:
                assert len(ring) >= 4 and ring[0] == ring[-1], f["id"]
        for lon, lat in _points(f["geometry"]):
            assert 94 <= lon <= 142 and -11.5 <= lat <= 6.5, (f["id"], lon, lat)
            assert round(lon, 3) == lon and round(lat, 3) == lat
            n += 1
    assert n > 3000  # simplified, but not to the point of being unrecognisable


def test_aceh_westernmost_and_north(centroids):
    lon, lat = centroids["11"]
    assert lon == min(c[0] for c in centroids.values())
    assert lat > 2.0


def test_papua_easternmost(centroids):
    assert centroids["91"][0] == max(c[0] for c in centroids.values())
    assert centroids["91"][0] > 136


def test_jakarta_and_bali_centroids(centroids):
    lon, lat = centroids["31"]
    assert abs(lon - 106.8) < 0.5 and abs(lat - (-6.2)) < 0.5
    lon, lat = centroids["51"]
    assert abs(lon - 115.1) < 0.5 and abs(lat - (-8.4)) < 0.5


def test_relative_positions(centroids):
    lon = {k: v[0] for k, v in centroids.items()}
    lat = {k: v[1] for k, v in centroids.items()}
    # Java, west to east: Banten, Jakarta, West Java, Central Java, East Java
    assert lon["36"] < lon["31"] < lon["32"] < lon["33"] < lon["35"]
    # Java, Bali, Nusa Tenggara are south of the equator and of Kalimantan
    for code in ("31", "32", "33", "34", "35", "36", "51", "52", "53"):
        assert lat[code] < -5.5
    assert lat["65"] > lat["64"]  # North Kalimantan split off the north of East Kalimantan
    assert lat["71"] > lat["73"] and lat["74"] < lat["72"]  # Sulawesi
    assert lon["92"] < lon["91"]  # West Papua west of Papua


def test_each_capital_falls_in_its_own_province(by_code):
    for code, pt in CAPITALS.items():
        dists = {c: _distance(pt, f["geometry"]) for c, f in by_code.items()}
        nearest = min(dists, key=dists.get)
        assert nearest == code, (code, nearest, dists[code], dists[nearest])
        assert dists[code] < 0.1, (code, dists[code])


def test_load_province_geojson_is_cached(fc):
    a = geo.load_province_geojson(GEOJSON)
    b = geo.load_province_geojson(GEOJSON)
    assert a is b
    assert a == fc


# ----------------------------------------------------------------------------- decoder


def _zz_char(v: int) -> str:
    """Encoding rule by hand: zigzag (v>=0 -> 2v, v<0 -> -2v-1), then +64."""
    return chr((2 * v if v >= 0 else -2 * v - 1) + 64)


def test_decode_hand_encoded_ring():
    # offsets (102400, -5120) = (100.0, -5.0) * 1024; deltas (0,0) (+3,-2) (+500,-300) (-503,+302)
    ring = "@@" + "FC" + chr(1000 + 64) + chr(599 + 64) + chr(1005 + 64) + chr(604 + 64)
    assert ring[2:4] == _zz_char(3) + _zz_char(-2)
    assert ring[4:] == _zz_char(500) + _zz_char(-300) + _zz_char(-503) + _zz_char(302)
    expected = [
        [102400 / 1024, -5120 / 1024],
        [102403 / 1024, -5122 / 1024],
        [102903 / 1024, -5422 / 1024],
        [102400 / 1024, -5120 / 1024],
    ]
    assert expected[0] == [100.0, -5.0]
    assert geo.decode_ring(ring, [102400, -5120]) == expected

    js_obj = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Poly"},
                "geometry": {"type": "Polygon", "coordinates": [ring], "encodeOffsets": [[102400, -5120]]},
            },
            {
                "type": "Feature",
                "properties": {"name": "Multi"},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[ring], ["@@" + "FC" + "E@"]],
                    "encodeOffsets": [[[102400, -5120]], [[0, 1024]]],
                },
            },
        ],
        "UTF8Encoding": True,
    }
    js = "(function(){echarts.registerMap('印尼, x', " + json.dumps(js_obj) + ");})();"
    out = geo.decode_echarts_map(js)
    assert out["type"] == "FeatureCollection"
    poly, multi = out["features"]
    assert poly["properties"] == {"name": "Poly"}
    assert poly["geometry"] == {"type": "Polygon", "coordinates": [expected]}
    assert multi["geometry"]["type"] == "MultiPolygon"
    assert multi["geometry"]["coordinates"][0] == [expected]
    # second polygon: start (0, 1024); +(3,-2) -> (3, 1022); +(-3, 0) -> (0, 1022)
    assert multi["geometry"]["coordinates"][1] == [[[0.0, 1.0], [3 / 1024, 1022 / 1024], [0.0, 1022 / 1024]]]


def test_decode_respects_utf8scale():
    js_obj = {
        "type": "FeatureCollection",
        "UTF8Encoding": True,
        "UTF8Scale": 2048,
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "x"},
                "geometry": {"type": "Polygon", "coordinates": ["@@FC"], "encodeOffsets": [[2048, 4096]]},
            }
        ],
    }
    out = geo.decode_echarts_map("echarts.registerMap('x', " + json.dumps(js_obj) + ");")
    assert out["features"][0]["geometry"]["coordinates"] == [[[1.0, 2.0], [2051 / 2048, 4094 / 2048]]]


# ----------------------------------------------------------------------------- simplification


def test_simplify_keeps_largest_and_drops_specks():
    square = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
    wiggly = [[0.0, 0.0], [0.5, 0.0001], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
    speck = [[5.0, 5.0], [5.01, 5.0], [5.01, 5.01], [5.0, 5.0]]
    g = geo.simplify_geometry(
        {"type": "MultiPolygon", "coordinates": [[speck], [wiggly]]}, tolerance=0.01, min_area=0.001
    )
    assert g == {"type": "MultiPolygon", "coordinates": [[square]]}
    # a province that is only a speck keeps it
    g = geo.simplify_geometry({"type": "Polygon", "coordinates": [speck]}, tolerance=0.01, min_area=0.001)
    assert g["coordinates"] == [[speck]]


def test_build_reproduces_committed_file(tmp_path):
    pytest.importorskip("echarts_countries_pypkg")
    out = geo.build_province_geojson(tmp_path / "provinsi.geojson")
    assert out.read_bytes() == GEOJSON.read_bytes()
    assert (tmp_path / "provinsi.geojson.ATTRIBUTION.txt").read_bytes() == ATTRIBUTION.read_bytes()
