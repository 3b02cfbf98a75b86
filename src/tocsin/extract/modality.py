"""Modality of an event and the speaker who reports it, read off the parse.

Own markers first (negation, modal auxiliaries, "if", "allegedly", "no talks"),
then the words that govern the event's clause, walking up xcomp/ccomp/acl/pcomp
links ("ready to fly", "refused to meet", "denied attacking", "urged X to talk"),
stopping at the first verb of saying, whose subject becomes the speaker and
which makes an otherwise unmarked event "said". "could soon invade" is never
asserted: that is the point.
"""
from __future__ import annotations

from dataclasses import dataclass

from .arguments import cleft_focus, copula_of, purpose_clause, relative_antecedent
from .cues import cues, is_speech

# the strongest own marker wins
PRIORITY = ("negated", "hypothetical", "denied", "possible", "alleged", "demanded", "intended")
EMBED = {"xcomp", "ccomp", "acl", "pcomp", "csubj"}


@dataclass
class Modality:
    value: str = "asserted"
    cue: str | None = None  # the word that decided it
    speaker: object | None = None  # spacy Token of the speaker's noun phrase head
    speech: object | None = None  # the verb of saying

    def explain(self) -> str:
        return f"modality {self.value}" + (f" (cue '{self.cue}')" if self.cue else "")


def own_markers(token) -> list[tuple[str, str]]:
    """(modality, cue word) from the word's own dependents."""
    table = cues()
    found = []
    for child in token.children:
        low = child.lower_
        if child.dep_ == "neg" or low in ("not", "n't", "never"):
            found.append(("negated", child.text))
        elif child.dep_ == "aux" and low in table["modal"]:
            found.append((table["modal"][low], child.text))
        elif child.dep_ == "mark" and low in table.get("mark_present", {}) and token.tag_ in ("VBZ", "VBP"):
            # "will not lift the ban until the EU provides details": a present after "until" is a condition
            found.append((table["mark_present"][low], child.text))
        elif child.dep_ == "mark" and low in table["mark"]:
            if low == "if" and any(g.lower_ == "even" for g in child.children) or \
                    child.i > 0 and child.doc[child.i - 1].lower_ == "even":
                continue  # "even if it criticises Iran": concessive, the clause is asserted
            found.append((table["mark"][low], child.text))
        elif child.dep_ == "advmod" and low in table["adverb"]:
            if any(g.lower_ == "as" for g in child.children):
                continue  # "as soon as possible": when, not whether
            found.append((table["adverb"][low], child.text))
        elif child.dep_ in ("amod", "det", "compound") and low in table["nominal"] and token.pos_ in ("NOUN", "PROPN"):
            found.append((table["nominal"][low], child.text))
    return found


def _strongest(found: list[tuple[str, str]]) -> tuple[str, str] | None:
    for value in PRIORITY:
        for v, cue in found:
            if v == value:
                return v, cue
    return None


def clause_word(token):
    """The word whose dependents mark the clause: the copula for predicate adjectives and nouns
    ("X is unacceptable", "the plan was an attack on our sovereignty")."""
    verb = copula_of(token) if token.pos_ in ("ADJ", "NOUN") else None
    return verb if verb is not None else token


