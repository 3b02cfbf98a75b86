"""Read-only views of a parsed spaCy Doc, for the coder's rules: the same answers, faster.

The rules after the parse (actors, predicates, arguments, modality, dates, places) read
token attributes and walk the tree hundreds of times a sentence. Each spaCy access builds
a Python object or looks a string up (``token.pos_``, ``token.head`` and
``list(token.children)`` cost 0.5 to 3 microseconds); a view reads the attributes every
rule uses (text, lower_, lemma_, pos_, tag_, dep_, ent_type_, idx, is_space, the heads)
once, in bulk (``Doc.to_array``), keeps plain Python values, and reads the rarer ones
(ent_iob_, whitespace_, is_punct, is_upper, is_title, the edges) from spaCy when first
asked for, then keeps them too:

- ``DocView(doc)``: ``len``, iteration, ``view[i]`` (a ``TokenView``; one object per
  token, so ``is`` and ``==`` hold as they do for spaCy's tokens), ``view[a:b]`` (a
  ``SpanView``, spaCy's slice rules), ``sents``, ``text``, ``doc`` (the spaCy Doc);
- ``TokenView``: ``i``, ``idx``, ``text``, ``lower_``, ``lemma_``, ``pos_``, ``tag_``,
  ``dep_``, ``ent_type_``, ``ent_iob_``, ``whitespace_``, ``is_space``, ``is_punct``,
  ``is_upper``, ``is_title``, ``head``, ``children``, ``lefts``, ``rights`` (tuples, in
  spaCy's order: the children whose head is this token, left to right), ``subtree``,
  ``left_edge``, ``right_edge`` (spaCy's own edges), ``doc`` (the view);
- ``SpanView``: ``start``, ``end``, ``start_char``, ``end_char``, ``text``, ``root``,
  iteration, ``len``, indexing and slicing.

Any other attribute is read from the spaCy object underneath, its tokens and spans given
back as views (``token.sent``, ``token.ancestors``, ``doc.ents``). An index past the end of
the document gets spaCy's own answer (its IndexError).

One difference: a spaCy Token keeps its Doc alive, a TokenView holds its DocView weakly
(and its head by index), so that an article's views form no reference cycle and are freed
as soon as they are dropped, without the garbage collector. Keep the sentence (a SpanView
holds its DocView) or the DocView while using its tokens' ``doc``, ``head``, ``subtree``
and edges; a token that outlived them raises ReferenceError.
tests/test_tokens.py checks every attribute against spaCy's on parsed articles.
"""
from __future__ import annotations

import weakref
from collections.abc import Iterator

from spacy.attrs import DEP, ENT_TYPE, HEAD, IDX, IS_SPACE, LEMMA, LOWER, ORTH, POS, TAG
from spacy.parts_of_speech import NAMES as _POS_NAMES
from spacy.tokens import Doc, Span, Token

# read for every token, in bulk; the other attributes are read from spaCy when first asked for
_COLUMNS = [ORTH, LOWER, LEMMA, POS, TAG, DEP, ENT_TYPE, HEAD, IDX, IS_SPACE]
_LAZY = frozenset({"ent_iob_", "whitespace_", "is_punct", "is_upper", "is_title"})
_POS = dict(_POS_NAMES)


class _Strings(dict):
    """hash -> string of one vocabulary's StringStore, filled as hashes are met."""

    def __init__(self, store):
        super().__init__()
        self.store = store

    def __missing__(self, key: int) -> str:
        value = self[key] = self.store[key]
        return value


_STRINGS: dict[int, _Strings] = {}  # id(StringStore) -> its strings (a process has one or two vocabularies)


def _strings(vocab) -> _Strings:
    store = vocab.strings
    found = _STRINGS.get(id(store))
    if found is None or found.store is not store:
        found = _STRINGS[id(store)] = _Strings(store)
    return found


