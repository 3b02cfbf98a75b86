"""tocsin.tokens: the views of a parsed Doc answer every question as spaCy's own objects do."""
from __future__ import annotations

import pytest

from tocsin.nlp import Paragraph, sentences
from tocsin.tokens import DocView, SpanView, TokenView

TEXTS = [
    "Russian President Vladimir Putin said on Thursday that NATO troops had massed on the border with Ukraine, "
    "and the Kremlin warned of a \"military-technical\" response.",
    "The U.S.-backed Syrian Democratic Forces (SDF) said it was the bloc that made attempts to\n\n"
    "Turkey's army hit back at the US-led coalition in Idlib   province.  Mr Erdogan, who met Biden, left.",
    "  Headline with spaces  \n\nIt is unacceptable , a spokeswoman told Reuters ( in Geneva ) .\n",
    "Pro-Assad militiamen and pro-Iran Hizbullah Brigades were seen near Kafr Zita in Hama; "
    "Iran's foreign minister, Javad Zarif, denied it -- \"we never did\", he said.",
]

ATTRIBUTES = ("i", "idx", "text", "text_with_ws", "lower_", "lemma_", "pos_", "tag_", "dep_", "ent_type_", "ent_iob_",
              "whitespace_", "is_space", "is_punct", "is_upper", "is_title", "is_alpha", "like_num", "norm_",
              "shape_", "is_sent_start")


def same_tokens(views, tokens) -> bool:
    views, tokens = list(views), list(tokens)
    return all(isinstance(v, TokenView) for v in views) and [v.i for v in views] == [t.i for t in tokens]


@pytest.fixture(scope="module")
def docs(nlp):
    return [nlp(text) for text in TEXTS]


def test_every_token_attribute_is_spacys(docs):
    for doc in docs:
        view = DocView(doc)
        assert len(view) == len(doc) and view.doc is doc and view.text == doc.text
        for token, v in zip(doc, view):
            assert v is view[token.i] and v.doc is view
            for name in ATTRIBUTES:
                assert getattr(v, name) == getattr(token, name), (token.text, name)
            assert v.head is view[token.head.i]
            for name in ("children", "lefts", "rights", "subtree", "ancestors", "conjuncts"):
                assert same_tokens(getattr(v, name), getattr(token, name)), (token.text, name)
            assert v.left_edge is view[token.left_edge.i] and v.right_edge is view[token.right_edge.i]
            assert len(v) == len(token) and str(v) == str(token) == repr(v) and hash(v) == hash(token)
            assert isinstance(v.sent, SpanView) and (v.sent.start, v.sent.end) == (token.sent.start, token.sent.end)
            if token.i + 1 < len(doc):
                assert v.nbor() is view[token.i + 1]


def test_tokens_compare_as_spacys(docs):
    doc = docs[0]
    view = DocView(doc)
    for a, b in ((0, 1), (3, 3), (5, 2)):
        va, vb, ta, tb = view[a], view[b], doc[a], doc[b]
        assert (va == vb, va != vb, va < vb, va <= vb, va > vb, va >= vb) == \
            (ta == tb, ta != tb, ta < tb, ta <= tb, ta > tb, ta >= tb)
    assert view[0] != doc[0] and view[0] is not None and (view[0] == None) is False  # noqa: E711
    assert sorted([view[4], view[1], view[3]]) == [view[1], view[3], view[4]]
    assert view[2] in [view[1], view[2]] and view[2] not in [view[1], view[3]]
    assert list({view[3]: 1, view[1]: 2}) == [view[3], view[1]]


def test_indexing_and_slicing_follow_spacy(docs):
    doc = docs[1]
    view = DocView(doc)
    n = len(doc)
    assert view[-1] is view[n - 1] and view[-n] is view[0]
    for start, stop in ((0, 3), (2, 2), (5, 1), (-4, None), (None, -2), (n - 2, n + 5), (-n - 3, 2), (None, None)):
        span, spacy_span = view[start:stop], doc[start:stop]
        assert (span.start, span.end, len(span)) == (spacy_span.start, spacy_span.end, len(spacy_span))
        assert span.text == spacy_span.text and same_tokens(span, spacy_span)
        if len(spacy_span):
            assert (span.start_char, span.end_char) == (spacy_span.start_char, spacy_span.end_char)
            assert span.root is view[spacy_span.root.i]
            assert span[0] is view[spacy_span[0].i] and span[-1] is view[spacy_span[-1].i]
            assert same_tokens(span[1:], spacy_span[1:])
    with pytest.raises(IndexError):
        view[0:0][0]
    for i in (n, n + 10, -n - 1):  # past either end: spaCy's answer (its error)
        with pytest.raises(IndexError):
            doc[i]
        with pytest.raises(IndexError):
            view[i]


def test_sentences_and_entities_are_views(docs):
    for doc in docs:
        view = DocView(doc)
        sents = list(view.sents)
        assert [(s.start, s.end, s.text) for s in sents] == [(s.start, s.end, s.text) for s in doc.sents]
        assert [(e.start, e.end, e.label_) for e in view.ents] == [(e.start, e.end, e.label_) for e in doc.ents]
        assert all(isinstance(e, SpanView) for e in view.ents)
        if len(doc) > 3:
            assert view[1:3] == view[1:3] == doc[1:3] and view[1:3] != view[1:4] and hash(view[1:3]) == hash(doc[1:3])
            assert (view[0:2] < view[1:3]) == (doc[0:2] < doc[1:3])


def test_empty_doc(nlp):
    view = DocView(nlp(""))
    assert len(view) == 0 and list(view) == [] and view[0:3].text == "" and list(view.sents) == []


def _sentences_before(paragraphs):
    """nlp.sentences as it was: spaCy spans, every token looked at."""
    index = -1
    for para in paragraphs:
        for sent in para.doc.sents:
            words = [t for t in sent if not t.is_space]
            if not words or not sent.text.strip():
                continue
            index += 1
            yield index, para.offset, para.doc[words[0].i: words[-1].i + 1]


def test_sentences_are_the_same_spans(nlp, docs):
    paragraphs = [Paragraph(offset, doc) for offset, doc in zip((0, 200, 400, 700), docs)]
    paragraphs.append(Paragraph(900, nlp("\n\n  \n")))
    found = [(i, offset, s.start, s.end, s.start_char, s.end_char, s.text) for i, offset, s in sentences(paragraphs)]
    expected = [(i, offset, s.start, s.end, s.start_char, s.end_char, s.text)
                for i, offset, s in _sentences_before(paragraphs)]
    assert found == expected and len(found) > len(docs)
    assert all(isinstance(s, SpanView) for _, _, s in sentences(paragraphs))


def test_real_articles(nlp, shared):
    """Every token of a few BBC articles, against spaCy."""
    import json

    with open(shared("corpora", "bbc", "bbc_2225.jsonl"), encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for _, line in zip(range(4), f)]
    for doc in nlp.pipe(texts):
        view = DocView(doc)
        for token, v in zip(doc, view):
            assert [getattr(v, a) for a in ATTRIBUTES] == [getattr(token, a) for a in ATTRIBUTES]
            assert v.head.i == token.head.i and [c.i for c in v.children] == [c.i for c in token.children]
            assert [c.i for c in v.lefts] == [c.i for c in token.lefts]
            assert [c.i for c in v.subtree] == [c.i for c in token.subtree]
            assert (v.left_edge.i, v.right_edge.i) == (token.left_edge.i, token.right_edge.i)
