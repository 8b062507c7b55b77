"""Colours that tell up to 30 bases, crews or set types apart, and the same colour for an id
every time.

:data:`PALETTE` holds 30 colours picked from plotly's qualitative palettes (Dark24, Light24,
Alphabet, Plotly, D3, G10, T10, Set1, Dark2, Bold, Vivid, Safe): the set of 30 whose closest
pair is farthest apart in CIEDE2000 (ΔE₀₀ ≥ 15 between any two; the first 12 ≥ 20, the first 24
≥ 16), without near-white or grey colours (CIELAB L* 20…88, chroma ≥ 20), ordered so that each
next colour is the farthest from those before it — a month's 12 bases use the 12 most distinct.
(Dark24 + Light24 in order, as the charts used before, gave B05 #DA16FF and B12 #FB00D1:
ΔE₀₀ 9.3, near-identical although their CIE76 distance is 30.)

Past 30 keys a colour comes back with a fill pattern (:data:`PATTERNS`), then with a dark
outline: 30 × 8 = 240 distinct looks before any repeats exactly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "PALETTE",
    "PATTERNS",
    "Look",
    "delta_e_2000",
    "hex_to_lab",
    "looks_for",
]

PALETTE: tuple[str, ...] = (
    "#B10DA1",
    "#16FF32",
    "#FF9616",
    "#0099C6",
    "#6C4516",
    "#117733",
    "#FF97FF",
    "#D62728",
    "#332288",
    "#316395",
    "#FF9DA6",
    "#EECA3B",
    "#00CC96",
    "#620042",
    "#AB63FA",
    "#B279A2",
    "#661100",
    "#E73F74",
    "#D95F02",
    "#B68E00",
    "#FE00CE",
    "#778AAE",
    "#88CCEE",
    "#8C564B",
    "#72B7B2",
    "#24796C",
    "#2CA02C",
    "#511CFB",
    "#FC6955",
    "#99C945",
)
"""30 colours, any two at least ΔE₀₀ 15 apart (see the module's docstring)."""

PATTERNS: tuple[str, ...] = ("", "/", "\\", "x", "-", "|", "+", ".")
"""plotly ``marker.pattern.shape`` values: none for the first 30 keys, then one per round."""

OUTLINE = "#222222"
"""The bar outline of keys past ``len(PALETTE) * len(PATTERNS)``."""


@dataclass(frozen=True)
class Look:
    """How one key's bars look: a fill colour, a pattern shape ('' = solid) and an outline."""

    colour: str
    pattern: str = ""
    outline: str | None = None


def looks_for(keys: Iterable[str]) -> dict[str, Look]:
    """A look per key, by the key's place in sorted order (ids: B01 < B02 < … < B12).

    Sorting makes the look stable: the same scenario gives each base or crew the same colour
    whatever a filter leaves on the chart. Keys 0–29 get the palette's colours solid, 30–59
    the same colours hatched ``/``, and so on; past 240 a dark outline is added as well.
    """
    looks = {}
    rounds = len(PALETTE) * len(PATTERNS)
    for place, key in enumerate(sorted(set(keys))):
        colour = PALETTE[place % len(PALETTE)]
        pattern = PATTERNS[(place // len(PALETTE)) % len(PATTERNS)]
        outline = OUTLINE if (place // rounds) % 2 else None
        looks[key] = Look(colour, pattern, outline)
    return looks


def hex_to_lab(colour: str) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB ``#RRGGBB`` colour."""

    def linear(channel: float) -> float:
        if channel <= 0.04045:
            return channel / 12.92
        return float(((channel + 0.055) / 1.055) ** 2.4)

    r, g, b = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return float(t ** (1 / 3)) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def delta_e_2000(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    """CIEDE2000 colour difference of two CIELAB colours (about 2.3 is just noticeable)."""
    l1, a1, b1 = first
    l2, a2, b2 = second
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360
    h2p = math.degrees(math.atan2(b2, a2p)) % 360
    dh = 0.0
    if c1p * c2p:
        dh = h2p - h1p
        if dh > 180:
            dh -= 360
        elif dh < -180:
            dh += 360
    d_hue = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if not c1p * c2p:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    else:
        h_mean = (h1p + h2p + (360 if h1p + h2p < 360 else -360)) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_mean - 30))
        + 0.24 * math.cos(math.radians(2 * h_mean))
        + 0.32 * math.cos(math.radians(3 * h_mean + 6))
        - 0.20 * math.cos(math.radians(4 * h_mean - 63))
    )
    rotation = 30 * math.exp(-(((h_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * cp_mean
    s_h = 1 + 0.015 * cp_mean * t
    r_t = -math.sin(math.radians(2 * rotation)) * r_c
    dl, dc, dhh = (l2 - l1) / s_l, (c2p - c1p) / s_c, d_hue / s_h
    return math.sqrt(dl**2 + dc**2 + dhh**2 + r_t * dc * dhh)
