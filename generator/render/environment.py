"""Rendering: one Jinja2 environment, the site's templates over the default theme.

Templates are looked up by file name in the site's own templates/ folder
first, then in the default theme, so a site overrides exactly what it names.
Autoescape is on and undefined names are errors, so a typo in a template or
a plain-text field can never slip into a page unnoticed or unescaped.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from jinja2 import (
    BaseLoader,
    BytecodeCache,
    ChoiceLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    pass_context,
    select_autoescape,
)
from jinja2.loaders import split_template_path

from generator.errors import Pos, Problem, Report
from generator.fastpaths import FastEnvironment
from generator.features.countries import Hub
from generator.features.images.cards import og_locale
from generator.features.maps import LocatorMaps
from generator.identity import default_theme
from generator.load.files import contained, is_inside, outside_message, relpath
from generator.model.common import Site
from generator.model.page import DateView, Explainer

from . import paths
from .i18n import CatalogueError, Languages
from .meta import PageMeta, absolute, explainer_meta, index_meta, site_card_meta
from .minify import published

THEME = default_theme()
HASHED = {".css", ".js"}  # files whose names carry a content hash, safe to cache for long
EMBEDS_ONLY = {"embed.css", "embed.js", "embed-parent.js", "embed-code.js"}  # left out with `embeds: false`
# Published at the site's top under its own name, which never changes: other sites' stories load it.
PARENT_SCRIPT = "embed-parent.js"


@dataclass(frozen=True)
class ImageLink:
    src: str
    alt: str
    caption: str
    credit: str
    width: int = 0
    height: int = 0


@dataclass(frozen=True)
class IndexEntry:
    url: str
    title: str
    dek: str
    date: DateView
    image: ImageLink | None
    tags: list[str]
    draft: bool


def template_folders(root: Path, theme: Path = THEME) -> list[Path]:
    """The site's templates/ (if any), then the theme: the lookup order."""
    return [p for p in (root / "templates", theme) if p.is_dir()]


class LinkOutside(TemplateError):
    """A template file that is a link to outside its site (or the theme): never read."""

    def __init__(self, shown: str, message: str):
        super().__init__(message)
        self.shown = shown


@dataclass(frozen=True)
class Origin:
    """Where a folder of templates comes from: the folder its files must stay inside, and how
    messages name them (site files by their path in the site, the theme's with a label)."""

    root: Path
    label: str = ""  # before the path in messages
    where: str = "site"  # what the root is, in messages

    def shown(self, path: Path) -> str:
        return self.label + relpath(path, self.root)


class TemplateFolder(BaseLoader):
    """The templates of one folder, each read only while it stays inside its origin's root:
    the containment rule of sources.contained, as a Jinja loader."""

    def __init__(self, folder: Path, origin: Origin):
        self.folder = folder
        self.origin = origin

    def get_source(self, environment, template: str):
        path = self.folder.joinpath(*split_template_path(template))  # no '..' in the name
        if not path.is_file():
            raise TemplateNotFound(template)
        if not is_inside(path, self.origin.root):
            raise LinkOutside(self.origin.shown(path), outside_message(where=self.origin.where))
        with open(path, encoding="utf-8") as f:
            source = f.read()
        mtime = os.path.getmtime(path)
        return source, os.path.normpath(path), lambda: _mtime(path) == mtime


def _mtime(path: Path) -> float | None:
    try:
        return os.path.getmtime(path)
    except OSError:
        return None


