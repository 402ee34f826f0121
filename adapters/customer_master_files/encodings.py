"""Which encoding a CSV file is written in, told from its first bytes.

In order: a byte order mark says it; UTF-32 and UTF-16 without one show as NUL bytes in
a fixed pattern; text that decodes as UTF-8 is UTF-8; anything else is a legacy
single-byte (or East Asian multi-byte) encoding, which charset-normalizer names from the
letters it finds. Windows-1252, the most common legacy export, is taken when it is among
the closest candidates and reads the sample as Latin words (not ``£ukasz``, ``ódŸ`` or
``Josй``). When the sample has too few letters beyond ASCII to tell, or the candidates
read it differently, the file is refused once, naming the encodings to try, rather than
read wrongly and every row reported broken.

>>> detect_encoding("naïve".encode()), detect_encoding("name;city\\nKöln;Zürich\\n".encode("utf-16-le"))
('utf-8', 'utf-16-le')
>>> detect_encoding(("name;city\\n" + "Müller;Köln\\nSöhne;Besançon\\n" * 20).encode("cp1252"))
'cp1252'
"""

from __future__ import annotations

import codecs
import unicodedata

from customer_master.extras import require

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Wide encodings tried on a sample with NUL bytes, widest first (UTF-16 reads UTF-32
# text with NULs in it, never the other way round).
_WIDE = ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be")
# Windows' "ANSI" code page of Western Europe and the Americas: the most common legacy
# export, preferred among candidates that read the sample alike.
PREFERRED = "cp1252"
# How close (chaos, coherence) a candidate must be to charset-normalizer's best to count.
_CLOSE_CHAOS = 0.02
_CLOSE_COHERENCE = 0.1
_SHOWN_CANDIDATES = 4
# A sample with fewer bytes beyond ASCII than this tells no encoding apart.
_FEWEST_LETTERS = 24


class UnknownEncoding(ValueError):
    """The encoding cannot be told from the file; ``candidates`` are the ones to try."""

    def __init__(self, candidates: list[str]) -> None:
        self.candidates = candidates
        could = (
            f"it could be {', '.join(candidates[:_SHOWN_CANDIDATES])}"
            if candidates
            else "no encoding reads it as text (is it a spreadsheet saved under another name?)"
        )
        example = candidates[0] if candidates else PREFERRED
        super().__init__(
            f"cannot tell the file's encoding: it is not UTF-8, and {could}; name it with the "
            f"encoding option (command line: --encoding {example}; HTTP: the encoding field)"
        )


def detect_encoding(head: bytes) -> str:
    """The encoding of a file starting with ``head``; raises ``UnknownEncoding``."""
    for bom, name in BOMS:
        if head.startswith(bom):
            return name
    if b"\x00" in head:
        wide = _wide_encoding(head)
        if wide is not None:
            return wide
    try:
        # Not final: the sample may end in the middle of a character.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return _legacy_encoding(head)
    return "utf-8"


def _wide_encoding(head: bytes) -> str | None:
    """UTF-32 or UTF-16 without a byte order mark: the first that reads the sample as
    text without NULs or other control characters."""
    for name in _WIDE:
        if len(head) % (4 if "32" in name else 2):  # a whole file of wide characters
            continue
        try:
            text = codecs.getincrementaldecoder(name)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        if text and all(ch.isprintable() or ch in "\r\n\t" for ch in text):
            return name
    return None


def _legacy_encoding(head: bytes) -> str:
    """A legacy encoding for a sample that is not UTF-8: Windows-1252 when it is among
    charset-normalizer's closest candidates (with few letters beyond ASCII: reads as its
    best) and reads the sample as Latin words; else the reading the closest candidates that read words (or,
    when none does, all that do) agree on; else none (the candidates that read words are
    named, the closest first)."""
    require("files", "charset_normalizer", needed_by="reading a file's encoding")
    from charset_normalizer import from_bytes

    found = list(from_bytes(head))
    if not found:
        raise UnknownEncoding([])
    best = found[0]
    close = [
        match
        for match in found
        if match.chaos <= best.chaos + _CLOSE_CHAOS and match.coherence >= best.coherence - _CLOSE_COHERENCE
    ]
    names = [name for match in close for name in (match.encoding, *match.could_be_from_charset)]
    western = _reads_as_words(head.decode(PREFERRED, errors="replace"), latin=True)
    plausible = [m.encoding for m in [*close, *found] if _reads_as_words(str(m))] + [PREFERRED] * western
    candidates = list(dict.fromkeys([*plausible, *(m.encoding for m in close)]))
    if sum(byte > 0x7F for byte in head) < _FEWEST_LETTERS:
        # Too few letters to tell: Windows-1252 only where it reads as the best candidate.
        if western and PREFERRED in (best.encoding, *best.could_be_from_charset):
            return PREFERRED
        raise UnknownEncoding(candidates)
    if PREFERRED in names and western:
        return PREFERRED
    # Where no language was recognised, Windows-1252's reading is as good as any other's.
    also = {PREFERRED: head.decode(PREFERRED, errors="replace")} if western and best.coherence == 0 else {}
    for among in (close, found):  # the closest candidates that read words, else any
        readings = {match.encoding: str(match) for match in among if _reads_as_words(str(match))}
        if readings:
            if len(set(readings.values()) | set(also.values())) == 1:
                return next(iter(readings))
            break
    raise UnknownEncoding(candidates)


def _reads_as_words(text: str, *, latin: bool = False) -> bool:
    """Does the sample read as words: no word mixing ASCII letters with another script
    (``Josй``), no symbol against a letter (``£ukasz``), no capital after a small letter
    (``ódŸ``), nothing unprintable, and with ``latin`` only Latin letters? A file read
    in a wrong single-byte encoding fails these."""
    if _mixes_scripts(text):
        return False
    for word in text.split():
        if word.isascii():
            continue
        for at, ch in enumerate(word):
            if ch.isascii():
                continue
            before, after = word[at - 1 : at] or " ", word[at + 1 : at + 2] or " "
            if not ch.isprintable() or ch == "\ufffd":
                return False
            if ch.isalpha():
                if (latin and "LATIN" not in unicodedata.name(ch, "")) or (ch.isupper() and before.islower()):
                    return False
            elif unicodedata.category(ch)[0] == "S" and (before.isalpha() or after.isalpha()):
                return False  # a symbol against a letter: £ukasz, ód£
    return True


def _mixes_scripts(text: str) -> bool:
    """Does a word mix ASCII letters with letters of a script other than Latin (``Josй``)?
    A wrong single-byte reading of Latin text does that; a right one does not."""
    for word in text.split():
        if word.isascii():
            continue
        has_ascii = any("a" <= ch.lower() <= "z" for ch in word)
        foreign = any(
            ch.isalpha() and not ch.isascii() and not unicodedata.name(ch, "").startswith("LATIN")
            for ch in word
        )
        if has_ascii and foreign:
            return True
    return False
