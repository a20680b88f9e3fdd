"""Problems found in operator-supplied files, reported with the file, place and reason.

Every reader in opsconsole (element sets, site files) collects :class:`InputIssue` values
instead of stopping at the first problem, so that an operator sees every bad line or row
at once. A reader raises :class:`InputFileError` when any issue was found and the caller
did not ask to skip bad records.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class InputIssue:
    """One bad place in an input file.

    ``unit`` names what ``number`` counts: ``"line"`` (1-based text line), ``"record"``
    (1-based OMM JSON object), ``"row"`` (1-based CSV data row, header excluded) or
    ``"feature"`` (1-based GeoJSON feature). ``number`` is 0 for a problem with the whole
    file (empty, unreadable encoding, unknown format).
    """

    source: str
    unit: str
    number: int
    reason: str

    def __str__(self) -> str:
        if self.number <= 0:
            return f"{self.source}: {self.reason}"
        return f"{self.source}: {self.unit} {self.number}: {self.reason}"


class InputFileError(ValueError):
    """Raised when a file has one or more bad records (and skipping was not requested)."""

    def __init__(self, issues: Sequence[InputIssue], valid: int | None = None) -> None:
        self.issues: tuple[InputIssue, ...] = tuple(issues)
        self.valid = valid
        """How many records were valid (``None``: the file could not be read that far)."""
        head = "; ".join(str(issue) for issue in self.issues[:5])
        more = f" (and {len(self.issues) - 5} more)" if len(self.issues) > 5 else ""
        super().__init__(f"{len(self.issues)} invalid record(s): {head}{more}")


def decode_text(data: bytes, source: str, unit: str = "line") -> str:
    """Decode ``data`` as UTF-8 (a BOM is allowed) or raise :class:`InputFileError`.

    The error names the byte offset and the line (reported as ``unit``, e.g. ``"row"`` for
    CSV where the spreadsheet row is the line) of the first undecodable byte.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputFileError(
            [
                InputIssue(
                    source,
                    unit,
                    line,
                    f"unreadable encoding: byte 0x{data[exc.start]:02x} at offset {exc.start} "
                    "is not UTF-8",
                )
            ]
        ) from None


def csv_rows(reader: csv.DictReader[str], source: str, unit: str) -> Iterator[dict[str, str]]:
    """Rows of ``reader``; a malformed row raises :class:`InputFileError` naming its line."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputFileError(
                [InputIssue(source, unit, reader.line_num, f"unreadable CSV: {exc}")]
            ) from None
        yield row


MAX_NAME_LENGTH = 200
"""Longest name (site, customer, plan) accepted, in characters."""


_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Bidirectional embedding and override characters (they can disguise a name)."""


def name_problem(name: str, what: str = "name") -> str | None:
    """Why ``name`` cannot be a name (empty, too long, control characters), or ``None``."""
    if not name.strip():
        return f"{what} is empty"
    if len(name) > MAX_NAME_LENGTH:
        return f"{what} is {len(name)} characters long (at most {MAX_NAME_LENGTH})"
    odd = next((c for c in name if unicodedata.category(c) in ("Cc", "Zl", "Zp")
                or c in _BIDI_CONTROLS), None)  # fmt: skip
    if odd is not None:
        return f"{what} contains the control character {odd!r}"
    return None
