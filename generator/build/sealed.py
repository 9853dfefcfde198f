"""The build cache's sealing: entries in the site's .cache/ carry an HMAC under a key kept
outside the site (cache.py says why). Standard library only, so a build with nothing to do
(uptodate.py) can read its stamp without loading the cache's models.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import marshal
import os
import secrets
import stat
import tempfile
from pathlib import Path

FOLDER = Path(".cache") / "explainer-build"
KEY_VARIABLE = "EXPLAINER_CACHE_KEY"  # the key itself, for CI whose home folder is new every run
KEY_FILE = Path("explainer-generator") / "cache-key"  # under $XDG_CACHE_HOME, else ~/.cache
MAGIC = b"explainer-cache 1\n"
SEAL = hashlib.sha256().digest_size
MAX_ENTRY = 1 << 30  # bytes: far more than the summaries of the largest archive
MAX_STAMP = 1 << 24  # bytes: an up-to-date stamp holds a build's warnings, a few per explainer


# --------------------------------------------------------------------------
# The key, and sealed bytes
# --------------------------------------------------------------------------

@functools.cache
def cache_key() -> bytes | None:
    """The secret that seals cache entries, or None when none can be had: the cache is then off.

    Read from EXPLAINER_CACHE_KEY, else from the user's key file, made on first use.
    """
    given = os.environ.get(KEY_VARIABLE, "")
    if given:
        return given.encode()
    try:
        return _key_from(key_path())
    except (OSError, ValueError):  # a read-only or odd home: no cache this run
        return None


def key_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "")
    home = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return home / KEY_FILE


def _key_from(path: Path) -> bytes | None:
    """The key in `path`, made there (readable by its owner alone) if there is none yet."""
    if not path.exists():
        _make_key(path)
    with open(path, "rb") as f:
        st = os.fstat(f.fileno())
        key = f.read().strip()
    # A key others could read lets them forge entries; one they could write, choose them.
    if st.st_uid != os.getuid() or st.st_mode & (stat.S_IRWXG | stat.S_IRWXO) or len(key) < 32:
        return None
    return key


def _make_key(path: Path) -> None:
    """Writes a new key beside, then links it into place: two builds starting at once agree on one."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".new-")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_hex(32).encode() + b"\n")
        try:
            os.link(temp, path)
        except FileExistsError:  # made meanwhile by another build: that one is the key
            pass
    finally:
        os.unlink(temp)


def read_plain(path: Path, limit: int) -> bytes | None:
    """The bytes of a plain file of at most `limit` bytes; None for anything else: missing,
    a link (to /proc/kcore, say), a folder, a named pipe (opened without waiting for a
    writer, which would never come), a device, or a file too large to read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
                return None
            # Sized by the file, not the limit: a read of `limit` bytes reserves them all at once.
            # A file that grew since is left out (an entry is replaced, never written in place).
            data = f.read(st.st_size + 1)
            return data if len(data) <= st.st_size else None
    except (OSError, ValueError):
        return None


def seal(key: bytes, name: str, data: bytes) -> bytes:
    """`data` with a header and the HMAC of its name and bytes, as written to disk."""
    return MAGIC + _mac(key, name, data) + data


def unseal(key: bytes, name: str, sealed: bytes) -> bytes | None:
    """The bytes sealed under `name` with `key`; None if the seal does not match."""
    start = len(MAGIC) + SEAL
    if len(sealed) < start or not sealed.startswith(MAGIC):
        return None
    data = sealed[start:]
    return data if hmac.compare_digest(sealed[len(MAGIC):start], _mac(key, name, data)) else None


def _mac(key: bytes, name: str, data: bytes) -> bytes:
    # The name is sealed too: an entry copied under another entry's name does not match.
    mac = hmac.new(key, os.fsencode(name) + b"\0", hashlib.sha256)
    mac.update(data)
    return mac.digest()


def read_sealed(key: bytes, path: Path, name: str, limit: int) -> bytes | None:
    """The bytes sealed in the file `path` under `name`; None if it is not a plain file of at
    most `limit` bytes, or its seal does not match."""
    sealed = read_plain(path, limit)
    return None if sealed is None else unseal(key, name, sealed)


def write_sealed(key: bytes, path: Path, name: str, data: bytes) -> None:
    """Seals `data` into the file `path`: written beside, then renamed, so a reader sees the old
    file or the new one. On an error of the system (a read-only site), nothing is written."""
    temp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".new-")  # mode 0600, never through a link
        with os.fdopen(fd, "wb") as f:
            f.write(seal(key, name, data))
        os.replace(temp, path)
    except OSError:
        if temp is not None:
            try:
                os.unlink(temp)
            except OSError:
                pass


def read_value(path: Path | None, limit: int):
    """A value of plain types (marshal's) sealed in `path` by write_value; None if there is none,
    or no key."""
    key = cache_key()
    data = None if path is None or key is None else read_sealed(key, path, path.name, limit)
    try:
        return None if data is None else marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None


def write_value(path: Path, value) -> None:
    key = cache_key()
    if key is not None:
        write_sealed(key, path, path.name, marshal.dumps(value))


def short(text: str) -> str:
    # surrogateescape: a path's bytes that are not UTF-8 (os.fsdecode keeps them as surrogates)
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:16]
