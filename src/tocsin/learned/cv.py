"""Cross-validation of the head and of the rules + head combination on a labelled TSV.

Nested and stratified: each outer fold's test sentences are never seen by the head that
scores them, and the hyperparameters (4 or 5 classes, L2) and the combination policy are
chosen by an inner cross-validation on the outer training part only. Identical sentences
share a fold. Used by tools/train_quadclass.py and bench/learned_eval.py.
"""
from __future__ import annotations

import hashlib
import inspect
import itertools
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..model import Event
from .combine import Policy, most_confident, sentence_quad_class
from .head import QUADS, QuadHead

SEED = 13
L2_GRID = (1e-3, 1e-2, 3e-2, 1e-1)
CLASS_SETS = ("4", "5")  # "4": labels 0 and 1 merged before training; "5": merged after (in quad_proba)


def load_tsv(path: str | Path) -> list[tuple[str, int]]:
    """(sentence, label 0-4) rows of a `sentence<TAB>label` file (CRLF or LF)."""
    rows = []
    with open(path, encoding="utf-8", newline="") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line.strip() and "\t" in line:
                sentence, label = line.rsplit("\t", 1)
                rows.append((sentence.strip(), int(label)))
    return rows


def policy_grid() -> list[Policy]:
    """The combination policies the inner cross-validation chooses from.

    Two are chosen: the event policy (`tocsin code --learned`: never drops, scored on the
    events alone) and the QuadClass policy (bench/quadclass.py --learned: may drop, scored
    with the classifier answering sentences left without events)."""
    grid = [Policy(rerank=False, action="none"), Policy(rerank=True, action="none")]
    for rerank, action, below, confident in itertools.product(
            (False, True), ("demote", "drop"), (0.02, 0.05, 0.1, 0.2, 0.3), (0.4, 0.5, 0.7, 0.9)):
        grid.append(Policy(rerank=rerank, action=action, reject_below=below, reject_confident=confident))
    return grid


@dataclass
class Data:
    """Labelled sentences with their rule events and the embeddings of every text they need."""

    labels: np.ndarray  # raw 0-4
    events: list[list[Event]]
    texts: list[str]  # unique texts: the sentences and the events' evidence
    vectors: np.ndarray  # (len(texts), dim)
    sentence: np.ndarray  # text index of each row's sentence
    needs: list[list[int]] = field(default_factory=list)  # text indices of each row (sentence + evidence)

    @classmethod
    def build(cls, rows, events, encode) -> "Data":
        """`encode(texts) -> (n, dim)`; rows are (sentence, label 0-4)."""
        texts = list(dict.fromkeys([s for s, _ in rows] + [e.evidence for row in events for e in row]))
        index = {t: i for i, t in enumerate(texts)}
        needs = [sorted({index[s], *(index[e.evidence] for e in row)}) for (s, _), row in zip(rows, events)]
        return cls(np.array([label for _, label in rows]), events, texts, np.asarray(encode(texts)),
                   np.array([index[s] for s, _ in rows]), needs)

    @property
    def quads(self) -> np.ndarray:
        return np.maximum(1, self.labels)


def stratified_folds(labels, k: int = 5, seed: int = SEED, groups=None) -> np.ndarray:
    """Fold number of each row: every class spread evenly; rows of one group in one fold."""
    labels = np.asarray(labels)
    groups = np.arange(len(labels)) if groups is None else np.asarray(groups)
    first = {}
    for i, g in enumerate(groups.tolist()):
        first.setdefault(g, i)
    rng = np.random.default_rng(seed)
    fold_of_group = {}
    for label in sorted(set(labels.tolist())):
        members = [g for g, i in first.items() if labels[i] == label]
        order = rng.permutation(len(members))
        offset = int(rng.integers(k))
        for rank, j in enumerate(order):
            fold_of_group[members[j]] = (rank + offset) % k
    return np.array([fold_of_group[g] for g in groups.tolist()])


def fit(data: Data, rows: np.ndarray, config: tuple[str, float], meta: dict | None = None) -> QuadHead:
    classes, l2 = config
    y = data.labels[rows] if classes == "5" else data.quads[rows]
    return QuadHead.fit(data.vectors[data.sentence[rows]], y, l2=l2, meta={"class_set": classes, **(meta or {})})


