"""What to fix for YAML slips the parser words in its own terms: a comma missing between two entries of
``{...}`` on the line of its ``{`` (on a later line the ``{`` may be the one left open: the reader says that),
a list item indented differently from the items beside it, a key indented between the keys of two mappings, a
quote never closed (told at the quote, not at the end of the file), and a ``[`` or ``{`` still open where the file
ends (found by a scan of the text: the parser's marks are both at the end).

Each hint is one located problem (line and column from 1, the message); ``None`` when the error is not of that shape.
"""

from __future__ import annotations

import re

import yaml

_GLUED_KEY = re.compile(r"[^\s,{\[][ \t]+([^\s,:{}\[\]]+)$")
"""A key taken into the plain value before it (``severity: 2 reach``): the key, after a blank on the same line."""
_NEXT_WORD = re.compile(r"[^\s,:{}\[\]]+")
_ITEM = re.compile(r"( *)- ")

Hint = tuple[int, int, str]


def hint(lines: list[str], exc: yaml.MarkedYAMLError) -> Hint | None:
    """The hint for ``exc`` (raised reading the text of ``lines``), if it is one of the slips above."""
    problem, context, mark = exc.problem or "", exc.context or "", exc.problem_mark
    opened = exc.context_mark
    if context.startswith("while scanning a quoted scalar") and opened is not None and opened.line < len(lines):
        return _open_quote(lines, opened.line, opened.column, problem)
    if mark is not None and ("stream end" in problem or "end of stream" in problem
                             or "expected node content" in problem):
        left_open = _open_bracket(lines)
        if left_open is not None:
            return left_open
    if mark is None or mark.line >= len(lines):
        return None
    if (context.startswith("while parsing a flow mapping") and problem.startswith("did not find expected ','")
            and opened is not None and opened.line == mark.line):  # on a later line it may be left open
        return _missing_comma(lines[mark.line], mark.line, mark.column)
    if problem.startswith("mapping values are not allowed"):
        return _overindented_key(lines, mark.line, mark.column)
    if context.startswith("while parsing a block") and ("did not find expected" in problem
                                                         or problem.startswith("expected <block end>")):
        return _misindented_item(lines, mark.line) or _misindented_key(lines, mark.line, opened)
    return None


def _open_quote(lines: list[str], row: int, column: int, problem: str) -> Hint:
    """A quoted text whose closing quote is missing: the parser reads on to the end of the file (or to a later
    quote) and says so there; the slip is where the quote opened."""
    quote = lines[row][column:column + 1] or '"'
    return (row + 1, column + 1, f"this {quote!r} is never closed ({problem}); close the text with {quote!r} on "
            "this line, or write it without quotes")


def _open_bracket(lines: list[str]) -> Hint | None:
    """The innermost ``[`` or ``{`` still open where the file ends (quoted text and comments skipped)."""
    stack: list[tuple[int, int, str]] = []
    for row, line in enumerate(lines):
        quote = ""
        for col, char in enumerate(line):
            if quote:
                quote = "" if char == quote and not (quote == '"' and line[col - 1:col] == "\\") else quote
            elif char in "'\"" and (col == 0 or line[col - 1] in " \t[{,:"):
                quote = char
            elif char == "#" and (col == 0 or line[col - 1] in " \t"):
                break
            elif char in "[{":
                stack.append((row, col, char))
            elif char in "]}" and stack:
                stack.pop()
    if not stack:
        return None
    row, col, bracket = stack[-1]
    closing = "]" if bracket == "[" else "}"
    return (row + 1, col + 1, f"this '{bracket}' is never closed (the file ends inside it); close it with "
            f"'{closing}'")


