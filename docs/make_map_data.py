"""Writes generator/data/countries-50m.json.gz from Natural Earth's 1:50m countries.

The input is `countries-50m.json` of the `world-atlas` package (npm, version
2.0.2): Natural Earth's admin-0 countries at 1:50m (public domain) as
TopoJSON, whose arcs are shared between neighbours, so a border is one arc.
This keeps that topology and its quantized, delta-encoded arcs as they are,
and keys the countries by ISO 3166-1 alpha-2 code instead of the numeric
code (via pycountry); the few areas without a code (Somaliland, Northern
Cyprus, Kosovo, ...) are kept under their names prefixed with "~", so their
neighbours' maps show no hole where they are.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python3 docs/make_map_data.py package/countries-50m.json
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parent.parent / "generator" / "data" / "countries-50m.json.gz"


def polygons(geometry: dict) -> list:
    """A geometry's polygons, each a list of rings of arc indexes."""
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def main(source: str) -> None:
    topology = json.loads(Path(source).read_text(encoding="utf-8"))
    countries: dict[str, list] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        found = pycountry.countries.get(numeric=geometry["id"]) if "id" in geometry else None
        key = found.alpha_2 if found else "~" + geometry["properties"]["name"]
        countries.setdefault(key, []).extend(polygons(geometry))
    land = [p for g in topology["objects"]["land"]["geometries"] for p in polygons(g)]
    data = {
        "source": "Natural Earth 1:50m admin-0 countries (public domain), via world-atlas 2.0.2",
        "transform": topology["transform"],
        "arcs": topology["arcs"],
        "countries": dict(sorted(countries.items())),
        "land": land,
    }
    text = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(gzip.compress(text, compresslevel=9, mtime=0))
    print(f"{OUT}: {len(countries)} countries, {len(topology['arcs'])} arcs, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
