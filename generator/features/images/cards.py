"""Page cards: the raster `og:image` of the explainer, index, not-found and country pages.

Facebook and X show JPEG, PNG, WebP or GIF only, best at 1200 × 630. An
explainer whose lead image is a local raster file is shared with that image,
cropped to the card's shape; any other page (an SVG or remote lead, the index,
a country page) gets a card drawn as the share cards are (share.image_bytes):
a kicker, the title as headline, a line of detail and a footer. Both kinds are
kept between runs as share images are (imagestore), in a folder of their own
beside the share images' (`store`), under a digest of what shapes them.

The file names are fixed, so metadata can name them without drawing anything:
`<slug>/card.jpg` or `<slug>/card.png`, `card.png` for the index and the
not-found page, `countries/<code>/card.png`.
"""

from __future__ import annotations

import functools
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.core import get_global

from generator.model.page import Explainer, ImageView
from generator.render import paths
from generator.render.locales import parse_locale

SIZE = (1200, 630)  # the size Open Graph and Twitter cards show best, of page cards and share images
RASTER = (".png", ".jpg", ".jpeg", ".webp", ".gif")
DRAWN, PHOTO = "card.png", "card.jpg"
JPEG_QUALITY = 85


@dataclass(frozen=True)
class CardText:
    """What a drawn card shows."""

    kicker: str
    headline: str
    detail: str
    site_title: str
    footer: str  # after the site title, on the footer line
    rtl: bool = False

    @property
    def alt(self) -> str:
        return " — ".join(filter(None, [self.headline, self.detail]))


def lead_photo(e: Explainer) -> ImageView | None:
    """The explainer's lead image when it is a local raster file (its size known), else None."""
    image = e.image
    if image and not paths.is_remote(image.src) and image.width and Path(image.src).suffix.lower() in RASTER:
        return image
    return None


def explainer_card_name(e: Explainer) -> str:
    return paths.explainer(e.slug) + (PHOTO if lead_photo(e) else DRAWN)


def folder(share_images: Path | None) -> Path | None:
    """Where page cards are kept: beside the share images, when those are kept."""
    return None if share_images is None else share_images.parent / "page-cards"


def drawn(text: CardText, share_images: Path | None = None) -> bytes:
    """A card drawn like the share cards (an event card's layout: kicker, headline, detail)."""
    from generator.features.share import image_bytes  # Pillow loads only when a card is made

    return image_bytes(("event", text.kicker[:500], text.headline[:2000], text.detail[:500],
                        text.site_title[:500], text.footer[:500], text.rtl), folder(share_images))


def photo(source: Path, share_images: Path | None = None) -> bytes:
    """The lead image cropped around its middle to the card's shape, as a JPEG."""
    from . import store as imagestore  # metadata imports this module; the store's cache module imports the build

    store = folder(share_images)
    data = source.read_bytes()
    key = hashlib.sha256(f"{_identity()}\0photo\0".encode() + hashlib.sha256(data).digest()).hexdigest()
    kept = imagestore.get(store, key)
    if kept is not None:
        return kept
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        image.seek(0)  # the first frame of an animation
        fitted = ImageOps.fit(ImageOps.exif_transpose(image).convert("RGB"), SIZE, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    fitted.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    imagestore.put(store, key, out.getvalue())
    return out.getvalue()


@functools.cache
def _identity() -> str:
    import PIL

    return f"{hashlib.sha256(Path(__file__).read_bytes()).hexdigest()} Pillow {PIL.__version__}"


@functools.lru_cache(maxsize=64)
def og_locale(lang: str) -> str:
    """Open Graph's `ll_CC` form of a language tag: the territory written, else the language's
    most likely one (CLDR's likely subtags: en -> en_US, ru -> ru_RU, ar -> ar_EG)."""
    locale = parse_locale(lang)
    if locale is None:
        return lang.replace("-", "_")
    territory = locale.territory
    if not territory:
        likely_subtags = get_global("likely_subtags")
        written = f"{locale.language}_{locale.script}" if locale.script else locale.language
        likely = likely_subtags.get(written) or likely_subtags.get(locale.language, "")
        territory = Locale.parse(likely).territory if likely else None
    return f"{locale.language}_{territory}" if territory else locale.language