def _overindented_key(lines: list[str], row: int, column: int) -> Hint | None:
    """A key indented more than the key above it, whose value is plain text: the parser reads the line as more
    of that text, and trips on its ':'."""
    line = lines[row]
    indent = len(line) - len(line.lstrip(" "))
    key = _NEXT_WORD.match(line, indent)
    if key is None or key.end() != column:
        return None
    above = next((r for r in range(row - 1, -1, -1) if lines[r].strip() and not lines[r].lstrip().startswith("#")),
                 None)
    if above is None:
        return None
    text = lines[above]
    at = len(text) - len(text.lstrip(" "))
    owner = re.match(r"(?:- )?([^\s:#'\"{}\[\],]+): +[^\s'\"{\[|>&*!#]", text[at:])
    if owner is None or at >= indent:
        return None
    at += text[at:].startswith("- ") * 2
    return (row + 1, indent + 1, f"'{key.group()}' is indented {indent} spaces, more than '{owner.group(1)}' "
            f"above it ({at}, line {above + 1}), so it reads as more of that value: indent it like "
            f"'{owner.group(1)}' (or, if it is text, put the text in quotes)")


def _misindented_key(lines: list[str], row: int, outer: yaml.Mark | None) -> Hint | None:
    """A key indented between the keys of the mapping above it and those of the mapping that holds that one
    (one space short): the parser saw the inner mapping end and no key of the outer one."""
    line = lines[row]
    indent = len(line) - len(line.lstrip(" "))
    key = _NEXT_WORD.match(line, indent)
    if key is None or line[key.end():key.end() + 1] != ":" or outer is None or outer.column >= indent:
        return None
    inner = next(((r, len(text) - len(text.lstrip(" "))) for r in range(row - 1, outer.line, -1)
                  if (text := lines[r]).strip() and not text.lstrip().startswith("#")), None)
    if inner is None or inner[1] <= indent:
        return None
    return (row + 1, indent + 1, f"'{key.group()}' is indented {indent} spaces, between the keys at {inner[1]} "
            f"(line {inner[0] + 1}) and at {outer.column} (line {outer.line + 1}): indent it like the keys of the "
            "mapping it belongs to")


def _missing_comma(line: str, row: int, column: int) -> Hint | None:
    """``{a: 1 b: 2}`` or ``{a: "1" b: 2}``: the entry after the missing comma is on the line of the error."""
    before = line[:column]
    if line[column:column + 1] == ":":  # a plain value took in the next key: 'severity: 2 reach:'
        glued = _GLUED_KEY.search(before)
        if glued is None:
            return None
        key, start = glued.group(1), glued.start(1)
    else:  # a quoted value, then the next key: 'at: "10:30" incident:'
        word = _NEXT_WORD.match(line, column)
        if word is None or not re.search(r"\S[ \t]+$", before):
            return None
        key, start = word.group(), column
    return (row + 1, start + 1, f"a ',' is missing before '{key}': separate the entries of {{...}} with commas "
            "(did not find expected ',' or '}')")


def _misindented_item(lines: list[str], row: int) -> Hint | None:
    """A list item (``- ...``) at another indentation than the item before it: the parser read it as the end of
    the list or the start of another, and blames the line after the odd one when the odd one is the first."""
    item = _ITEM.match(lines[row])
    if item is None:
        return None
    indent = len(item.group(1))
    above = _item_above(lines, row, indent)
    if above is None:
        return None
    odd, other = (row, above[0]), (above[0], row)
    if indent > above[1] and _siblings(lines, row, indent) > 1:  # the items below agree with this one
        odd, other = other, odd
    odd_indent, other_indent = (indent, above[1]) if odd[0] == row else (above[1], indent)
    return (odd[0] + 1, odd_indent + 1, f"this list item is indented {odd_indent} spaces and the item at line "
            f"{other[0] + 1} {other_indent}: indent the items of one list alike")


def _item_above(lines: list[str], row: int, indent: int) -> tuple[int, int] | None:
    """The nearest list item above ``row`` at another indentation than ``indent``, and its indentation; ``None``
    once the text above moves left of ``indent`` without one (the key that holds the list)."""
    for r in range(row - 1, -1, -1):
        stripped = lines[r].lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        here = len(lines[r]) - len(stripped)
        if stripped.startswith("- ") and here != indent:
            return r, here
        if here < indent and not stripped.startswith("- "):
            return None
    return None


def _siblings(lines: list[str], row: int, indent: int) -> int:
    """How many list items at ``indent`` follow from ``row`` on, before the text moves left of them."""
    count = 0
    for line in lines[row:]:
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        here = len(line) - len(stripped)
        if here < indent:
            break
        count += here == indent and stripped.startswith("- ")
    return count
