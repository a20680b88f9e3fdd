"""Draw the application icon and write it in the sizes each platform wants.

``python packaging/make_icons.py`` writes ``resources/icons/``: PNGs of 16 to 512 px
(the Linux hicolor theme and the window icon), ``opsconsole.ico`` (Windows: 16 to
256 px) and ``opsconsole.icns`` (macOS). The outputs are committed; run this only to
change the icon. The drawing: a night-blue tile, the Earth, one orbit and a satellite.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def draw(size: int):  # type: ignore[no-untyped-def]
    """The icon as a ``QImage`` of ``size`` x ``size`` pixels (transparent corners)."""
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen, QRadialGradient

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 100.0, size / 100.0)  # draw on a 100 x 100 grid
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#0b1d33"))
    p.drawRoundedRect(QRectF(2, 2, 96, 96), 18, 18)
    earth = QRadialGradient(QPointF(42, 40), 38)
    earth.setColorAt(0.0, QColor("#5fb0ff"))
    earth.setColorAt(0.7, QColor("#1f6fc2"))
    earth.setColorAt(1.0, QColor("#0d3f7a"))
    p.setBrush(QBrush(earth))
    p.drawEllipse(QPointF(50, 52), 30, 30)
    p.setBrush(QColor("#3fa36b"))  # two land masses
    p.drawEllipse(QRectF(34, 38, 16, 11))
    p.drawEllipse(QRectF(50, 56, 14, 16))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(QColor("#ffb02e"), max(4.0, 300.0 / size), Qt.PenStyle.SolidLine,
                  Qt.PenCapStyle.RoundCap))  # fmt: skip
    p.save()
    p.translate(50, 52)
    p.rotate(-25)
    p.drawEllipse(QRectF(-44, -15, 88, 30))
    p.restore()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#ffffff"))
    p.drawEllipse(QPointF(84, 32), 7, 7)  # the satellite, on the orbit
    p.end()
    return image


ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09"}
"""Apple's codes for PNG images of each size in an ``.icns`` file."""


def png_bytes(size: int) -> bytes:
    """The icon at ``size`` px as PNG file bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not draw(size).save(buffer, "PNG"):
        raise OSError(f"could not encode the {size} px icon")
    buffer.close()
    return bytes(data.data())


def ico(images: dict[int, bytes]) -> bytes:
    """A Windows ``.ico`` holding PNG images (Windows Vista and later read these)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, payload = b"", b""
    for size, png in sorted(images.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in an icon directory
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
        payload += png
    return header + entries + payload


def icns(images: dict[int, bytes]) -> bytes:
    """A macOS ``.icns`` holding PNG images."""
    body = b"".join(
        ICNS_TYPES[size] + struct.pack(">I", 8 + len(png)) + png
        for size, png in sorted(images.items())
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    ICONS.mkdir(parents=True, exist_ok=True)
    images = {size: png_bytes(size) for size in PNG_SIZES}
    for size, png in images.items():
        (ICONS / f"opsconsole-{size}.png").write_bytes(png)
    (ICONS / "opsconsole.ico").write_bytes(ico({s: images[s] for s in ICO_SIZES}))
    (ICONS / "opsconsole.icns").write_bytes(icns({s: images[s] for s in ICNS_TYPES}))
    del app
    print(f"icons written to {ICONS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
