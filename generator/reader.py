"""The reader features built beside the pages: JSON export, country hubs, share pages.

They are made from the resolved explainers of the whole site, after every
explainer page is rendered, so each build step stays in its own module.
"""

from __future__ import annotations

from .export import annotation_files
from .models import Explainer
from .render import Renderer


def reader_files(renderer: Renderer, explainers: list[Explainer]) -> dict[str, bytes]:
    """Output name -> bytes for every file the reader features add."""
    files: dict[str, bytes] = {}
    files.update(annotation_files(renderer.site, explainers))
    return files
