"""Share images kept between runs, in the site's `.cache/share-images/` folder.

Each image is a file named by a digest of everything that shapes its pixels
(share.image_key): a card drawn in an earlier run, or by another worker, is
read back rather than drawn again. A file is sealed as every cache entry is
(sealed.seal: an HMAC under a key kept outside the site); a file whose seal
does not match, damaged or written by someone else, is deleted and the image
drawn anew, so it is never published. Reading a file marks
it as used; files unused for a month are removed, at most once a day.
Nothing here needs Pillow.
"""

from __future__ import annotations

import itertools
import os
import stat
import time
from pathlib import Path

from generator.build.sealed import cache_key, read_plain, seal, unseal

FOLDER = Path(".cache") / "share-images"
UNUSED_FOR = 30 * 24 * 3600  # seconds after which an image no build read is removed
PRUNE_EVERY = 24 * 3600  # seconds between two looks for unused images
NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
MAX_IMAGE = 64 << 20  # bytes: far more than any card or share image
STAMP = ".pruned"  # its modification time is when the folder was last looked through


def get(folder: Path | None, key: str) -> bytes | None:
    """The image stored under `key`, or None when there is none or it is damaged."""
    if folder is None:
        return None
    path = folder / key
    stored = read_plain(path, MAX_IMAGE)
    if stored is None:
        return None
    data = unseal(secret, key, stored) if (secret := cache_key()) is not None else None
    if not data:
        _remove(path)
        return None
    try:
        os.utime(path)  # used: prune keeps it
    except OSError:
        pass
    return data


def put(folder: Path | None, key: str, data: bytes) -> None:
    """Stores an image under `key`: written beside, then renamed, so a reader sees it whole or not at all."""
    secret = cache_key()
    if folder is None or secret is None:
        return
    # Named by process and count rather than at random (tempfile): no other writer uses the
    # name, and O_EXCL refuses anything planted there (removed below, for the next time).
    temp = folder / f".new-{os.getpid()}-{next(_COUNT)}"
    try:
        try:
            fd = os.open(temp, NEW, 0o600)
        except FileNotFoundError:  # the first image, or the cache was removed meanwhile
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(temp, NEW, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(seal(secret, key, data))
        os.replace(temp, folder / key)
    except OSError:  # a read-only site still builds, only drawing every image
        _remove(temp)


_COUNT = itertools.count()


def prune(folder: Path | None, now: float | None = None) -> int:
    """Removes the images no build has read for UNUSED_FOR; looks at most once per PRUNE_EVERY.

    Returns how many were removed.
    """
    if folder is None:
        return 0
    now = time.time() if now is None else now
    stamp = folder / STAMP
    try:
        st = os.lstat(stamp)  # a link put in its place is not the stamp: never followed
        if not stat.S_ISREG(st.st_mode):
            os.unlink(stamp)
        elif now - st.st_mtime < PRUNE_EVERY:
            return 0
    except FileNotFoundError:
        pass
    except OSError:
        return 0
    removed = 0
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name != STAMP and entry.is_file() and now - entry.stat().st_mtime > UNUSED_FOR:
                    removed += _remove(Path(entry.path))
        os.close(os.open(stamp, NEW & ~os.O_EXCL, 0o600))
        os.utime(stamp, (now, now), follow_symlinks=False)
    except OSError:  # gone or read-only: nothing to keep small
        pass
    return removed


def _remove(path: Path) -> int:
    try:
        path.unlink()
        return 1
    except OSError:
        return 0
