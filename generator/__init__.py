"""Explainer site generator: a news article plus YAML annotations into a static site."""

DISTRIBUTION = "explainer-generator"  # the name pip installs it by (pyproject.toml)


def version() -> str:
    """The installed distribution's version."""
    from importlib import metadata  # only when asked: it takes a while to import

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def run() -> None:
    """The `explainer` command: Ctrl-C while Python is still loading the generator is no traceback."""
    import sys

    try:
        from generator.cli.main import main

        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted before the build started; nothing was changed", file=sys.stderr)
        sys.exit(130)