def row_probs(data: Data, head: QuadHead, rows) -> dict[int, dict[str, np.ndarray]]:
    """P(QuadClass) of each text a row needs, by the given head."""
    needed = sorted({t for r in rows for t in data.needs[r]})
    p = dict(zip(needed, head.quad_proba(data.vectors[needed]))) if needed else {}
    return {int(r): {data.texts[t]: p[t] for t in data.needs[r]} for r in rows}


def answers(data: Data, rows, probs: dict[int, dict[str, np.ndarray]], policy: Policy,
            fallback: bool = True) -> list[tuple[int | None, str]]:
    return [sentence_quad_class(data.events[r], probs[r], probs[r][data.texts[data.sentence[r]]], QUADS, policy,
                                fallback) for r in rows]


def accuracy(data: Data, rows, predicted) -> float:
    return float(np.mean(np.asarray(predicted) == data.quads[rows])) if len(rows) else 0.0


def out_of_fold(data: Data, rows: np.ndarray, folds: np.ndarray, config) -> dict[int, dict[str, np.ndarray]]:
    """Probabilities of each row by a head trained on the other folds (rows and folds aligned)."""
    probs: dict[int, dict[str, np.ndarray]] = {}
    for f in sorted(set(folds.tolist())):
        head = fit(data, rows[folds != f], config)
        probs.update(row_probs(data, head, rows[folds == f]))
    return probs


def classifier_answers(data: Data, rows, probs) -> list[int]:
    return [int(QUADS[int(np.argmax(probs[r][data.texts[data.sentence[r]]]))]) for r in rows]


def select(data: Data, rows: np.ndarray, k: int = 4, seed: int = SEED, configs=None, policies=None) -> dict:
    """Choose the head's configuration and the combination policy by k-fold CV on `rows` only."""
    configs = configs or [(c, l2) for c in CLASS_SETS for l2 in L2_GRID]
    policies = policies or policy_grid()
    groups = [data.sentence[r] for r in rows]
    folds = stratified_folds(data.labels[rows], k, seed, groups)
    best = None
    for config in configs:
        probs = out_of_fold(data, rows, folds, config)
        score = accuracy(data, rows, classifier_answers(data, rows, probs))
        if best is None or score > best[0]:
            best = (score, config, probs)
    score, config, probs = best
    ranked, safe = [], []
    for policy in policies:
        ranked.append((accuracy(data, rows, [q for q, _ in answers(data, rows, probs, policy)]), policy))
        if policy.action != "drop":
            predicted = [q for q, _ in answers(data, rows, probs, policy, fallback=False)]
            safe.append((accuracy(data, rows, predicted), policy))
    # max keeps the first of equals: the simplest policy
    policy_score, policy = max(ranked, key=lambda t: t[0])
    event_score, event_policy = max(safe, key=lambda t: t[0])
    return {"config": config, "classifier_accuracy": score,
            "policy": policy, "combined_accuracy": policy_score,
            "event_policy": event_policy, "event_accuracy": event_score}


FIXED = {  # the combinations reported side by side (not chosen on the test folds): name -> (policy, fallback)
    "events only: re-rank (a)": (Policy(rerank=True, action="none"), False),
    "events only: re-rank + demote rejected (b)": (Policy(rerank=True, action="demote"), False),
    "events only: re-rank + drop rejected (b)": (Policy(rerank=True, action="drop"), False),
    "rules + classifier where no event (c)": (Policy(rerank=False, action="none"), True),
    "  (a) + (c)": (Policy(rerank=True, action="none"), True),
    "  (a) + demote (b) + (c)": (Policy(rerank=True, action="demote"), True),
    "  (a) + drop (b) + (c)": (Policy(rerank=True, action="drop"), True),
}


EVENTS_CHOSEN = "events only: event policy chosen by inner CV"  # what `tocsin code --learned` does
QUADCLASS_CHOSEN = "(c) + QuadClass policy chosen by inner CV"  # what `bench/quadclass.py --learned` does