class TokenView:
    """One token. It holds its document weakly and its head by index, so that the views of a
    document form no reference cycle and go as soon as the document's view is dropped (the
    garbage collector need not find them); the view of the document is kept by its spans
    (SpanView.doc) and by whoever made it."""

    __slots__ = ("_doc", "i", "idx", "text", "lower_", "lemma_", "pos_", "tag_", "dep_", "ent_type_", "is_space",
                 "_head", "lefts", "rights", "children", "_edges", *sorted(_LAZY))

    @property
    def doc(self) -> DocView:
        doc = self._doc()
        if doc is None:
            raise ReferenceError("the view of this token's document is gone: keep its sentence or document view")
        return doc

    @property
    def head(self) -> TokenView:
        return self.doc.tokens[self._head]

    @property
    def subtree(self) -> tuple:
        doc = self.doc
        found = doc.subtrees.get(self.i)
        if found is None:
            out: list = []
            _collect(self, out)
            found = doc.subtrees[self.i] = tuple(out)
        return found

    @property
    def left_edge(self) -> TokenView:
        return self.doc.tokens[self._edge_indices()[0]]

    @property
    def right_edge(self) -> TokenView:
        return self.doc.tokens[self._edge_indices()[1]]

    def _edge_indices(self) -> tuple[int, int]:
        """spaCy's own edges (which are not always the subtree's ends), read once."""
        try:
            return self._edges
        except AttributeError:
            token = self.doc.doc[self.i]
            self._edges = token.left_edge.i, token.right_edge.i
            return self._edges

    @property
    def text_with_ws(self) -> str:
        return self.text + self.whitespace_

    def __getattr__(self, name: str):
        if name in _LAZY:  # a plain value, kept
            value = getattr(self.doc.doc[self.i], name)
            setattr(self, name, value)
            return value
        if name.startswith("_"):
            raise AttributeError(name)
        doc = self.doc
        return doc.wrap(getattr(doc.doc[self.i], name))

    def __len__(self) -> int:
        return len(self.text)

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__

    # equality is identity (one view a token, as spaCy has one Token object a token); the
    # hash is spaCy's, so that sets of tokens iterate in the same order; spaCy orders tokens
    # by their character offsets
    def __eq__(self, other) -> bool:
        return self is other

    def __hash__(self) -> int:
        return hash((self.doc.doc, self.i))

    def __lt__(self, other) -> bool:
        return self.idx < other.idx

    def __le__(self, other) -> bool:
        return self.idx <= other.idx

    def __gt__(self, other) -> bool:
        return self.idx > other.idx

    def __ge__(self, other) -> bool:
        return self.idx >= other.idx


def _collect(token: TokenView, out: list) -> None:
    """spaCy's Token.subtree: the left children's subtrees, the token, the right children's."""
    for word in token.lefts:
        _collect(word, out)
    out.append(token)
    for word in token.rights:
        _collect(word, out)


class DocView:
    __slots__ = ("doc", "tokens", "subtrees", "__weakref__")

    def __init__(self, doc: Doc):
        self.doc = doc
        self.subtrees: dict[int, tuple] = {}
        n = len(doc)
        new = TokenView.__new__
        self.tokens = tokens = [new(TokenView) for _ in range(n)]
        if not n:
            return
        ref = weakref.ref(self)
        get = _strings(doc.vocab).__getitem__
        orth, lower, lemma, pos, tag, dep, ent_type, head, idx, space = doc.to_array(_COLUMNS).T.tolist()
        kids: dict[int, list] = {}
        for t, i, x, text, low, lem, p, g, d, e, sp, h in zip(
                tokens, range(n), idx, map(get, orth), map(get, lower), map(get, lemma), map(_POS.__getitem__, pos),
                map(get, tag), map(get, dep), map(get, ent_type), map(bool, space), head):
            t._doc = ref
            t.i = i
            t.idx = x
            t.text = text
            t.lower_ = low
            t.lemma_ = lem
            t.pos_ = p
            t.tag_ = g
            t.dep_ = d
            t.ent_type_ = e
            t.is_space = sp
            t.children = t.lefts = t.rights = ()
            if h:
                h = i + (h - (1 << 64) if h >= 1 << 63 else h)  # HEAD is relative, read as an unsigned int
                t._head = h
                own = kids.get(h)
                if own is None:
                    kids[h] = [t]
                else:
                    own.append(t)
            else:
                t._head = i
        for h, own in kids.items():
            t = tokens[h]
            t.children = tuple(own)
            for k, c in enumerate(own):
                if c.i > h:
                    t.lefts, t.rights = t.children[:k], t.children[k:]
                    break
            else:
                t.lefts = t.children

    @property
    def text(self) -> str:
        return self.doc.text

    @property
    def sents(self):
        for sent in self.doc.sents:
            yield SpanView(self, sent.start, sent.end, sent)

    def wrap(self, value):
        """spaCy's tokens and spans of this document as views; any other value as it is."""
        if isinstance(value, Token):
            return self.tokens[value.i] if value.doc is self.doc and 0 <= value.i < len(self.tokens) else value
        if isinstance(value, Span):
            return SpanView(self, value.start, value.end, value) if value.doc is self.doc else value
        if isinstance(value, tuple):
            return tuple(self.wrap(v) for v in value)
        if isinstance(value, list):
            return [self.wrap(v) for v in value]
        if isinstance(value, Iterator):  # a generator (token.ancestors)
            return (self.wrap(v) for v in value)
        if callable(value) and not isinstance(value, type):  # a method: token.nbor(), span.as_doc() ...
            return lambda *args, **kwargs: self.wrap(value(*args, **kwargs))
        return value

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return self.wrap(getattr(self.doc, name))

    def __len__(self) -> int:
        return len(self.tokens)

    def __iter__(self):
        return iter(self.tokens)

    def __getitem__(self, i):
        if isinstance(i, slice):
            start, stop = _normalize_slice(len(self.tokens), i.start, i.stop, i.step)
            return SpanView(self, start, stop)
        n = len(self.tokens)
        if -n <= i < n:
            return self.tokens[i]
        return self.doc[i]  # spaCy's padding token, or its IndexError


