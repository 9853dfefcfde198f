import sys

try:  # Ctrl-C while Python is still loading the generator: nothing was written yet
    from .cli import main

    sys.exit(main())
except KeyboardInterrupt:
    print("interrupted before the build started; nothing was changed", file=sys.stderr)
    sys.exit(130)