def modality_of(token, carrier=None) -> Modality:
    """Modality of the event whose word is `token` (carried by `carrier` when a noun)."""
    governor_table = cues()["governor"]
    found = own_markers(token)
    node = clause_word(carrier if carrier is not None else token)
    if carrier is not None:
        found += own_markers(carrier)
        ruling = governor_table.get(carrier.lemma_.lower()) or governor_table.get(carrier.lower_)
        if ruling and ruling != "asserted":
            found.append((ruling, carrier.text))  # "was spared an assault", "avoided a confrontation"
    if node is not token and node is not carrier:
        found += own_markers(node)
    if node.dep_ == "advcl" and node.tag_ == "VBG" and node.head.pos_ in ("VERB", "AUX") and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in node.children) and not is_speech(node.head.lemma_.lower()):
        # "US forces would leave Syria, abandoning Kurdish proxies": the participle shares its verb's mood
        found += [m for m in own_markers(node.head) if m[0] in SHARED_MOODS]
    if node.dep_ == "nsubj" and node.head.lemma_ == "be":
        # "an operation against X is near": the copula's adjective dates the subject event
        soon = [c for c in node.head.children if c.dep_ == "acomp" and c.lower_ in cues().get("imminent", {})]
        if soon:
            found.append((cues()["imminent"][soon[0].lower_], soon[0].text))
            node = node.head
    shared = node
    while shared.dep_ == "conj" and shared.tag_ == "VB" and shared.head.pos_ in ("VERB", "AUX") and not any(
            c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in shared.children):
        # "must ensure security and provide amenities", "could invade and bomb Kyiv": a bare verb in
        # coordination shares the auxiliaries of the verb it is coordinated with
        shared = shared.head
        found += own_markers(shared)
    result = _strongest([f for f in found if f[0] != "intended"])
    future = _strongest([f for f in found if f[0] == "intended"])
    governed: tuple[str, str] | None = None
    for _ in range(6):
        dep = node.dep_
        head = node.head
        if dep == "advcl" and node.tag_ == "VBG" and is_speech(head.lemma_.lower()) and cleft_focus(head) is not None:
            dep = "ccomp"  # "insisted that it was the bloc making attempts": the parser hangs the content on the verb
        elif purpose_clause(node):
            dep = "xcomp"  # "ready to go ... to discuss": the purpose shares the intent
        if dep in ("dobj", "obj") and governed is not None and governed[0] == "alleged" \
                and governor_table.get(head.lemma_.lower()) == "denied":
            governed = ("denied", head.text)  # "rejected accusations that it had aided the rebels": denied
        if head is node or dep not in EMBED | {"conj", "prep", "pobj", "acomp"}:
            break
        if dep == "pcomp" and head.lower_ in PAST_ADJUNCTS:
            break  # "threatened to push deeper since sending forces into Afrin": the sending happened
        if dep == "conj":
            node = head
            continue
        if dep in ("pobj", "prep", "acomp"):
            if dep == "prep" and head.pos_ in ("NOUN", "ADJ", "VERB") and head.lemma_.lower() in governor_table \
                    and governed is None:  # "the threat of an attack", "plans for talks", "accused X of ordering"
                value = governor_table[head.lemma_.lower()]
                if value != "asserted":
                    governed = (value, head.text)
            node = head
            continue
        # node is embedded under head: head may govern it
        lemma = head.lemma_.lower()
        if is_speech(lemma):
            choice = result or governed or future
            if not choice and governor_table.get(lemma) == "intended":
                choice = ("intended", head.text)  # "vowed to win back control": a public commitment to act
            if choice and choice[0] == "hypothetical" and choice[1].lower() in REPORTED_FUTURE \
                    and not _conditional(token, head) and not _perfect(token):
                choice = ("intended", choice[1])  # "Turkey said it would mount an assault": reported "will"
            value, cue = choice if choice else ("said", head.text)
            if not choice and dep == "xcomp" and any(c.dep_ in ("auxpass", "nsubjpass") for c in head.children):
                value = "alleged"  # "Russia is said to have attacked": hearsay, no one says it on the record
            return Modality(value, cue, _subject(head), head)
        if lemma in governor_table and governed is None and governor_table[lemma] != "asserted":
            governed = (governor_table[lemma], head.text)
        head_marks = _strongest(own_markers(clause_word(head)))
        if head_marks and head_marks[0] == "negated" and governed is None:
            governed = ("negated", head_marks[1])
        elif head_marks and not future and head_marks[0] == "intended":
            future = head_marks
        node = clause_word(head) if head.pos_ == "ADJ" else head
    speaker = None
    choice = result or governed or future
    if choice:
        return Modality(choice[0], choice[1], speaker, None)
    return Modality()


REPORTED_FUTURE = {"would", "'d"}
SHARED_MOODS = {"possible", "hypothetical", "intended", "demanded"}  # a participle shares these, not a negation
PAST_ADJUNCTS = {"since", "after", "following"}  # "since sending", "after meeting": done, whatever governs the clause


def _perfect(token) -> bool:
    """ "would have given": a counterfactual, not a reported "will"."""
    return any(c.dep_ == "aux" and c.lemma_ == "have" for c in token.children)


def _conditional(token, speech) -> bool:
    """An "if"/"unless" clause between the event and the speech verb makes "would" a condition."""
    node = token
    for _ in range(8):
        if _has_if_mark(node) or any(c.dep_ == "advcl" and _has_if_mark(c) for c in node.children):
            return True
        if node is speech or node.head is node:
            break
        node = node.head
    return False


def _has_if_mark(node) -> bool:
    """A conditional marker ("if", "unless": the marks cues.tsv calls hypothetical) on the clause."""
    marks = cues()["mark"]
    return any(m.dep_ == "mark" and marks.get(m.lower_) == "hypothetical" for m in node.children)


def _subject(verb):
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            # "the defence secretary, Gavin Williamson, who has said": the antecedent
            return relative_antecedent(child) or child
    if verb.dep_ in ("relcl",):
        return verb.head
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("according",):
            for grand in child.subtree:
                if grand.dep_ == "pobj":
                    return grand
    return None


def reported_by(token):
    """The speaker token of an "according to X" phrase on the clause, if any."""
    node = token
    for _ in range(6):
        for child in node.children:
            if child.dep_ == "prep" and child.lower_ == "according":
                for grand in child.subtree:
                    if grand.dep_ == "pobj":
                        return grand
        if node.head is node:
            break
        node = node.head
    return None
