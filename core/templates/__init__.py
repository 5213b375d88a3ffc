"""Files that `newsroom init` writes: the documented config template and example sources."""

from __future__ import annotations

from pathlib import Path

TEMPLATES_DIR = Path(__file__).resolve().parent
CONFIG_TEMPLATE = TEMPLATES_DIR / "newsroom.toml"
SOURCES_EXAMPLE = TEMPLATES_DIR / "sources.example.toml"


def example_config_text() -> str:
    """The config `newsroom init` writes: the documented template plus the example sources."""
    template = CONFIG_TEMPLATE.read_text(encoding="utf-8")
    sources = SOURCES_EXAMPLE.read_text(encoding="utf-8")
    return template.rstrip("\n") + "\n\n" + sources