class Renderer:
    """Turns explainers into page text; knows the theme's static files."""

    def __init__(self, site: Site, theme: Path = THEME, hashed: bool = True, extras: bool = True,
                 compiled: BytecodeCache | None = None, search: bool = True):
        """`compiled` keeps compiled templates for the next process (build/compiled.py); `extras`: the
        files only published sites have (share pages); `search`: pages with the search box."""
        self.site = site
        self.hashed = hashed  # the preview keeps plain names so CSS can be swapped live
        self.folders = template_folders(site.root, theme)
        theirs, ours = Origin(theme, "(default theme)/", "default theme"), Origin(site.root)
        self.origins = {folder: theirs if folder == theme else ours for folder in self.folders}
        self.problems: list[Problem] = []  # static files refused: see _static_files
        self.env = FastEnvironment(  # `{{ x }}` without a Markup per value (fastpaths.py)
            loader=ChoiceLoader([TemplateFolder(p, self.origins[p]) for p in dict.fromkeys(self.folders)]),
            autoescape=select_autoescape(["html", "xml"], default_for_string=True, default=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            # A Renderer is made again whenever a template changes (Builder._renderer), so
            # templates are never checked for changes: that would stat every partial per include.
            auto_reload=False,
            bytecode_cache=compiled,
            extensions=["jinja2.ext.i18n"],
        )
        # Messages take their values by name, _("%(name)s: all explainers", name=...): see i18n.template_words.
        self.env.newstyle_gettext = True
        self.languages = Languages([(p, self.origins[p]) for p in dict.fromkeys(self.folders)])
        self.env.globals.update(self.languages.template_globals(site.language))
        # Compact JSON-LD: every byte of the page counts toward its weight budget.
        self.env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":"), "ensure_ascii": False}
        self.env.filters["og_locale"] = og_locale
        self.static = self._static_files()
        self.maps = LocatorMaps(site.language)  # country shapes load once per build, on first use
        self.env.globals.update(site=site, asset=self._asset, maps=self.maps, share_pages=extras and site.share_pages,
                                search=search and site.search,
                                embeds=site.embeds, embed_codes=not extras and site.embeds and self._embed_codes)

    def refresh_static(self) -> None:
        """Looks at the static files again; compiled templates are kept."""
        self.static = self._static_files()

    def _static_files(self) -> dict[str, tuple[bytes | Path, str]]:
        """name -> (what to write, name in the output); the site's files win by name.

        Published builds write CSS and JS minified, named by the minified bytes;
        the preview writes the files as they are, under their own names. A file
        that is a link to outside its site (or the theme) is left out, and
        reported in `problems`.
        """
        found: dict[str, tuple[bytes | Path, str]] = {}
        self.parent_script: bytes | Path | None = None  # see PARENT_SCRIPT
        refused = Report()
        for folder in reversed(self.folders):
            static, origin = folder / "static", self.origins[folder]
            if not static.is_dir() or not contained(static, origin.root, origin.shown(static), refused, "folder",
                                                    where=origin.where):
                continue
            for path in sorted(static.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    if not contained(path, origin.root, origin.shown(path), refused, where=origin.where):
                        continue
                    name = path.relative_to(static).as_posix()
                    if name in EMBEDS_ONLY and not self.site.embeds:
                        continue
                    if name == PARENT_SCRIPT:
                        self.parent_script = published(path) if self.hashed else path
                        continue
                    if self.hashed:
                        content = published(path)
                        found[name] = (content, _hashed_name(name, content))
                    else:
                        found[name] = (path, name)
        self.problems = refused.problems
        return found

    def _embed_codes(self, explainer: Explainer) -> list:
        """The preview lists each embed's snippet under the explainer (published pages do not)."""
        from generator.features.embeds import codes

        return codes(self.site, explainer)

    @pass_context
    def _asset(self, context, name: str) -> str:
        if name not in self.static:
            raise TemplateError(f"asset({name!r}): no such file in templates/static/")
        return f"{context['root']}static/{self.static[name][1]}"

    def page(self, template: str, root: str, lang: str = "", **context) -> str:
        ui = self.languages.ui(lang or self.site.language)
        return self.env.get_template(template).render(root=root, lang=ui.lang, dir=ui.dir, **ui.template_words,
                                                      **context)

    def explainer(self, explainer: Explainer) -> str:
        return self.page("explainer.html", paths.root(paths.explainer(explainer.slug)), explainer.language,
                         explainer=explainer, page=explainer_meta(self.site, explainer))

    def index(self, explainers: list[Explainer]) -> str:
        entries = [IndexEntry(
            url=paths.page(paths.explainer(e.slug)),
            title=e.title,
            dek=e.dek,
            date=e.date,
            image=_image_from_index(e),
            tags=e.tags,
            draft=e.draft,
        ) for e in explainers]
        return self.page("index.html", "", explainers=entries, page=index_meta(self.site))

    def extras(self, explainers: list[Explainer], country_pages: list[Hub]) -> dict[str, str]:
        """The site-wide files: not-found page, sitemap (country pages included), feed, robots.txt,
        and the embeds' parent script."""
        pages = [(absolute(self.site, ""), max((_modified(e) for e in explainers), default=""))]
        pages += [(absolute(self.site, paths.explainer(e.slug)), _modified(e)) for e in explainers]
        pages += [(absolute(self.site, hub.path), hub.modified) for hub in country_pages]
        metas = [explainer_meta(self.site, e) for e in explainers]
        not_found = PageMeta(title=f"Page not found — {self.site.title}", description=self.site.description,
                             canonical=absolute(self.site, "404.html"), **site_card_meta(self.site))
        # The not-found page is served at any depth, so it links from the site root.
        return {
            "404.html": self.page("404.html", self.site.base_url, page=not_found),
            "sitemap.xml": self.page("sitemap.xml", "", pages=pages),
            "feed.xml": self.page("feed.xml", "", entries=list(zip(explainers, metas)),
                                  updated=pages[0][1], feed_url=absolute(self.site, "feed.xml"),
                                  site_url=absolute(self.site, "")),
            "robots.txt": self.page("robots.txt", "", sitemap=absolute(self.site, "sitemap.xml")),
            **({PARENT_SCRIPT: _text(self.parent_script)} if self.parent_script is not None else {}),
        }


def _modified(e: Explainer) -> str:
    return e.modified.iso


def _image_from_index(e: Explainer) -> ImageLink | None:
    if e.image is None:
        return None
    return ImageLink(paths.image(e.slug, e.image.src), e.image.alt, e.image.caption, e.image.credit, e.image.width,
                     e.image.height)


def _text(content: bytes | Path) -> str:
    return (content if isinstance(content, bytes) else content.read_bytes()).decode("utf-8")


def _hashed_name(name: str, content: bytes | Path) -> str:
    """The output name of a CSS or JS file carries a hash of the bytes written."""
    suffix = Path(name).suffix
    if suffix not in HASHED:
        return name
    data = content if isinstance(content, bytes) else content.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:10]
    return f"{name[: -len(suffix)]}.{digest}{suffix}"


