"""Whether an X display answers, asked before Qt is started: Qt's xcb plugin aborts the
process (exit code 134, "Reinstalling the application may fix this problem") when it
cannot connect, which no ``try`` can catch."""

from __future__ import annotations

import ctypes
import ctypes.util
import threading

CONNECT_TIMEOUT_S = 5.0
"""How long a display may take to accept the connection (s)."""


def _connect(display: str, result: list[str | None]) -> None:
    name = ctypes.util.find_library("xcb")
    if name is None:  # no libxcb: Qt cannot use X either, and says so itself
        result.append(None)
        return
    xcb = ctypes.CDLL(name)
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        error = int(xcb.xcb_connection_has_error(connection))
    finally:
        xcb.xcb_disconnect(connection)
    result.append(None if error == 0 else f"cannot connect to the X display {display!r}")


def x_display_problem(display: str, timeout_s: float = CONNECT_TIMEOUT_S) -> str | None:
    """Why the X display ``display`` (``:0``, ``host:1``) cannot be used, or ``None``."""
    result: list[str | None] = []
    worker = threading.Thread(target=_connect, args=(display, result), daemon=True)
    worker.start()
    worker.join(timeout_s)
    if not result:
        return f"the X display {display!r} did not answer within {timeout_s:g} s"
    return result[0]