def _normalize_slice(length: int, start, stop, step) -> tuple[int, int]:
    """spacy.util.normalize_slice."""
    from spacy.util import normalize_slice

    if step is not None and step != 1:
        return normalize_slice(length, start, stop, step)  # spaCy's error
    if start is None:
        start = 0
    elif start < 0:
        start += length
    start = min(length, max(0, start))
    if stop is None:
        stop = length
    elif stop < 0:
        stop += length
    stop = min(length, max(start, stop))
    return start, stop


class SpanView:
    __slots__ = ("doc", "start", "end", "_span")

    def __init__(self, doc: DocView, start: int, end: int, span: Span | None = None):
        self.doc, self.start, self.end, self._span = doc, start, end, span

    @property
    def start_char(self) -> int:
        return self.doc.tokens[self.start].idx if self.end > self.start else self.span.start_char

    @property
    def end_char(self) -> int:
        if self.end > self.start:
            last = self.doc.tokens[self.end - 1]
            return last.idx + len(last.text)
        return self.span.end_char

    @property
    def text(self) -> str:
        return self.span.text

    @property
    def root(self) -> TokenView:
        return self.doc.wrap(self.span.root)

    @property
    def span(self) -> Span:
        """The spaCy Span (with its label, for an entity)."""
        if self._span is None:
            self._span = self.doc.doc[self.start:self.end]
        return self._span

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return self.doc.wrap(getattr(self.span, name))

    def __len__(self) -> int:
        return self.end - self.start

    def __iter__(self):
        return iter(self.doc.tokens[self.start:self.end])

    def __getitem__(self, i):
        n = self.end - self.start
        if isinstance(i, slice):
            start, stop = _normalize_slice(n, i.start, i.stop, i.step)
            return SpanView(self.doc, self.start + start, self.start + stop)
        if i < 0:
            i += n
        if not 0 <= i < n:
            return self.span[i]  # spaCy's IndexError
        return self.doc.tokens[self.start + i]

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__

    # spans compare and hash as spaCy's do (by document, offsets and label)
    def __eq__(self, other) -> bool:
        return self.span == (other.span if isinstance(other, SpanView) else other)

    def __lt__(self, other) -> bool:
        return self.span < (other.span if isinstance(other, SpanView) else other)

    def __le__(self, other) -> bool:
        return self.span <= (other.span if isinstance(other, SpanView) else other)

    def __gt__(self, other) -> bool:
        return self.span > (other.span if isinstance(other, SpanView) else other)

    def __ge__(self, other) -> bool:
        return self.span >= (other.span if isinstance(other, SpanView) else other)

    def __hash__(self) -> int:
        return hash(self.span)
