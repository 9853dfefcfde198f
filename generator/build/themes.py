"""The Renderer a Builder keeps between builds, and the fingerprint of the templates pages depend on."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from generator.features.base import Switches
from generator.model.common import Site
from generator.render.environment import Renderer, template_folders

from . import fingerprint as fp
from .cache import Cache
from .fingerprint import FileDigests

if TYPE_CHECKING:
    from .pipeline import Options


class Themes:
    """The last build's Renderer, kept while site.yaml, the templates and the options stay the same."""

    def __init__(self, root: Path, options: Options, cache: Cache, files: FileDigests):
        self.root = root
        self.options = options
        self.cache = cache
        self.files = files
        self.renderer: tuple[tuple, Renderer] | None = None  # (what it was made from, renderer)
        self.maps_key = ""  # what the renderer's map drawings were made from
        self.saved_maps = 0  # how many of them the cache holds

    def get(self, site: Site) -> tuple[Renderer, str]:
        """The last build's Renderer, with its compiled templates, while site.yaml
        and the templates stay the same; and the fingerprint pages depend on.

        Static files matter to pages only through content-hashed names, so
        without hashing (the preview) a stylesheet edit re-renders nothing.
        """
        folders = template_folders(self.root)
        extra = repr((site, self.options.drafts, self.options.hashed_assets, self.options.extras, self.options.search,
                      fp.code()))
        templates = fp.fingerprint([self.root / "site.yaml", *folders], extra, skip="static", files=self.files,
                                 within=self.root)
        key = (site, tuple(folders), templates)
        if self.renderer is not None and self.renderer[0] == key:
            renderer = self.renderer[1]
            renderer.refresh_static()
        else:
            # Compiled templates are kept for the next run of the command; the preview, which
            # saves the cache only when asked, compiles them once for its whole life anyway.
            compiled = self.cache.compiled_templates(fp.code()) if self.options.save else None
            renderer = Renderer(site, hashed=self.options.hashed_assets, extras=self.options.extras,
                                search=self.options.search, compiled=compiled)
            self.renderer = (key, renderer)
            self.maps_key = f"{renderer.maps.identity()}\0{fp.code()}"
            renderer.maps.learn(self.cache.maps(self.maps_key))
            self.saved_maps = len(renderer.maps.drawn)
        if not self.options.hashed_assets:
            return renderer, templates
        names = sorted(f"{name}={out}" for name, (_, out) in renderer.static.items())
        if isinstance(renderer.parent_script, bytes):  # published beside the site-wide pages: they are made with it
            names.append(f"embed-parent.js={fp.digest(renderer.parent_script)}")
        return renderer, hashlib.sha256("\n".join([templates, *names]).encode()).hexdigest()

    def switches(self, renderer: Renderer) -> Switches:
        """The features on for this site and build."""
        on = renderer.env.globals
        return Switches(share_pages=bool(on["share_pages"]), embeds=bool(renderer.site.embeds),
                        search=bool(on["search"]), extras=self.options.extras)

    def save(self) -> None:
        """Saves the map drawings when there are new ones."""
        drawn = self.renderer[1].maps.drawn if self.renderer else {}
        if len(drawn) != self.saved_maps:  # drawings only come: a new count is a new drawing
            self.cache.save_maps(self.maps_key, drawn)
            self.saved_maps = len(drawn)
