"""Satellite colours by shell, orbital plane or status, and the legend for each."""

from __future__ import annotations

import colorsys

import numpy as np
from numpy.typing import NDArray

from opsconsole.console.console_data import ConsoleData

SHELL_PALETTE = (
    (0.35, 0.85, 1.00),
    (1.00, 0.62, 0.20),
    (0.60, 1.00, 0.45),
    (1.00, 0.45, 0.85),
    (0.95, 0.95, 0.35),
    (0.65, 0.55, 1.00),
    (1.00, 0.40, 0.40),
    (0.40, 1.00, 0.80),
)
OFF_SHELL = (0.75, 0.75, 0.75)
STATUS_COLORS = {
    "on-station": (0.35, 0.95, 0.45),
    "off-station": (1.0, 0.75, 0.2),
    "stale": (1.0, 0.3, 0.3),
}


def _rgba(rgb: NDArray[np.float64]) -> NDArray[np.float32]:
    out = np.ones((len(rgb), 4), dtype=np.float32)
    out[:, :3] = rgb
    return out


def color_by(mode: str, data: ConsoleData) -> NDArray[np.float32]:
    """RGBA per satellite, shape ``(n, 4)``, for ``mode`` in shell / plane / status."""
    s = data.structure
    n = len(s.shell)
    if mode == "status":
        table = np.array(list(STATUS_COLORS.values()))
        return _rgba(table[s.status]) if n else np.empty((0, 4), np.float32)
    if mode == "plane":
        hue = (s.raan_deg / 360.0) % 1.0
        rgb = np.array([colorsys.hsv_to_rgb(h, 0.75, 1.0) for h in np.round(hue, 3)])
        rgb = rgb.reshape(n, 3) if n else np.empty((0, 3))
        rgb[s.shell < 0] = OFF_SHELL
        return _rgba(rgb)
    palette = np.array([*SHELL_PALETTE, OFF_SHELL])
    index = np.where(s.shell >= 0, s.shell % len(SHELL_PALETTE), len(SHELL_PALETTE))
    return _rgba(palette[index])


def legend(mode: str, data: ConsoleData) -> list[tuple[str, tuple[float, float, float]]]:
    """(label, RGB) entries explaining :func:`color_by`."""
    s = data.structure
    if mode == "status":
        return [(name, rgb) for name, rgb in STATUS_COLORS.items()]
    if mode == "plane":
        return [("node longitude 0° → 360° (hue)", (1.0, 1.0, 1.0)), ("not in a shell", OFF_SHELL)]
    entries = [
        (label, SHELL_PALETTE[i % len(SHELL_PALETTE)]) for i, label in enumerate(s.shell_labels)
    ]
    return [*entries, ("not in a shell", OFF_SHELL)]
