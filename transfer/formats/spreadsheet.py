"""Spreadsheet formula neutralisation for the CSV we write, undone by the CSV we read.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and some
treat a leading tab or carriage return the same way), so a track titled ``=HYPERLINK(...)``
in a downloaded CSV could act when opened. OWASP's rule (CSV injection): prefix such a cell
with a single quote, which spreadsheets show as text and do not display. Our reader removes
exactly that quote again, so export then import gives back the original text. A cell that
already starts with quotes before such a character gets one more, so that removing one is
right for every cell.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_QUOTED = re.compile(r"'+[=+\-@\t\r]")
_TAB_PROTECTED = re.compile(r"^[ \t\r\n]*\t(?=[=+\-@])")


def neutralise(cell: str) -> str:
    """The cell as it must be written to a CSV: inert in a spreadsheet."""
    if cell.startswith(FORMULA_STARTS) or _QUOTED.match(cell):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    """A read CSV cell, trimmed, with the protection ``neutralise`` (or a tab) added undone.

    A leading tab right before a formula character is someone else's protection: it is kept,
    so that writing the value out again keeps it protected.
    """
    text = cell.strip()
    if _TAB_PROTECTED.match(cell):
        return "\t" + text
    if _QUOTED.match(text):
        return text[1:]
    return text
