"""Compiled templates kept between runs of the command, in the build cache, and in the process."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import BytecodeCache

if TYPE_CHECKING:
    from .cache import Cache


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept in the build cache, so a new run of the command does not
    compile the theme again. Each is sealed like every entry: a damaged or foreign file
    is compiled anew, never unmarshalled. Jinja itself checks each against its
    template's source, and the folder is named for the code that compiled it.

    The process keeps the last ones it compiled or read too (IN_PROCESS), by the
    folder's name and Jinja's key, which names the template's file: a Renderer made
    again (a template edited in the preview) or for another site in the same
    process takes them without reading or compiling them again.
    """

    def __init__(self, folder: Path, cache: Cache):
        self.folder = folder
        self.cache = cache

    def load_bytecode(self, bucket) -> None:
        kept, path = (self.folder.name, bucket.key), self._path(bucket)
        data = IN_PROCESS.get(kept)
        if data is not None and not path.is_file():  # another site's, or this one's cache cleared
            self.cache.write(path, data)
        if data is None:
            data = self.cache.read(path)
        if data is None:
            return
        try:
            bucket.bytecode_from_string(data)
        except Exception:  # noqa: BLE001  # sealed here, but not loadable by this Python: compiled anew
            bucket.reset()
            return
        _keep(kept, data)

    def dump_bytecode(self, bucket) -> None:
        data = bucket.bytecode_to_string()
        _keep((self.folder.name, bucket.key), data)
        self.cache.write(self._path(bucket), data)

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _path(self, bucket) -> Path:
        return self.folder / f"{bucket.key}.cache"


IN_PROCESS: dict[tuple[str, str], bytes] = {}  # (folder name, Jinja's key) -> compiled template, newest last
IN_PROCESS_KEPT = 200  # a theme and a site's own templates many times over


def _keep(key: tuple[str, str], data: bytes) -> None:
    IN_PROCESS.pop(key, None)
    IN_PROCESS[key] = data
    while len(IN_PROCESS) > IN_PROCESS_KEPT:
        del IN_PROCESS[next(iter(IN_PROCESS))]
