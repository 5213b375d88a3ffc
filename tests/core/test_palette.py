"""The one chart palette (core.palette) stays colour-blind safe, and no chart module brings
its own red or green."""

from __future__ import annotations

import colorsys
import itertools
import re
from pathlib import Path

import pytest

from core import palette

ROOT = Path(__file__).resolve().parents[2]
# Machado, Oliveira & Fernandes (2009), full severity, applied to linear RGB.
SIMULATIONS = {
    "protanopie": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopie": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopie": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}
MIN_DISTANCE = 80.0
"""Apart by this much (0–441 in sRGB) after simulation: two series that read as different."""
OPPOSITES_DISTANCE = 140.0
"""Negative and positive, the pair that matters most, must stand much further apart."""
HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")
CHART_AREAS = ("dashboard", "digest", "alerts", "outbox")


def _to_linear(value: int) -> float:
    scaled = value / 255
    return scaled / 12.92 if scaled <= 0.04045 else ((scaled + 0.055) / 1.055) ** 2.4


def _to_srgb(value: float) -> float:
    value = min(max(value, 0.0), 1.0)
    encoded = value * 12.92 if value <= 0.0031308 else 1.055 * value ** (1 / 2.4) - 0.055
    return encoded * 255


def seen_as(colour: str, kind: str) -> tuple[float, ...]:
    linear = [_to_linear(c) for c in palette.rgb(colour)]
    return tuple(_to_srgb(sum(m * c for m, c in zip(row, linear, strict=True)))
                 for row in SIMULATIONS[kind])


def distance(first: str, second: str, kind: str) -> float:
    a, b = seen_as(first, kind), seen_as(second, kind)
    return float(sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5)


@pytest.mark.parametrize("kind", sorted(SIMULATIONS))
def test_sentiment_colours_stay_apart_for_colour_blind_readers(kind: str) -> None:
    for first, second in itertools.combinations(palette.SENTIMENT.values(), 2):
        assert distance(first, second, kind) >= MIN_DISTANCE, (kind, first, second)
    opposites = palette.SENTIMENT["negatief"], palette.SENTIMENT["positief"]
    assert distance(*opposites, kind) >= OPPOSITES_DISTANCE


def test_the_check_catches_the_old_red_green_pair() -> None:
    for kind in ("protanopie", "deuteranopie"):
        assert distance("#c0392b", "#27ae60", kind) < OPPOSITES_DISTANCE


def test_negative_and_positive_are_told_apart_by_lightness_too() -> None:
    """Also in grey print: orange-red and blue differ in luminance, not only in hue."""
    assert palette.luminance(palette.SENTIMENT["negatief"]) > 1.3 * palette.luminance(
        palette.SENTIMENT["positief"])


def test_text_on_a_colour_is_readable() -> None:
    for colour in (*palette.SENTIMENT.values(), palette.THIS_WEEK, palette.LAST_WEEK):
        assert palette.contrast(palette.text_on(colour), colour) >= 4.5, colour
    assert palette.text_on("#999999") == "#000000"  # white on grey would be 2.8:1
    assert round(palette.contrast("#555", "#FFFFFF"), 1) == 7.5
    assert palette.rgb("#0072B2") == (0, 114, 178)


def _is_red_or_green(colour: str) -> bool:
    red, green, blue = (c / 255 for c in palette.rgb(colour))
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    degrees = hue * 360
    if saturation < 0.3 or not 0.15 < lightness < 0.9:
        return False  # greys, near-white and near-black
    return degrees < 15 or degrees > 345 or 75 <= degrees <= 165


def test_the_red_green_check_itself() -> None:
    assert _is_red_or_green("#c0392b") and _is_red_or_green("#27ae60")
    assert not any(_is_red_or_green(c) for c in palette.SENTIMENT.values())


def test_no_chart_module_brings_its_own_red_or_green() -> None:
    found = []
    for area in CHART_AREAS:
        for path in sorted((ROOT / area).rglob("*.py")):
            for colour in HEX.findall(path.read_text(encoding="utf-8")):
                if _is_red_or_green(colour):
                    found.append(f"{path.relative_to(ROOT)}: {colour}")
    assert not found, found


def test_dashboard_and_digest_share_the_palette() -> None:
    from dashboard import ui
    from digest import charts

    assert ui.SENTIMENT_COLOURS is palette.SENTIMENT
    assert {label: charts.COLORS[label] for label in palette.SENTIMENT} == palette.SENTIMENT
