"""Image sizes read from file headers, and given to <img> so nothing jumps as images load."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from generator.features.images.size import image_size


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int, height: int, rows: bytes | None = None) -> bytes:
    if rows is None:
        rows = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def saved(mode: str, size: tuple[int, int], kind: str, **options) -> bytes:
    """A whole image file as Pillow writes it."""
    out = io.BytesIO()
    Image.new(mode, size).save(out, kind, **options)
    return out.getvalue()


def jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


CASES = {
    "a.png": (png(7, 3), (7, 3)),
    "a.gif": (saved("P", (640, 480), "GIF"), (640, 480)),
    "a.jpg": (jpeg(1024, 683), (1024, 683)),
    "lossy.webp": (saved("RGB", (800, 450), "WEBP"), (800, 450)),  # a VP8 chunk
    "lossless.webp": (saved("RGB", (801, 449), "WEBP", lossless=True), (801, 449)),  # VP8L
    "alpha.webp": (saved("RGBA", (640, 360), "WEBP"), (640, 360)),  # VP8X, then ALPH and VP8
    "sized.svg": (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675px"/>', (1200, 675)),
    "box.svg": (b"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 9'><title>x</title></svg>", (16, 9)),
    "half.svg": (b'<svg viewBox="0,0,400,300" width="200"></svg>', (200, 150)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_size_from_the_header(tmp_path, name):
    data, size = CASES[name]
    path = tmp_path / name
    path.write_bytes(data)
    assert image_size(path) == size


@pytest.mark.parametrize("data", [b"", b"not an image", b"<svg width='100%' height='50%'/>", b"\xff\xd8\xff\xe0\x00",
                                  b"\x89PNG\r\n\x1a\n\x00\x00", b'<svg viewBox="0 0 inf 9"/>',
                                  b'<svg width="5" viewBox="0 0 1e-320 1e300"/>',
                                  saved("RGB", (1, 1), "BMP"), png(0, 0)[:40]])
def test_unknown_or_broken_files_have_no_size(tmp_path, data):
    path = tmp_path / "x.bin"
    path.write_bytes(data)
    assert image_size(path) is None


def test_an_image_too_large_for_pillow_to_draw_has_no_size(site):
    """A lead image over Pillow's limit for a decompression bomb is shown without a size, and the
    explainer's card is drawn rather than cut from it (which Pillow would refuse)."""
    # 800 million pixels, of which only the header is read (its data is one byte)
    (site.root / "content/border-rush/huge.png").write_bytes(png(40000, 20000, rows=b"\x00"))
    assert image_size(site.root / "content/border-rush/huge.png") is None
    article = site.root / "content/border-rush/article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("src: photo.svg", "src: huge.png"), encoding="utf-8")
    assert site.build() == 0
    img = site.page("border-rush/index.html").select_one("figure.lead img")
    assert img["src"] == "huge.png" and "width" not in img.attrs
    assert (site.out / "border-rush/card.png").is_file() and not (site.out / "border-rush/card.jpg").exists()


def test_lead_and_card_images_carry_their_size(shared_build):
    example = shared_build("example")
    expected = image_size(example.root / "content" / "central-asia-recruits" / "lead.svg")
    assert expected is not None
    lead = example.page("central-asia-recruits/index.html").select_one("figure.lead img")
    card = example.page("index.html").select_one(".card-image img")
    for img in (lead, card):
        assert (int(img["width"]), int(img["height"])) == expected
    assert lead["fetchpriority"] == "high" and "loading" not in lead.attrs


def test_a_remote_image_has_no_size(site):
    site.write("content/no-notes/article.md", site.root.joinpath("content/no-notes/article.md").read_text()
               .replace("---\n", "---\nimage:\n  src: https://images.example/a.png\n  alt: A picture\n", 1))
    assert site.build() == 0
    img = site.page("no-notes/index.html").select_one("figure.lead img")
    assert img["src"] == "https://images.example/a.png" and "width" not in img.attrs
