"""python -m generator: the same as the `explainer` command."""

from . import run

run()
