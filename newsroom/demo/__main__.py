"""`python -m newsroom.demo [OPTIONS]` is `newsroom demo run [OPTIONS]` (what `make run` does).

An entry point, like the `newsroom` console script: it only hands over to the CLI.
"""

from __future__ import annotations

import sys

from newsroom.cli.main import main

if __name__ == "__main__":
    sys.argv = [sys.argv[0], "demo", "run", *sys.argv[1:]]
    main()