def nested_cv(data: Data, k: int = 5, seed: int = SEED, inner_k: int = 4, log=None) -> dict:
    """Outer k-fold: per fold, select on the training part, fit on it, score the test part."""
    n = len(data.labels)
    folds = stratified_folds(data.labels, k, seed, data.sentence)
    figures: dict[str, list[int]] = {}
    choices = []
    decided = {"rules": 0, "changed": 0, "learned": 0}

    def add(name, rows, predicted):
        figures.setdefault(name, []).append(int(np.sum(np.asarray(predicted, dtype=object) == data.quads[rows])))

    for f in range(k):
        train, test = np.flatnonzero(folds != f), np.flatnonzero(folds == f)
        chosen = select(data, train, inner_k, seed + 1 + f)
        head = fit(data, train, chosen["config"])
        probs = row_probs(data, head, test)

        add("rules alone", test, [most_confident(data.events[r]) for r in test])
        add("classifier alone", test, classifier_answers(data, test, probs))
        for name, (policy, fallback) in FIXED.items():
            add(name, test, [q for q, _ in answers(data, test, probs, policy, fallback)])
        add(EVENTS_CHOSEN, test, [q for q, _ in answers(data, test, probs, chosen["event_policy"], fallback=False)])
        add("  the same + (c)", test, [q for q, _ in answers(data, test, probs, chosen["event_policy"])])
        selected = answers(data, test, probs, chosen["policy"])
        add(QUADCLASS_CHOSEN, test, [q for q, _ in selected])
        add("  the same, events only", test,
            [q for q, _ in answers(data, test, probs, chosen["policy"], fallback=False)])
        for _, how in selected:
            decided[how] += 1
        choices.append({"fold": f, "test": int(len(test)), "class_set": chosen["config"][0], "l2": chosen["config"][1],
                        "event_policy": chosen["event_policy"].to_dict(), "quadclass_policy": chosen["policy"].to_dict()})
        if log:
            log(f"fold {f}: {chosen['config']}; events: {chosen['event_policy']}; QuadClass: {chosen['policy']}")
    sizes = [int(np.sum(folds == f)) for f in range(k)]
    table = {}
    for name, correct in figures.items():
        per_fold = [c / s for c, s in zip(correct, sizes)]
        table[name] = {"correct": int(sum(correct)), "sentences": n, "accuracy": round(sum(correct) / n, 4),
                       "fold_sd": round(float(np.std(per_fold)), 4),
                       "per_fold": [round(a, 4) for a in per_fold]}
    return {"folds": k, "seed": seed, "inner_folds": inner_k, "table": table, "choices": choices,
            "decided_by": decided}


# -- the rule coder's events for labelled rows, cached by the source they came from ---------------

def source_digest() -> str:
    """SHA-256 of tocsin's code and data outside tocsin/learned (the rule coder's version)."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "learned" not in path.relative_to(root).parts[:1] and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def rule_events(rows, statements: bool = True, cache: bool = True) -> list[list[Event]]:
    """The coder's events for each row (one article a sentence, as bench/quadclass.py codes them)."""
    from ..coder import code_articles
    from ..model import Article

    key = hashlib.sha256(json.dumps([source_digest(), statements, [s for s, _ in rows]]).encode()).hexdigest()[:20]
    path = Path(tempfile.gettempdir()) / f"tocsin-rule-events-{key}.jsonl"
    if cache and path.exists():
        out: list[list[Event]] = [[] for _ in rows]
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            event = Event.from_dict(record["event"])
            event.confidence = record["confidence"]  # to_dict rounds it; ties between events matter
            out[record["row"]].append(event)
        return out
    articles = [Article(id=str(i), text=s) for i, (s, _) in enumerate(rows)]
    out = [[] for _ in rows]
    options = {"statements": statements}
    if "placed_only" in inspect.signature(code_articles).parameters:
        options["placed_only"] = False  # typing alone: keep events whose source has no country
    for event in code_articles(articles, **options):
        out[int(event.article_id)].append(event)
    if cache:
        tmp = path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            for i, row in enumerate(out):
                for event in row:
                    f.write(json.dumps({"row": i, "confidence": event.confidence,
                                        "event": event.to_dict(explain=True)}, ensure_ascii=False) + "\n")
        tmp.replace(path)
    return out
