"""`python -m glossary` and the `glossary` command: start the command line.

The console script points at `run` here rather than at `glossary.cli:main`,
so a Ctrl-C while the command line is still being imported (Click and the
command modules, the first tenth of a second) ends as one during a command
does (Click's "Aborted!", status 1) instead of with a traceback.
"""

from __future__ import annotations

import sys


def run() -> None:
    """Import the command line and run it."""
    try:
        from glossary.cli import main
    except KeyboardInterrupt:
        sys.stderr.write("\nAborted!\n")
        raise SystemExit(1) from None
    main()


if __name__ == "__main__":
    run()
