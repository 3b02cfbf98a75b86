"""The learned pass as pure post-processing: rule events + sentence probabilities -> events.

The classifier only acts where the rules cannot decide, and it never creates an event nor
raises a confidence:
  (a) re-rank: a sentence with candidate events of different QuadClasses keeps the events
      of the QuadClass the classifier prefers (among the candidates) on top; the others
      are demoted just below them;
  (b) reject: an event whose QuadClass the classifier gives under `reject_below` while
      it is at least `reject_confident` sure of another class is demoted (confidence x
      `demote_factor`) or dropped (`action`), as the policy says.
Each change is written in the event's `explain`. Predicting a QuadClass for a sentence with
no event at all is the benchmark's business (bench/quadclass.py --learned), not an event's.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

import numpy as np

from ..model import Event

ACTIONS = ("demote", "drop", "none")
FLOOR = 0.01  # a demoted confidence never goes below this


@dataclasses.dataclass(frozen=True)
class Policy:
    rerank: bool = True
    rerank_margin: float = 0.0  # the preferred QuadClass must beat the runner-up by this much
    reject_below: float = 0.05
    reject_confident: float = 0.8
    action: str = "demote"
    demote_factor: float = 0.5

    def __post_init__(self):
        if self.action not in ACTIONS:
            raise ValueError(f"action must be one of {', '.join(ACTIONS)}, not {self.action!r}")

    @classmethod
    def from_dict(cls, d: Mapping | None) -> "Policy":
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in (d or {}).items() if k in names})

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def _describe(p: np.ndarray, classes: np.ndarray) -> str:
    return " ".join(f"QC{c}={v:.2f}" for c, v in zip(classes.tolist(), p.tolist()))


def combine_sentence(events: list[Event], p: np.ndarray, classes, policy: Policy = Policy()) -> list[Event]:
    """The events of one sentence after the learned pass (new Event objects; inputs untouched)."""
    return [e for e in _decide(events, p, classes, policy) if e is not None]


def _decide(events: list[Event], p: np.ndarray, classes, policy: Policy) -> list[Event | None]:
    """One result per input event, in order: the (possibly demoted) event, or None when dropped."""
    p = np.asarray(p, dtype=float)
    prob = {int(c): float(v) for c, v in zip(np.asarray(classes).tolist(), p.tolist())}
    top = float(p.max())
    favourite = int(np.asarray(classes)[int(p.argmax())])
    note = f"learned: {_describe(p, np.asarray(classes))}"
    out: list[Event | None] = []
    for event in events:
        q = prob.get(event.quad_class, 0.0)
        rejected = (policy.action != "none" and q < policy.reject_below and top >= policy.reject_confident
                    and favourite != event.quad_class)
        if rejected and policy.action == "drop":
            out.append(None)
        elif rejected:
            confidence = max(FLOOR, event.confidence * policy.demote_factor)
            out.append(_with(event, min(confidence, event.confidence),
                             f"{note}; QuadClass {event.quad_class} rejected"))
        else:
            out.append(dataclasses.replace(event, explain=list(event.explain)))
    kept = [e for e in out if e is not None]
    candidates = sorted({e.quad_class for e in kept}, key=lambda c: -prob.get(c, 0.0))
    if policy.rerank and len(candidates) > 1:
        best, runner_up = candidates[0], candidates[1]
        if prob.get(best, 0.0) - prob.get(runner_up, 0.0) >= policy.rerank_margin:
            ceiling = min(e.confidence for e in kept if e.quad_class == best)
            for i, event in enumerate(out):
                if event is not None and event.quad_class != best and event.confidence >= ceiling:
                    confidence = max(FLOOR, round(ceiling - 0.01, 4))
                    out[i] = _with(event, min(confidence, event.confidence),
                                   f"{note}; re-ranked below the QuadClass {best} event(s)")
    return out


def _with(event: Event, confidence: float, why: str) -> Event:
    return dataclasses.replace(event, confidence=confidence, explain=[
        *event.explain, f"{why}: confidence {event.confidence:.2f} -> {confidence:.2f}"])


def combine(events: Iterable[Event], probabilities: Mapping[str, np.ndarray], classes,
            policy: Policy = Policy()) -> list[Event]:
    """Apply the pass to the events of any sentences; `probabilities` maps an evidence text to P(QuadClass).

    Events whose evidence has no probabilities pass unchanged. The order is kept.
    """
    events = list(events)
    groups: dict[tuple, list[int]] = {}
    for i, event in enumerate(events):
        groups.setdefault((event.article_id, event.sentence_index, event.evidence), []).append(i)
    result: list[Event | None] = list(events)
    for (_, _, evidence), indices in groups.items():
        p = probabilities.get(evidence)
        if p is not None:
            for i, decided in zip(indices, _decide([events[i] for i in indices], p, classes, policy)):
                result[i] = decided
    return [e for e in result if e is not None]


def sentence_quad_class(events: list[Event], probabilities: Mapping[str, np.ndarray], sentence_p: np.ndarray,
                        classes, policy: Policy = Policy(), fallback: bool = True) -> tuple[int | None, str]:
    """For the QuadClass benchmark only: (QuadClass, how) of one labelled sentence.

    The most confident event after the pass answers; a sentence left without events gets the
    classifier's QuadClass (no Event is made for it) when `fallback`, else None. how: "rules"
    (the rules' answer), "changed" (the pass changed it), "learned" (no event: the classifier
    alone), "none" (no event, no fallback).
    """
    kept = combine(events, probabilities, classes, policy)
    if kept:
        q = most_confident(kept)
        return q, "rules" if q == most_confident(events) else "changed"
    if not fallback:
        return None, "none"
    return int(np.asarray(classes)[int(np.argmax(sentence_p))]), "learned"


def most_confident(events: Iterable[Event]) -> int | None:
    """The QuadClass of the most confident event (the first of equals); None without events."""
    best = None
    for event in events:
        if best is None or event.confidence > best.confidence:
            best = event
    return best.quad_class if best else None
