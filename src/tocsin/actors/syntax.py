"""Where a noun phrase lies in the dependency parse: its name words, its modifiers, its role.

Plain functions over spaCy tokens, used by the actor resolver (`actors/resolver.py`):

- `name_chain(token)`: the proper-name words ending at a head ("European Council president
  Donald Tusk", nested compounds included);
- `modifiers(token)`: the adjectives, compounds and noun modifiers before a common noun
  ("two British special forces members" -> British special forces);
- `is_place(token)`: a state or town named as a place ("in Syria", "sent troops to Poland"),
  not as an actor;
- `is_subject(token)`: the subject of its clause, or the name in apposition to one;
- `acts_in_clause_of(token, other)`: the antecedent subject of a relative clause that holds `other`;
- `backers(token)`: the X of "X-backed", "X-allied", "pro-X", and the X of "X-led".
"""
from __future__ import annotations

import re

NOMINAL_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "iobj", "dative", "attr", "appos", "conj", "ROOT", "oprd",
                "agent", "npadvmod", "dep"}
# a state named after one of these is where something happens, not who acts
LOCATIVE_PREPS = {"in", "inside", "into", "within", "throughout", "across", "near", "around", "outside", "at",
                  "towards", "toward", "along", "beyond", "off", "between", "among"}
MOVING_TO = {"send", "deploy", "dispatch", "redeploy", "move", "fly", "travel", "go", "come", "return", "head", "march",
             "transfer", "relocate", "flee", "evacuate", "arrive", "sail", "drive", "advance", "push", "visit", "trip",
             "journey", "flight", "deployment", "route", "road", "way", "border", "crossing", "access", "entry"}
MOVING_FROM = {"withdraw", "pull", "flee", "return", "evacuate", "leave", "expel", "come", "arrive", "travel", "fly",
               "retreat", "escape", "deport", "withdrawal", "refugee", "exodus", "departure", "pullout"}
BACKING_VERBS = {"back", "ally", "support", "sponsor", "fund", "arm", "train", "align", "finance", "equip", "aid"}
LEADING_VERBS = {"lead", "command", "run", "head"}
_HYPHENATED = re.compile(r"^(?P<who>.+?)-(?P<how>led|backed|allied|supported|sponsored|funded|armed|trained|aligned)$",
                         re.IGNORECASE)
_CHAIN_DEPS = {"compound", "flat"}
_BREAKS = (",", ";", ":", "\u2013", "\u2014")  # a phrase does not reach back past these
_MODIFIER_DEPS = {"compound", "amod", "nmod"}


def name_chain(token) -> list:
    """The proper-name words ending at `token`: compounds and flat names to its left, nested ones too.

    "European Council president Donald Tusk" is one chain although "European" hangs off
    "Council" and "Council" off "president"; a leading common word that is no compound
    ("new" in "new Prime Minister ...") is dropped.
    """
    doc = token.doc
    members = {token.i}
    words = [token]
    i = token.i - 1
    while i >= 0:
        tok = doc[i]
        if tok.head.i in members and tok.head.i > tok.i and (
                (tok.dep_ in _CHAIN_DEPS and tok.pos_ in ("PROPN", "NOUN", "ADJ"))
                or (tok.dep_ in ("amod", "nmod") and tok.pos_ == "PROPN")  # "the Free Syrian Army", "Foreign Office"
                or (tok.dep_ == "punct" and tok.text in "-‐")
                or (tok.dep_ in _CHAIN_DEPS and tok.text in "-‐")):
            members.add(i)
            words.insert(0, tok)
            i -= 1
            continue
        break
    while words and words[0].pos_ != "PROPN" and words[0].dep_ != "compound":
        words.pop(0)
    while words and words[0].text in "-‐":
        words.pop(0)
    return words or [token]


def modifiers(token) -> list:
    """The adjectives, compounds and noun modifiers before a common noun, nested compounds included."""
    found = []
    for child in token.lefts:
        doc = child.doc
        if child.pos_ == "VERB" and child.dep_ == "amod" and child.i >= 2 and doc[child.i - 1].text == "-" \
                and doc[child.i - 2].head.i == child.i and doc[child.i - 2].pos_ in ("PROPN", "NOUN", "ADJ"):
            found.extend([doc[child.i - 2], child])  # "Kurdish-led units": the agent phrase "kurdish-led units"
            continue
        if child.dep_ in _MODIFIER_DEPS and child.pos_ in ("NOUN", "PROPN", "ADJ"):
            inner = []  # "special" in "British special forces members"
            for tok in reversed(list(child.lefts)):
                if tok.i == (inner[0].i if inner else child.i) - 1 and tok.dep_ in _MODIFIER_DEPS | {"flat"} \
                        and tok.pos_ in ("NOUN", "PROPN", "ADJ"):
                    inner.insert(0, tok)
            found.extend(t for t in inner if t.i > (found[-1].i if found else -1))
            found.append(child)
    return found


