"""opsconsole: an operations console for a satellite-internet constellation and its cloud.

The package is layered: :mod:`opsconsole.core` (orbits, time, geometry, catalog; no Qt),
:mod:`opsconsole.store` (SQLite; no Qt), and the command line in :mod:`opsconsole.cli`.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
