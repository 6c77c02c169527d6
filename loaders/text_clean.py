"""One cleaning of text that comes in (uploads, user names) and of text that goes out to a terminal."""

from __future__ import annotations

import re
import unicodedata

# Bidi embeddings, overrides and isolates (U+202A–202E, U+2066–2069) and marks (U+200E/200F, U+061C):
# they reorder what a reader sees ("Trojan source"), so no stored text keeps them.
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# Zero-width characters make two names that look the same differ.
_ZERO_WIDTH = set("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_KEEP_CONTROLS = set("\n\t")
# CSI / OSC / other escape sequences a terminal would act on.
_TERMINAL_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")


def _drop(ch: str, keep_newlines: bool) -> bool:
    if ch in _BIDI or ch in _ZERO_WIDTH:
        return True
    category = unicodedata.category(ch)
    if category == "Cc":
        return not (keep_newlines and ch in _KEEP_CONTROLS)
    return category == "Cf"


def clean_text(text: object, keep_newlines: bool = True) -> object:
    """NFC, without control, bidi-override and zero-width characters; non-text values pass unchanged.

    Used by the workbook reader on every text cell before anything is stored.
    """
    if not isinstance(text, str):
        return text
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(ch for ch in text if not _drop(ch, keep_newlines))


def normalise_name(name: object) -> str:
    """The one form of a user name used for lookup, throttling and audit: NFC, cleaned, stripped, casefolded."""
    return str(clean_text(str(name or ""), keep_newlines=False)).strip().casefold()


def terminal_safe(text: object) -> str:
    """Text fit to print on a terminal: escape sequences and other control characters removed."""
    text = _TERMINAL_ESCAPE.sub("", str(text))
    return "".join(
        ch for ch in text if ch in _KEEP_CONTROLS or ch not in _BIDI and unicodedata.category(ch) != "Cc"
    )
