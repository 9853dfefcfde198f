"""The maps a build asks for: inline in a page or as a file, each drawn once and shared with workers."""

from __future__ import annotations

import functools
from pathlib import Path

from markupsafe import Markup, escape

from .draw import drawing
from .geometry import Polygon
from .labels import country_names
from .projection import HEIGHT, WIDTH
from .world import DATA, World, load_world

FILE_STYLE = (".sea{fill:#f1ede4}.land{fill:#ddd6c9}.here{fill:#a51f17}.border{fill:none;stroke:#fbf9f4;"
              "stroke-width:1}.coast{fill:none;stroke:#b9b0a1;stroke-width:.6}.dot{fill:none;stroke:#a51f17;"
              "stroke-width:1.5}.label{font:11px DejaVu Sans,Verdana,sans-serif;fill:#5a544b;text-anchor:middle;"
              "paint-order:stroke;stroke:#fbf9f4;stroke-width:3px;stroke-linejoin:round}.label.name{font-size:13px;"
              "font-weight:700;fill:#1c1a17}.inset{fill:#fbf9f4;stroke:#9a9184;stroke-width:.6}"
              ".inset-land{fill:#c9c1b3}@media(prefers-color-scheme:dark){.sea{fill:#211f1c}.land{fill:#3d3934}"
              ".here{fill:#f3907f}.border{stroke:#161513}.coast{stroke:#6b645a}.dot{stroke:#f3907f}"
              ".label{fill:#cfc8bb;stroke:#161513}.label.name{fill:#fbf9f4}.inset{fill:#161513;stroke:#6b645a}"
              ".inset-land{fill:#4a453f}}")


class LocatorMaps:
    """Draws locator maps from the packaged data, read on first use.

    Drawings made before (by workers, or by an earlier run: see learn()) are
    used as they are, so the data is read only to draw a new country.
    """

    def __init__(self, language: str = "en", source: Path | None = None):
        self.language = language
        self.path = source or DATA
        self.drawn: dict[str, str] = {}  # key (see _drawing) -> drawing, made here or learned from a worker
        self.fresh: set[str] = set()  # keys drawn here since new_drawings() was last asked
        self.codes: set[str] = set()  # codes known to be in the data, from the drawings at hand

    @functools.cached_property
    def world(self) -> World:
        return load_world(self.path)

    @property
    def shapes(self) -> dict[str, list[Polygon]]:
        """The countries that have a code, as polygons of arc references."""
        return {code.lower(): polygons for code, polygons in self.world.countries.items() if not code.startswith("~")}

    def has(self, code: str) -> bool:
        """Whether the data has the country: known from a drawing of it without reading the data."""
        code = code.upper()
        return not code.startswith("~") and (code in self.codes or code in self.world.countries)

    def identity(self) -> str:
        """What the drawings depend on besides the code that draws them: the data file."""
        try:
            st = self.path.stat()
        except OSError:
            return ""
        return f"{self.path}:{st.st_size}:{st.st_mtime_ns}"

    def svg(self, code: str, title: str, name: str = "") -> Markup:
        """The map to put inside a page, styled by the page's CSS; empty for an unknown code."""
        if not self.has(code):
            return Markup("")
        return Markup(f'<svg class="locator" viewBox="0 0 {WIDTH} {HEIGHT}" role="img">'
                      f"<title>{escape(title)}</title>{self._drawing(code, name)}</svg>")

    def file(self, code: str, title: str, name: str = "") -> bytes:
        """The same map as a file of its own, with its colours, for <img> and sharing."""
        return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH * 2}" '
                f'height="{HEIGHT * 2}" role="img"><title>{escape(title)}</title><style>{FILE_STYLE}</style>'
                f'<rect width="100%" height="100%" class="sea"/>{self._drawing(code, name)}</svg>\n').encode()

    def new_drawings(self) -> dict[str, str]:
        """The drawings made here since last asked: a worker hands them to the build, whose
        country pages then need not draw the same maps again."""
        made = {key: self.drawn[key] for key in sorted(self.fresh)}
        self.fresh.clear()
        return made

    def learn(self, drawn: dict[str, str]) -> None:
        self.drawn.update(drawn)
        self.codes.update(key.partition("\0")[0] for key in drawn)

    def _drawing(self, code: str, name: str) -> str:
        code = code.upper()
        names = country_names(self.language)
        name = name or names.get(code, code)
        key = f"{code}\0{name}\0{self.language}"
        if key not in self.drawn:
            self.drawn[key] = drawing(self.path, code, name, self.language)
            self.fresh.add(key)
            self.codes.add(code)
        return self.drawn[key]
