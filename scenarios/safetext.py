"""User text made harmless for where it is shown: a terminal, a spreadsheet cell, Markdown.

Scenario files, decisions files and run folders come from anyone. Their text must never
smuggle a terminal escape sequence (clear the screen, rewrite a line, set the clipboard),
a spreadsheet formula (``=HYPERLINK(...)``) or a Markdown link or image (a remote fetch
when the report is rendered). Every front end and writer calls these; none escapes by hand.
"""

from __future__ import annotations

import re

CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a reader sees."""

_CONTROL_BUT_NEWLINE = re.compile(CONTROL_CHARS.pattern.replace(r"\x00-\x1f", r"\x00-\x09\x0b-\x1f"))


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_text(text: object, *, newlines: bool = False) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``); ``newlines`` keeps line breaks."""
    pattern = _CONTROL_BUT_NEWLINE if newlines else CONTROL_CHARS
    return pattern.sub(_escaped, str(text))


BEYOND_JSON = re.compile(CONTROL_CHARS.pattern.replace(r"\x00-\x1f", ""))
"""The controls ``json.dumps`` leaves raw (DEL, C1, the bidirectional overrides, the line separators)."""


def json_output(text: str) -> str:
    """JSON text (from ``json.dumps``) with the controls JSON leaves raw (DEL, C1, bidi) as ``\\u`` escapes."""
    return BEYOND_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def html_value(value: object) -> object:
    """A Jinja2 ``finalize``: plain text with its controls shown escaped, as in Markdown (line breaks kept).

    Autoescaping makes ``<`` and ``&`` harmless; this makes an ESC or a BEL, or a bidirectional
    override that reorders what a reader sees, visible instead of raw in the page's source and
    text. Markup the templates made (charts, links) and numbers pass unchanged.
    """
    if type(value) is str:
        return terminal_text(value, newlines=True)
    return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection)."""


def csv_cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text: a leading ``'`` before a would-be formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def spreadsheet_text(value: object) -> str:
    """A CSV cell of user text: its controls shown escaped (``\\x1b``; line breaks kept, a quoted cell holds them)
    and a leading ``'`` before a would-be formula, so neither a spreadsheet nor ``cat`` acts on it."""
    return csv_cell(terminal_text("" if value is None else value, newlines=True))


_MARKDOWN_ACTIVE = re.compile(r"[\\`\[\]*_]")


def markdown_text(text: object) -> str:
    """``text`` as literal Markdown on one line (also inside a table cell).

    HTML is escaped as entities (no tags, no autolinks), ``[``, ``]``, backticks, ``*``, ``_`` and
    backslashes are backslash-escaped (no link, image, reference definition or emphasis can form),
    ``|`` cannot end a table cell, line breaks become spaces and controls are shown escaped.
    """
    out = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    out = _MARKDOWN_ACTIVE.sub(lambda m: "\\" + m.group(), out)
    out = out.replace("|", "\\|").replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    return terminal_text(out)