def span_start(token):
    """The first word of the phrase `token` heads, not reaching past a comma or 6 words back."""
    doc, i = token.doc, token.i
    first = token.left_edge.i
    for k in range(first, i):
        if doc[k].text in _BREAKS:  # "Russia's Shoigu, U.N's Guterres": Guterres starts after the comma
            first = k + 1
    while first < i and doc[first].is_punct:
        first += 1
    return doc[first] if i - first <= 6 else token


def is_definite(token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in token.children) or any(
        c.dep_ == "poss" for c in token.children)


def is_place(token) -> bool:
    """A name used as a place: "in Syria", "troops to Poland", "Kurdish-held Syria", "visit to Kyiv"."""
    if token.dep_ == "conj":
        head = token.head
        while head.dep_ == "conj" and head.head is not head:
            head = head.head
        return is_place(head) if head is not token else False
    if token.dep_ != "pobj":
        return False
    prep = token.head
    word = prep.lower_
    if word in LOCATIVE_PREPS:
        return True
    if word in ("to", "from"):
        # "sent troops to Poland", "a visit to Kyiv", "withdraw from Syria": where to or from;
        # "apologised to Russia", "suspended aid to Mali", "a call from Moscow": whom
        return prep.head.lemma_.lower() in (MOVING_TO if word == "to" else MOVING_FROM)
    return False


def is_subject(token) -> bool:
    """The subject of its clause ("Jeffrey said"), or a name in apposition to one ("the envoy, James Jeffrey, said")."""
    if token.dep_ in ("nsubj", "nsubjpass"):
        return True
    if token.dep_ == "compound":
        return token.head.dep_ in ("nsubj", "nsubjpass")
    if token.dep_ == "appos":  # "The US special envoy for Syria, James Jeffrey, said": Jeffrey is the subject
        head = token.head
        for _ in range(3):
            if head.dep_ in ("nsubj", "nsubjpass"):
                return True
            if head.head is head:
                break
            head = head.head
    return False


def acts_in_clause_of(token, other) -> bool:
    """`token` is the antecedent of a relative clause whose subject it is and which holds `other`
    ("neighbouring Turkey – which has threatened an offensive to dismantle Kurdish groups")."""
    for clause in token.sent:
        if clause.dep_ != "relcl" or not clause.left_edge.i <= other.i <= clause.right_edge.i:
            continue
        relative = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass") and c.tag_ in ("WDT", "WP")]
        # the parser may hang the clause on an earlier noun: the pronoun right after `token` points back at it
        if relative and (clause.head is token or token.i < relative[0].i and all(
                t.is_punct for t in token.doc[token.i + 1:relative[0].i])):
            return True
    return False


def is_plural(token) -> bool:
    return token.tag_ in ("NNS", "NNPS")


def backers(token) -> tuple[list, list]:
    """([X of "X-backed"/"X-allied"/"pro-X"], [X of "X-led"]) among the modifiers of `token`.

    A backer is not the country of the backed ("US-allied Kurdish forces" fight in Syria); a
    leader is ("the US-led coalition").
    """
    backed, led = [], []
    lefts = list(token.lefts)
    if not lefts:
        return backed, led
    for child in lefts:
        text = child.text
        match = _HYPHENATED.match(text) if "-" in text else None
        if match:  # "U.S.-led" kept as one token
            (led if match.group("how").lower() == "led" else backed).append(match.group("who"))
            continue
        if child.pos_ in ("VERB", "ADJ") and child.dep_ in ("amod", "compound", "npadvmod", "conj"):
            lemma = child.lemma_.lower()
            names = [" ".join(t.text for t in name_chain(g)) for g in child.children
                     if g.dep_ in ("npadvmod", "compound", "nmod", "nsubj", "amod") and g.i < child.i
                     and g.pos_ in ("PROPN", "NOUN", "ADJ")]
            if lemma in BACKING_VERBS:
                backed.extend(names)
            elif lemma in LEADING_VERBS:
                led.extend(names)
        if child.lower_ == "pro" and child.i + 2 < token.i:
            # "pro-Iran Hizbullah Brigades", "pro-Assad militiamen": the next name is a patron
            nxt = token.doc[child.i + 2] if token.doc[child.i + 1].text in "-‐" else token.doc[child.i + 1]
            backed.append(nxt.text)
    for child in lefts:  # "pro-Assad" as one token
        if child.lower_.startswith("pro-") and len(child.text) > 4:
            backed.append(child.text[4:])
    return backed, led
