"""Field-level repair of untrusted markup before a parser sees it.

One bad character must cost at most one field, never a whole feed: feedparser raises on a
numeric character reference beyond U+10FFFF (`&#x110000;`), and lxml refuses strings with
C0 control characters. Both are repaired here, byte-for-byte where the text is fine, so the
parsers downstream get input they can read; what was repaired is counted so the spider can
note it.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"

_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")


def _ref_is_usable(code: int) -> bool:
    """True when an XML/HTML parser can turn this code point into a character."""
    if code in (0x9, 0xA, 0xD):
        return True
    if code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF:
        return False
    return code <= 0x10FFFF and code not in (0xFFFE, 0xFFFF)


def _repair_ref(match: re.Match[bytes]) -> bytes:
    digits_hex, digits_dec = match.group(1), match.group(2)
    try:
        code = int(digits_hex, 16) if digits_hex else int(digits_dec)
    except ValueError:
        return b"&#xFFFD;"
    if len(match.group(0)) > 16 or not _ref_is_usable(code):
        return b"&#xFFFD;"
    return match.group(0)


def repair_markup(body: bytes) -> tuple[bytes, int]:
    """(markup fit for a parser, number of repairs): control bytes dropped, character
    references to impossible code points replaced by U+FFFD.

    >>> repair_markup(b"<c>&#x110000;</c><d>a\\x01b</d>")
    (b'<c>&#xFFFD;</c><d>ab</d>', 2)
    """
    if body[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in body[:4]:
        return body, 0  # UTF-16: zero bytes are part of every character
    repairs = 0

    def count_ref(match: re.Match[bytes]) -> bytes:
        nonlocal repairs
        fixed = _repair_ref(match)
        if fixed != match.group(0):
            repairs += 1
        return fixed

    body, removed = _CONTROL_BYTES.subn(b"", body)
    body = _CHAR_REF.sub(count_ref, body)
    return body, repairs + removed


def clean_chars(text: str) -> str:
    """A string without C0 control characters, lone surrogates or non-characters."""
    return _CONTROL_CHARS.sub("", text)
