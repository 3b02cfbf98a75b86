"""Who is speaking inside a quotation that runs on past its attribution.

News quotes one speaker over several sentences and paragraphs:

    Ahmed said: "Any attempt by the Turkish state to establish a safe zone will be an occupation.
    "We saw this in Afrin last year. Huge massacres have been committed by the Turks."

Only the first sentence names the speaker; the others are still hers. `QuoteTracker` follows the
quotation marks through an article, sentence by sentence in reading order, and answers for each
sentence whether it is quoted speech and whose. By the convention of English news a paragraph
that continues a quotation opens with a quotation mark and the one before it leaves the quote
open (or ends in a colon); any other paragraph ends the quotation. Straight double quotes toggle;
typographic ones open and close. Single quotes are left alone (they are also apostrophes).
A verb of saying outside the quotation marks names the speaker anew: whoever it is, or no one
known when its subject resolves to no actor.
"""
from __future__ import annotations

import re

OPENING = "\u201c"  # “
CLOSING = "\u201d"  # ”
STRAIGHT = '"'


_MARKS = re.compile(f"[{OPENING}{CLOSING}{STRAIGHT}]")


def inside_after(text: str, inside: bool) -> bool:
    """Whether a quotation is open after `text`, given whether one was open before it."""
    for mark in _MARKS.findall(text):  # most sentences have none
        inside = True if mark == OPENING else False if mark == CLOSING else not inside
    return inside


def opens_quote(text: str) -> bool:
    return text.lstrip()[:1] in (OPENING, STRAIGHT)


class QuoteTracker:
    """Reads sentences in order: `start` one, ask `quoted_at` of its words, `finish` it."""

    def __init__(self) -> None:
        self.inside = False  # a quotation is open at the current position
        self.speaker = None  # whoever the open quotation belongs to
        self.colon = False  # the last sentence ended with a colon ("Ahmed said:")
        self._text = ""  # the sentence being read, its re-opening mark taken off
        self._before = False  # whether a quotation was open at its start
        self._shift = 0  # characters taken off its start

    def start(self, text: str, new_paragraph: bool) -> bool:
        """Enter the sentence `text` (the first of a paragraph when `new_paragraph`): True when it
        is quoted speech from its start (an open quotation, or one it opens)."""
        original = text
        if new_paragraph:
            continues = opens_quote(text) and (self.inside or self.colon)
            if not continues:
                self.speaker = None
            self.inside = self.inside and continues
            if continues:  # its opening mark re-opens the quotation, whatever the count says
                text = text.lstrip()[1:]
        self._text, self._before, self._shift = text, self.inside, len(original) - len(text)
        return self.inside or opens_quote(text)

    def quoted_at(self, offset: int) -> bool:
        """Whether character `offset` of the sentence (as given to `start`) lies inside quotation marks."""
        return inside_after(self._text[:max(0, offset - self._shift)], self._before)

    def finish(self, spoke: bool = False, speaker=None) -> None:
        """Leave the sentence; `spoke` when a verb of saying outside the quotes names a speaker,
        `speaker` that speaker's actor (None when it resolved to no one)."""
        if spoke:
            self.speaker = speaker
        self.inside = inside_after(self._text, self._before)
        self.colon = self._text.rstrip().endswith(":")
