"""Fixtures for the privacy tests: the digest tests' fixture week in a real SQLite file.

With --import-mode=importlib a test cannot import another folder's helpers, so the digest
tests' support file is loaded by path under the name the digest tests use.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any


def _support() -> Any:
    name = "newsroom_digest_test_support"
    if name not in sys.modules:
        path = Path(__file__).parent.parent / "digest" / "support.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


support = _support()


def _load(name: str, path: Path) -> Any:
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


leak_check = _load("newsroom_leak_check", Path(__file__).with_name("leak_check.py"))
crawler_helpers = _load("crawler_test_helpers",
                        Path(__file__).parent.parent / "crawlers" / "helpers.py")
crawler_site = _load("crawler_test_site", Path(__file__).parent.parent / "crawlers" / "site.py")
