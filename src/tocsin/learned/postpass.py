"""`LearnedPass`: the learned pass over a stream of events (what `tocsin code --learned` runs).

Events are buffered a few articles at a time so that their evidence sentences are encoded
in batches; each article's events come out in their order, after `combine`.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..model import Event
from .combine import Policy, combine
from .encoder import Encoder
from .head import QUADS, QuadHead


class LearnedPass:
    def __init__(self, head: QuadHead, encoder: Encoder, policy: Policy | None = None, batch_sentences: int = 256):
        self.head = head
        self.encoder = encoder
        self.policy = policy or Policy.from_dict(head.meta.get("policy"))
        self.batch_sentences = batch_sentences
        self.classes = QUADS

    @classmethod
    def load(cls, head_path=None, policy: Policy | None = None) -> "LearnedPass":
        """The shipped head and the encoder, loaded now (raises LearnedUnavailable when not installed)."""
        return cls(QuadHead.load(head_path), Encoder().load(), policy)

    def probabilities(self, sentences: list[str]) -> dict:
        """sentence -> P(QuadClass 1..4)."""
        unique = list(dict.fromkeys(sentences))
        return dict(zip(unique, self.head.quad_proba(self.encoder.encode(unique)))) if unique else {}

    def _flush(self, buffer: list[Event]) -> list[Event]:
        probs = self.probabilities([e.evidence for e in buffer])
        return combine(buffer, probs, self.classes, self.policy)

    def __call__(self, events: Iterable[Event]) -> Iterator[Event]:
        buffer: list[Event] = []
        sentences: set[str] = set()
        for event in events:
            if buffer and event.article_id != buffer[-1].article_id and len(sentences) >= self.batch_sentences:
                yield from self._flush(buffer)
                buffer, sentences = [], set()
            buffer.append(event)
            sentences.add(event.evidence)
        if buffer:
            yield from self._flush(buffer)
