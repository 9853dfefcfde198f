"""Image sizes read from file headers, and given to <img> so nothing jumps as images load."""

from __future__ import annotations

import struct
import zlib

import pytest

from generator.imagesize import image_size


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


CASES = {
    "a.png": (png(7, 3), (7, 3)),
    "a.gif": (b"GIF89a" + struct.pack("<HH", 640, 480) + b"\x00" * 8, (640, 480)),
    "a.jpg": (jpeg(1024, 683), (1024, 683)),
    "a.webp": (b"RIFF\x00\x00\x00\x00WEBPVP8X" + b"\x0a\x00\x00\x00\x00\x00\x00\x00"
               + (799).to_bytes(3, "little") + (449).to_bytes(3, "little"), (800, 450)),
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
                                  b"\x89PNG\r\n\x1a\n\x00\x00"])
def test_unknown_or_broken_files_have_no_size(tmp_path, data):
    path = tmp_path / "x.bin"
    path.write_bytes(data)
    assert image_size(path) is None


def test_lead_and_card_images_carry_their_size(example):
    assert example.build() == 0
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
