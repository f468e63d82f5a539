"""The one exception the format readers and writers raise for a file they cannot use at all.

Rows that can be skipped become ``Problem`` warnings in the ``ParseResult`` instead; a
``FormatError`` means nothing from the file should be imported.
"""

from __future__ import annotations


class FormatError(ValueError):
    """A fatal problem with an input file, with the 1-based line (or row) where it applies."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.message}"
