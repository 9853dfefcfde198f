"""A build's progress on a terminal: explainers made of the total, files written, time left.

Shown on standard error once a build has run for a second, and cleared when it
ends, so the summary line stands alone. Used only when standard error is a
terminal: tqdm is imported here, never on the way of a build whose output goes
to a file or a CI log.
"""

from __future__ import annotations

import sys
import time

DELAY = 1.0  # seconds: a quicker build shows no progress at all
FORMAT = "{desc}: {n_fmt}/{total_fmt} explainers made{postfix} [{elapsed} so far, {remaining} left]"  # tqdm puts ", " before the postfix


class Progress:
    """What the Builder tells as it goes (Builder.progress), drawn with tqdm."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.bar = None
        self.files = 0
        self.started = time.monotonic()

    def start(self, total: int) -> None:
        """The explainers to make in this build are known."""
        import tqdm

        # No monitor thread: a build forks its workers only while it runs a single thread.
        tqdm.tqdm.monitor_interval = 0
        self.close()
        elapsed = time.monotonic() - self.started
        self.bar = tqdm.tqdm(total=total, file=self.stream, delay=max(0.0, DELAY - elapsed), leave=False,
                             bar_format=FORMAT, desc="building", postfix=self._files(), dynamic_ncols=True)

    def made(self, files: int) -> None:
        """One explainer made, with the files it wrote."""
        self.files += files
        if self.bar is not None:
            self.bar.set_postfix_str(self._files(), refresh=False)
            self.bar.update(1)

    def stage(self, what: str, files: int = 0) -> None:
        """The build went on to `what` (the site-wide pages, the swap), having written `files` more."""
        self.files += files
        if self.bar is None:
            return
        self.bar.set_description_str(what, refresh=False)
        self.bar.set_postfix_str(self._files(), refresh=False)
        if time.monotonic() - self.started >= DELAY:
            self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def _files(self) -> str:
        return f"{self.files} files written"
