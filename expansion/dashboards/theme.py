"""Colours from the Evidence project's ``evidence.config.yaml`` (``theme:``), so both
renderers draw series, bands and deltas alike.

``theme.colorPalettes.<name>`` lists series colours (``default`` unless a chart sets
``colorPalette=<name>``), ``theme.colorScales.default`` the heatmap scale, and
``theme.colors`` the named colours annotations use (``positive``, ``negative``,
``warning``, ``info``, ``base-content-muted``). Missing entries fall back to
Evidence's defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

EVIDENCE_PALETTE = (
    "#236aa4", "#45a1bf", "#a5cdee", "#8dacbf", "#85c7c6",
    "#d2c6ac", "#f4b548", "#8f3d56", "#71b9f4", "#46a485",
)  # fmt: skip
EVIDENCE_COLOURS = {
    "primary": "#2563eb",
    "info": "#0284c7",
    "positive": "#16a34a",
    "warning": "#f8c900",
    "negative": "#dc2626",
    "base-content-muted": "#6b7280",
}
EVIDENCE_SCALE = ("#ADD8E6", "#00008B")


def _light(value: object) -> object:
    """Evidence allows ``{light: ..., dark: ...}`` or one value for both modes."""
    return value.get("light") if isinstance(value, Mapping) else value


@dataclass(frozen=True)
class Theme:
    palettes: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: {"default": EVIDENCE_PALETTE}
    )
    colours: Mapping[str, str] = field(default_factory=lambda: dict(EVIDENCE_COLOURS))
    scale: tuple[str, ...] = EVIDENCE_SCALE

    def palette(self, name: str | None) -> tuple[str, ...]:
        if name and name not in self.palettes:
            raise ValueError(f"colorPalette={name} is not a palette in evidence.config.yaml")
        return self.palettes[name or "default"]

    def colour(self, name: str | None, default: str) -> str:
        """A theme colour by name, or the value itself (a CSS colour such as ``#63178f``)."""
        key = name or default
        return self.colours.get(key, key)

    def colour_scale(self) -> list[list[object]]:
        last = len(self.scale) - 1
        return [[i / last, colour] for i, colour in enumerate(self.scale)]


def load_theme(config: Path | None) -> Theme:
    """The theme of ``evidence.config.yaml`` (Evidence's defaults where it says nothing)."""
    if config is None or not config.is_file():
        return Theme()
    theme = (yaml.safe_load(config.read_text(encoding="utf-8")) or {}).get("theme") or {}
    palettes = {"default": EVIDENCE_PALETTE}
    for name, colours in (theme.get("colorPalettes") or {}).items():
        palettes[name] = tuple(str(c) for c in _light(colours))
    colours = dict(EVIDENCE_COLOURS)
    colours.update({k: str(_light(v)) for k, v in (theme.get("colors") or {}).items()})
    scale = (theme.get("colorScales") or {}).get("default")
    return Theme(
        palettes, colours, tuple(str(c) for c in _light(scale)) if scale else EVIDENCE_SCALE
    )
