"""Invisible characters that may not be content: control codes, bidirectional controls, line separators.

A control code (C0 but tab, line feed and carriage return; DEL; C1) makes feed.xml ill-formed XML and
can drive a terminal (ESC); a bidirectional control (U+202E reverses what follows) makes text read
otherwise than it is stored; U+2028/U+2029 break lines where editors, YAML and JavaScript disagree.
None shows on screen, so `check` names each by code point, and `import` drops them and says so.
"""

from __future__ import annotations

import re

# Carriage return stays: Windows editors end lines with \r\n, and the YAML and Markdown readers take it as a line end.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_BREAKS = "\u2028\u2029"  # a line break to a reader: dropped as a space, so the words on each side stay apart
_NAMES = {
    "\x1b": "ESCAPE", "\x7f": "DELETE", "\x85": "NEXT LINE", "\u061c": "ARABIC LETTER MARK",
    "\u200e": "LEFT-TO-RIGHT MARK", "\u200f": "RIGHT-TO-LEFT MARK",
    "\u202a": "LEFT-TO-RIGHT EMBEDDING", "\u202b": "RIGHT-TO-LEFT EMBEDDING", "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE", "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE", "\u2067": "RIGHT-TO-LEFT ISOLATE", "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE", "\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR",
}


def describe(ch: str) -> str:
    """A character as `U+202E RIGHT-TO-LEFT OVERRIDE` (a control code without a Unicode name as `U+0007 control`)."""
    return f"U+{ord(ch):04X} {_NAMES.get(ch, 'control')}"


def first(text: str) -> tuple[int, int, str] | None:
    """(line, column, character) of the first forbidden character, 1-based; None when there is none."""
    m = FORBIDDEN.search(text)
    if m is None:
        return None
    line = text.count("\n", 0, m.start()) + 1
    return line, m.start() - text.rfind("\n", 0, m.start()), m.group()


def strip(text: str, removed: dict[str, int]) -> str:
    """text without forbidden characters (a line or paragraph separator becomes a space); counts each in `removed`."""
    def drop(m: re.Match[str]) -> str:
        removed[m.group()] = removed.get(m.group(), 0) + 1
        return " " if m.group() in _BREAKS else ""

    return FORBIDDEN.sub(drop, text)


_LINE_ENDS = re.compile("[\t\n\r]")


def visible(text: str, one_line: bool = False) -> str:
    """text with each forbidden character written as an escape (`\\x1b`, `\\u202e`) that a terminal shows as it is.

    `one_line` escapes tabs and line ends too: a file name or id printed inside a message."""
    def escape(m: re.Match[str]) -> str:
        code = ord(m.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    text = FORBIDDEN.sub(escape, text)
    return _LINE_ENDS.sub(escape, text) if one_line else text
