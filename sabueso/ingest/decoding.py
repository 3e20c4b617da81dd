"""Bytes → str for text-like files: BOMs, UTF-8, legacy 8-bit encodings, binary detection."""
from __future__ import annotations

import codecs
import re

from .errors import IngestError

SAMPLE_BYTES = 64 * 1024          # binary sniffing looks at the start of the file, like git/grep
DETECT_BYTES = 1024 * 1024        # encoding heuristics look at (at most) this much
CONTROL_SHARE = 0.10              # more control bytes than this in the sample → binary

_BOMS = (  # UTF-32 first: its little-endian BOM starts with the UTF-16 one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls other than tab, newline, vertical tab, form feed, carriage return and escape; DEL.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_ASCII_LETTERS = re.compile(r"[A-Za-z]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_LATIN_LETTERS = re.compile(r"[À-ÖØ-öø-ÿŠšŽžŒœŸƒ]")


def bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def utf16_encoding(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for what looks like UTF-16 saved without a byte-order mark:
    in text of the Latin script the high byte of (nearly) every character is NUL, which
    :func:`looks_binary` alone would call binary."""
    sample = data[:SAMPLE_BYTES]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 8:
        return None
    low_first, high_first = sample[0::2], sample[1::2]
    for high, low, encoding in ((high_first, low_first, "utf-16-le"),
                                (low_first, high_first, "utf-16-be")):
        if high.count(0) >= 0.7 * len(high) and low.count(0) <= 0.01 * len(low):
            return encoding
    return None


def _utf16_text(data: bytes) -> str | None:
    """The text of a BOM-less UTF-16 file when it decodes cleanly and reads as text (mostly
    letters, hardly any control characters), not an array of 16-bit numbers."""
    encoding = utf16_encoding(data)
    if encoding is None:
        return None
    try:
        text = data[: len(data) - len(data) % 2].decode(encoding)
    except UnicodeDecodeError:
        return None
    sample = text[: SAMPLE_BYTES // 2]
    visible = "".join(sample.split())
    controls = sum(1 for c in visible if c < " " or c == "\x7f")
    letters = sum(1 for c in visible if c.isalpha())
    if not visible or controls > 0.01 * len(visible) or letters < 0.5 * len(visible):
        return None
    return text


def looks_binary(data: bytes) -> bool:
    """NUL bytes or a high share of control characters near the start of the file."""
    sample = data[:SAMPLE_BYTES]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return controls / len(sample) > CONTROL_SHARE


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few broken bytes (valid multi-byte characters outnumber the errors)."""
    sample = data[:DETECT_BYTES].decode("utf-8", errors="replace")
    bad = sample.count("\ufffd")
    good = len(_NON_ASCII.findall(sample)) - bad
    return good > 0 and good >= bad


def _plausible_cp1252(data: bytes) -> str | None:
    """Decode as Windows-1252 (a superset of printable ISO-8859-1) if the result looks like a
    Western European language: accented letters are a minority among the letters. Text in
    Cyrillic/Greek/CJK legacy encodings decodes to (almost) nothing but high letters."""
    try:
        sample = data[:DETECT_BYTES].decode("cp1252")
    except UnicodeDecodeError:
        return None
    accented = len(_LATIN_LETTERS.findall(sample))
    plain = len(_ASCII_LETTERS.findall(sample))
    if accented + plain == 0 or accented / (accented + plain) > 0.3:
        return None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None


def _detected(data: bytes) -> str | None:
    import charset_normalizer

    best = charset_normalizer.from_bytes(data[:DETECT_BYTES]).best()
    if best is None or not best.encoding:
        return None
    try:
        return data.decode(best.encoding, errors="replace")
    except LookupError:
        return None


def decode_bytes(data: bytes, path: str) -> str:
    """Decode a text file. Raises IngestError('binary file, not text') for binary content.

    Order: BOM (UTF-8/16/32) → UTF-16 without BOM when plausible → strict UTF-8 →
    mostly-UTF-8 with replacement characters → Windows-1252/Latin-1 when plausible →
    charset_normalizer's guess → Windows-1252 lossy.
    """
    encoding = bom_encoding(data)
    if encoding:
        return data.decode(encoding, errors="replace")
    text = _utf16_text(data)
    if text is not None:
        return text
    if looks_binary(data):
        raise IngestError(path, "binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        if _mostly_utf8(data):
            text = data.decode("utf-8", errors="replace")
        else:
            text = _plausible_cp1252(data) or _detected(data) or data.decode("cp1252", "replace")
    return text.replace("\x00", "") if "\x00" in text else text