def report_template_error(exc: Exception, renderer: Renderer, report: Report) -> None:
    """A broken template is reported like content: file, line, message."""
    if isinstance(exc, LinkOutside):
        report.error(exc.shown, Pos(), str(exc))  # its message, which it always has
        return
    if isinstance(exc, CatalogueError):
        for pos, message in exc.problems:
            report.error(exc.shown, pos, message)
        return
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        path = _shown_template(Path(exc.filename), renderer)
        report.error(path, Pos(exc.lineno or 1, 1), f"template error: {exc.message}")
        return
    frame = _template_frame(exc)
    if isinstance(exc, TemplateNotFound):
        # An include names the missing file; report it at the including line.
        path, line = frame if frame else ("templates", 1)
        shown = _shown_template(Path(path), renderer) if frame else path
        report.error(shown, Pos(line, 1), f"template not found: {exc.name} (neither in the site's templates/ nor in the default theme)")
        return
    if frame:
        path, line = frame
        report.error(_shown_template(Path(path), renderer), Pos(line, 1), f"template error: {exc}")
    else:
        report.error("templates", Pos(), f"template error: {exc}")


def _template_frame(exc: Exception) -> tuple[str, int] | None:
    """The last template line in the traceback (Jinja maps them back to the source)."""
    tb, found = exc.__traceback__, None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _shown_template(path: Path, renderer: Renderer) -> str:
    try:
        return path.resolve().relative_to(renderer.site.root.resolve()).as_posix()
    except ValueError:
        return f"(default theme)/{path.name}"
