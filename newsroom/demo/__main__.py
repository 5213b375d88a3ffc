"""`python -m newsroom.demo [OPTIONS]` is `newsroom demo run [OPTIONS]` (what `make run` does).

`python -m newsroom.cli.main` cannot serve as an entry point: run as `__main__`, that module
is imported a second time by the command modules, a circular import.
"""

from __future__ import annotations

import sys

from newsroom.cli.main import main

if __name__ == "__main__":
    sys.argv = [sys.argv[0], "demo", "run", *sys.argv[1:]]
    main()
