"""Where each page and file of the output goes, and the way back to the site's top from each page.

Every path here is relative to the site's top (base_url), and a folder's ends in `/`.
An explainer's folder `<slug>/` holds its page, its annotations.json, its page card
(cards.py), the files beside its article, and two folders of small pages, one per item:
`<slug>/q/<id>/`, the share page of a quote card or timeline entry with its share image,
and `<slug>/embed/<id>/`, the embeddable timeline, fact box, quote card or entry with its
oEmbed response. A country's page is `countries/<code>/`.

A page's links to the rest of the site start with its `root`, the way up from its folder:
"" at the top, "../" from an explainer's page, "../../../" from a share page.
"""

# No `from __future__ import annotations` here: it would bind the name `annotations`,
# which this module's function of that name then rebinds.

PAGE = "index.html"
ANNOTATIONS = "annotations.json"
SHARE = "q"  # in an explainer's folder: its share pages
SHARE_IMAGE = "share.png"  # beside each share page
EMBED = "embed"  # in an explainer's folder: its embeddable pages
OEMBED = "oembed.json"  # beside each embed page
COUNTRIES = "countries"  # at the top: the country pages


def explainer(slug: str) -> str:
    return f"{slug}/"


def page(folder: str) -> str:
    """The page of a folder, its file named: links to it then work from disk too."""
    return folder + PAGE


def annotations(slug: str) -> str:
    return f"{slug}/{ANNOTATIONS}"


def share(slug: str, item: str) -> str:
    """The share page's folder of a quote card or timeline entry."""
    return f"{slug}/{SHARE}/{item}/"


def share_image(slug: str, item: str) -> str:
    return share(slug, item) + SHARE_IMAGE


def embed(slug: str, item: str) -> str:
    """The embed page's folder of a timeline (item "timeline"), fact box, quote card or entry."""
    return f"{slug}/{EMBED}/{item}/"


def oembed(slug: str, item: str) -> str:
    return embed(slug, item) + OEMBED


def hub(code: str) -> str:
    """A country page's folder."""
    return f"{COUNTRIES}/{code.lower()}/"


def root(folder: str) -> str:
    """The way up from a page in `folder` to the site's top."""
    return "../" * folder.count("/")


def link(folder: str, target: str) -> str:
    """A relative link from a page in `folder` to `target`, without going up past what they share."""
    here, there = folder.split("/")[:-1], target.split("/")
    shared = 0
    while shared < min(len(here), len(there) - 1) and here[shared] == there[shared]:
        shared += 1
    return "../" * (len(here) - shared) + "/".join(there[shared:])


def is_remote(src: str) -> bool:
    """Whether an image is a web address rather than a file beside the article
    (schema.parse_image_src lets no other kind of URL through)."""
    return "://" in src


def image(slug: str, src: str) -> str:
    """An explainer's image from the site's top: a web address as it is, a file under the explainer's folder."""
    return src if is_remote(src) else f"{slug}/{src}"
