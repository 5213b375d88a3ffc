"""The one palette for every chart: dashboard (Altair) and digest (matplotlib PNGs).

Colour-blind safe: the colours are from Okabe & Ito's set, chosen so that people with red-
or green-blind vision (about 1 in 12 men) and blue-blind vision still tell them apart;
negative is orange-red, positive blue, neutral grey: never a red/green pair. Colour is never
the only carrier of meaning: charts also name the sentiment in a legend, a label or a table.
`tests/core/test_palette.py` checks the pairs under simulated colour blindness and that no
chart module brings its own red or green.
"""

from __future__ import annotations

SENTIMENT = {"negatief": "#D55E00", "neutraal": "#999999", "positief": "#0072B2"}
"""Okabe–Ito vermillion, grey and blue."""
HIGHLIGHT = {"negatief": "#F9D9C4", "neutraal": "#EEEEEE", "positief": "#CCE3F2"}
"""Light backgrounds for sentences marked by sentiment (text on them stays black)."""
DIVERGING_MIDDLE = "#F0F0F0"
"""The middle of a negative-to-positive scale (mean sentiment 0)."""
CATEGORIES = ["#0072B2", "#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#D55E00", "#F0E442",
              "#000000"]
"""Okabe–Ito for lines per topic or project; the dashboard adds a dash pattern per line."""
THIS_WEEK = "#333333"
LAST_WEEK = "#BBBBBB"
MARKER = "#000000"
"""Peaks (triangles) and outlines."""


def _channel(value: int) -> float:
    scaled = value / 255
    return scaled / 12.92 if scaled <= 0.03928 else ((scaled + 0.055) / 1.055) ** 2.4


def rgb(colour: str) -> tuple[int, int, int]:
    """'#D55E00' or '#555' as (r, g, b) from 0 to 255."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def luminance(colour: str) -> float:
    """WCAG relative luminance (0 black, 1 white)."""
    red, green, blue = (_channel(c) for c in rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21); small text needs at least 4.5.

    >>> round(contrast("#000000", "#FFFFFF"))
    21
    """
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_on(background: str) -> str:
    """Black or white, whichever reads better on `background` (labels inside bars)."""
    return max(("#000000", "#FFFFFF"), key=lambda text: contrast(text, background))
