"""Where the bytes of an output file come from, as the file map and the write stage see them."""

from __future__ import annotations

from pathlib import Path


class Staged:
    """A file written into the Stage already, by the process that made it: nothing left to write."""

    def __repr__(self) -> str:
        return "STAGED"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Staged)

    def __hash__(self) -> int:
        return hash(Staged)


STAGED = Staged()

# What an output file is made from: bytes to write, a file to copy, a file in the Stage
# already (Staged), or None for a file in the output already, as the last build wrote it.
Content = bytes | Path | Staged | None
