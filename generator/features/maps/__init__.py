"""Locator maps: a small inline SVG of the region with one country highlighted.

The shapes are Natural Earth's admin-0 countries at 1:50m (public domain),
kept in `generator/data/countries-50m.json.gz` as TopoJSON (see
docs/make_map_data.py): every border between two countries is one arc,
shared by both. A map projects its region (equirectangular, true to scale at
the country's middle latitude), simplifies each arc once at the map's own
resolution and builds both countries' fills from that same line, so
neighbours meet without gaps; the border itself is drawn once, as a line of
its own, and so is the coastline. The country and its neighbours are named
in the page's font (CSS classes, so the page's colours apply, light and
dark); a country small enough to be hard to place gets a locator inset of
the world. Integer coordinates keep a map to a few kilobytes and the same
bytes each time. No tiles, no network.

The modules, each with one job: world (reading the data), geometry (points,
boxes, areas), projection (the frame and degrees to map units), simplify,
clip, pathdata (SVG path text, written and read), labels, inset, draw (one
map's elements) and locator (the maps a build asks for).
"""

from .draw import drawing
from .geometry import Box, Point, Polygon, Ring
from .labels import country_names
from .locator import FILE_STYLE, LocatorMaps
from .pathdata import parse_path
from .projection import HEIGHT, WIDTH, View
from .world import DATA, World, load_world

__all__ = ["DATA", "FILE_STYLE", "HEIGHT", "WIDTH", "Box", "LocatorMaps", "Point", "Polygon", "Ring", "View",
           "World", "country_names", "drawing", "load_world", "parse_path"]
