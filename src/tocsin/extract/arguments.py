"""Source and target of an event predicate, as noun-phrase head tokens.

Source: the agent (nsubj; the "by" phrase of a passive; the controller of an
xcomp: "Russia is ready to fly" -> Russia; a possessor or adjective on a
nominal event: "Biden's concerns", "the Russian build-up").
Target: the patient or addressee (dobj, dative, the object of with/to/against/
on/...; the subject of a passive), and for conjoined subjects of symmetric
events the other conjunct ("Biden and Putin met").
Each function returns tokens and a short rule name; actors are resolved later.
"""
from __future__ import annotations

from .cues import cues

SUBJECTS = ("nsubj", "csubj")
TARGET_PREPS_VERB = ("with", "to", "against", "on", "at", "toward", "towards", "into", "over", "between", "upon", "onto", "from")
TARGET_PREPS_NOUN = ("with", "to", "against", "on", "at", "toward", "towards", "into", "over", "between", "about", "of", "upon", "onto", "for")
PRONOUN_EXPLETIVE = {"it", "there"}


def conjuncts(token) -> list:
    """The token and the nouns conjoined to it ("Ukraine's service and Western officials")."""
    out = [token]
    for child in token.children:
        if child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN", "PRON"):
            out.extend(conjuncts(child))
        elif child.dep_ == "appos":
            # "his counterpart, Ariel Sharon, and the Palestinian leader": the parser hangs the
            # second conjunct on the apposition
            out.extend(c for g in child.children if g.dep_ == "conj" and g.pos_ in ("NOUN", "PROPN")
                       for c in conjuncts(g))
    return out


def is_passive(verb) -> bool:
    """ "Ukraine was attacked"; not "the UK was prepared to veto", an active subject beside a be-auxiliary."""
    deps = {c.dep_ for c in verb.children}
    deps |= {g.dep_ for c in verb.children if c.dep_ in ("aux", "auxpass") for g in c.children}
    return "nsubjpass" in deps or "auxpass" in deps and not deps & {"nsubj", "csubj"}


def _expletive(token) -> bool:
    """ "it was the bloc (that) ...", "it is unacceptable that ...", "there were clashes"."""
    if token.lower_ not in PRONOUN_EXPLETIVE:
        return False
    kids = {c.dep_ for c in token.head.children}
    return token.lower_ == "there" or "attr" in kids or ("acomp" in kids and bool(kids & {"ccomp", "xcomp"}))


def _reduced_passive(verb) -> bool:
    """A participle clause with a "by" agent and no subject: "militants remain, hemmed in by Kurdish forces"."""
    return verb.tag_ == "VBN" and verb.dep_ == "advcl" and any(c.dep_ == "agent" for c in verb.children) \
        and not any(c.dep_ in SUBJECTS for c in verb.children)


def purpose_clause(verb) -> bool:
    """ "(go) to discuss": an infinitival adverbial clause, controlled by the main subject."""
    return verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)


def verb_subject(verb, depth: int = 0):
    """(tokens, rule) for the agent of a verb, climbing control and coordination links."""
    if depth > 5:
        return [], None
    if is_passive(verb) or _reduced_passive(verb):
        for child in verb.children:
            if child.dep_ == "agent":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        return conjuncts(pobj), "agent-by"
        return [], None
    dep, head = verb.dep_, verb.head
    for child in verb.children:
        if child.dep_ in SUBJECTS and not _expletive(child):
            if dep == "relcl" and child.tag_ in ("WDT", "WP") and head is not verb:
                return _antecedents(head, verb, child), "relcl-head"  # "NATO, which rejected ..." -> NATO
            members = _members(child)
            if members:  # "Some governments, including the US and Russia, have repatriated": those named
                return members, "nsubj-including"
            return conjuncts(child), "nsubj"
    for aux in verb.children:  # "the UK was prepared to veto", the subject hung on the auxiliary
        if aux.dep_ in ("aux", "auxpass"):
            for child in aux.children:
                if child.dep_ in SUBJECTS and not _expletive(child):
                    return conjuncts(child), "nsubj<aux"
    fronted = _fronted_subject(verb) if head.i == verb.i or dep == "ccomp" else None
    if fronted is not None:
        return [fronted], "nsubj-after-date"
    if head is verb:
        return [], None
    if dep == "xcomp" and is_passive(head):
        patient = [c for c in head.children if c.dep_ == "nsubjpass"]
        if patient:  # "Russia was urged by the US to withdraw", "troops are poised to attack": they act
            return conjuncts(patient[0]), "nsubjpass<xcomp"
    if dep == "xcomp" and head.lemma_.lower() in cues()["causative"]:
        objects = [c for c in head.children if c.dep_ in ("dobj", "obj") and c.pos_ in ("PROPN", "NOUN", "PRON")]
        if objects:  # object control: "urged Israel to withdraw" -> Israel withdraws
            return conjuncts(objects[0]), "object-control"
    if dep == "xcomp" or (dep == "conj" and (head.pos_ in ("VERB", "AUX", "ADJ") or any(
            c.dep_ in SUBJECTS for c in head.children))):  # "rejects and condemns": "rejects" tagged a noun
        tokens, rule = verb_subject(_copula(head), depth + 1)
        return tokens, (f"{rule}<{dep}" if rule else None)
    if dep == "pcomp" and head.dep_ == "prep":
        judged = _judged_of(head)
        if judged is not None:  # "whom Turkey accuses of ordering the murder": the accused ordered it
            return conjuncts(judged), "object<pcomp"
        tokens, rule = verb_subject(_copula(head.head), depth + 1)
        return tokens, (f"{rule}<pcomp" if rule else None)
    if dep == "acl" and head.dep_ == "ROOT" and head.pos_ in ("NOUN", "PROPN") and \
            any(c.dep_ in ("dobj", "obj") for c in verb.children) and not any(c.dep_ == "agent" for c in verb.children):
        # "The Iraqi air force carried out strikes" parsed with the noun as root: a participle with
        # an object and no "by" phrase is no reduced passive, it is the main verb
        return conjuncts(head), "acl-root"
    if dep == "acl" and head.pos_ in ("NOUN", "PROPN") and verb.tag_ == "VBG":
        return [head], "acl-head"
    if dep == "acl" and head.pos_ == "NOUN":
        owner = [c for c in head.children if c.dep_ == "poss"]
        if not owner and head.lemma_.lower() in cues()["governor"] and verb.tag_ == "VB":
            owner = [c for c in head.children if c.dep_ in ("compound", "amod") and c.i < head.i and (
                c.pos_ == "PROPN" or c.ent_type_ in ("NORP", "GPE", "ORG"))]
        if owner:  # "Blair's refusal to accept", "Russia's decision to withdraw", "the US decision to reimpose"
            return conjuncts(owner[0]), "acl-poss"
    if dep == "acl" and head.pos_ == "NOUN" and head.head.pos_ == "VERB" and head.dep_ in ("dobj",):
        # "held aspirations to join": the aspirations' holder joins
        tokens, rule = verb_subject(head.head, depth + 1)
        return tokens, (f"{rule}<acl" if rule else None)
    if dep == "relcl":
        rel = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.tag_ in ("WDT", "WP")]
        if rel:
            return [head], "relcl-head"
        if verb.tag_ in FINITE and not any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in verb.children) \
                and any(c.dep_ in ("dobj", "obj") for c in verb.children):
            # "The Afghan government, a number of parties and the Taliban on Thursday condemned ...": the
            # parser made the main verb a relative clause on the apposition; a finite clause with an object
            # and no subject of any kind is the sentence's own
            owner = head.head if head.dep_ == "appos" else head
            return conjuncts(owner), "relcl-misparsed"
    if purpose_clause(verb):
        objects = [c for c in head.children if c.dep_ in ("dobj", "obj")]  # "most of Europe": any head
        if objects and head.lemma_.lower() in cues()["causative"]:
            return conjuncts(objects[0]), "object-control"  # "has led most of Europe to expel": Europe expels
        tokens, rule = verb_subject(head, depth + 1)
        return tokens, (f"{rule}<purpose" if rule else None)
    if dep == "advcl" and verb.tag_ in FINITE:
        subject = _subordinator_object(verb)
        if subject is not None:  # "broke out as the US adviser, John Bolton, visited Ankara": "as" read as a preposition
            return conjuncts(subject), "nsubj-misparsed"
    if dep == "advcl" and verb.tag_ == "VBG":
        cleft = cleft_focus(head)
        if cleft is not None:
            return conjuncts(cleft), "cleft"
        tokens, rule = verb_subject(head, depth + 1)
        return tokens, (f"{rule}<advcl" if rule else None)
    return [], None


def made_by(noun) -> list:
    """Who made the thing: the "by" phrase of a participle on it ("a plan drawn up by Moscow"), or on
    its verb when the parser hangs the participle there ("boycott the event, originally conceived by the US")."""
    verb = noun.head if noun.dep_ in ("dobj", "obj") else None
    made = [c for c in noun.children if c.dep_ == "acl" and c.tag_ == "VBN"]
    if verb is not None:
        made += [c for c in verb.children if c.dep_ == "advcl" and c.tag_ == "VBN" and c.i > noun.i
                 and not any(g.dep_ in SUBJECTS + ("nsubjpass",) for g in c.children)]
    return prep_objects(made, None, dep="agent")


def _members(noun) -> list:
    """The members a plural subject names with "including" ("some governments, including the US and
    Russia"): they are who acted; none for any other noun."""
    if noun.tag_ not in ("NNS", "NNPS"):
        return []
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ == "including":
            objects = [g for g in prep.children if g.dep_ == "pobj"]
            if objects:
                return conjuncts(objects[0])
    return []


def relative_antecedent(pronoun):
    """What a relative pronoun of its clause stands for ("bin Salman, whom Turkey accuses", "Williamson,
    who has said"): the noun the clause hangs on; None for any other word."""
    clause = pronoun.head
    return clause.head if pronoun.tag_ in ("WP", "WDT") and clause.dep_ == "relcl" else None


def prep_objects(heads, words, dep: str = "prep") -> list:
    """The objects of the `words` prepositions (deps `dep`) on `heads`, in order."""
    return [pobj for head in heads for prep in head.children if prep.dep_ == dep and (words is None or prep.lower_ in words)
            for pobj in prep.children if pobj.dep_ == "pobj"]


def _judged_of(prep):
    """The one a verb judges for what the "of"/"for" gerund says: "accused the US of supporting
    terrorists", "thanked Qatar for mediating", "Russia was blamed for shelling" (its object, or
    its passive subject); None for any other preposition or a verb with no such argument."""
    verb = prep.head
    if prep.lower_ not in ("of", "for") or verb.pos_ != "VERB":
        return None
    for child in verb.children:
        if child.dep_ in ("dobj", "obj", "nsubjpass") and child.pos_ in ("NOUN", "PROPN", "PRON"):
            return relative_antecedent(child) or child  # "bin Salman, whom Turkey accuses of ordering"
    return None


FINITE = ("VBD", "VBZ", "VBP")
SUBORDINATORS = ("as", "while", "after", "before", "since", "until", "because", "when", "once")


def _subordinator_object(verb):
    """The subject of a finite clause the parser split at its subordinator ("as the adviser,
    John Bolton, visited Ankara": "as" a preposition, "adviser" its object, "visited" subjectless)."""
    for prep in verb.head.children:
        if prep.dep_ == "prep" and prep.lower_ in SUBORDINATORS and prep.i < verb.i:
            objects = [c for c in prep.children if c.dep_ == "pobj"]
            if objects and objects[0].right_edge.i < verb.i and all(
                    t.is_punct for t in verb.doc[objects[0].right_edge.i + 1:verb.i]):
                return objects[0]
    return None


def _antecedents(head, verb, pronoun):
    """What a relative pronoun stands for: all of "Russia and China, which veto", but only the
    nearest of "the Kurdish militias and Turkey, which has threatened" (a singular verb), and the
    name just before "which" when the parser hung the clause on a common noun further back."""
    nouns = conjuncts(head)
    doc, i = pronoun.doc, pronoun.i - 1
    while i > 0 and doc[i].is_punct:
        i -= 1
    if pronoun.lower_ == "which" and head.pos_ == "NOUN" and doc[i].pos_ == "PROPN" and doc[i].i != pronoun.i \
            and all(n.i != doc[i].i for n in nouns):
        return [doc[i]]  # "a buffer between the militias and Turkey – which has threatened": Turkey
    singular = verb.tag_ == "VBZ" or any(c.dep_ in ("aux", "auxpass") and c.tag_ == "VBZ" for c in verb.children)
    before = [n for n in nouns if n.i < pronoun.i]
    if len(nouns) > 1 and singular and before:
        return [max(before, key=lambda n: n.i)]
    return nouns


def _fronted_subject(verb):
    """ "In September Turkey persuaded Russia": the tagger read "September Turkey" as one name in
    the time phrase, leaving the verb without a subject; the name after the date is the subject."""
    for child in verb.lefts:
        if child.dep_ != "prep":
            continue
        for pobj in child.children:
            if pobj.dep_ == "pobj" and pobj.pos_ == "PROPN" and pobj.ent_type_ not in ("DATE", "TIME", "") \
                    and any(c.dep_ in ("compound", "nmod") and c.ent_type_ in ("DATE", "TIME") for c in pobj.lefts):
                return pobj
    return None


def cleft_focus(verb):
    """ "(said) that it was the bloc making attempts": the focus noun of a cleft complement."""
    for child in verb.children:
        if child.dep_ == "ccomp" and child.lemma_ == "be":
            subj = [c for c in child.children if c.dep_ == "nsubj" and c.lower_ == "it"]
            attr = [c for c in child.children if c.dep_ == "attr"]
            if subj and attr:
                return attr[0]
    return None


def copula_of(token):
    """The copula of a predicate adjective or noun: "X is unacceptable", "X constitutes a threat",
    "the move amounts to an invasion" (verbs other than "be": cues.tsv copula)."""
    head = token.head
    if token.dep_ in ("acomp", "attr", "oprd") and head.lemma_ == "be":
        return head
    copulas = cues().get("copula", {})
    if token.pos_ == "NOUN" and token.dep_ in ("dobj", "obj", "attr", "oprd") and head.lemma_.lower() in copulas:
        return head
    if token.pos_ == "NOUN" and token.dep_ == "pobj" and head.lower_ == "to" and head.head.lemma_.lower() in copulas:
        return head.head
    return None


def copula_subject(token):
    """The subject of "X is unacceptable" / "X is a red line", for predicate adjectives and nouns."""
    verb = copula_of(token)
    if verb is not None:
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass") and not _expletive(child):
                return child
    return None


def described(token):
    """(the verb, what it describes) when `token` is how a speaker describes something: "described
    the US move as provocative", "condemned the attacks as terrorism", "called the decision illegal"."""
    head = token.head
    if head.dep_ == "prep" and head.lower_ == "as" and token.dep_ in ("pobj", "amod", "acomp", "advmod", "conj"):
        owner = head.head
        if owner.dep_ in ("dobj", "obj") and owner.head.pos_ == "VERB":
            return owner.head, owner
        if owner.pos_ == "VERB":
            thing = next((c for c in owner.children if c.dep_ in ("dobj", "obj")), None)
            return (owner, thing) if thing is not None else None
        return None
    if token.pos_ == "ADJ" and token.dep_ in ("oprd", "xcomp", "ccomp") and head.pos_ == "VERB" and head.lemma_ != "be":
        thing = next((c for c in head.children if c.dep_ in ("dobj", "obj") and c.i < token.i), None)
        if thing is None:  # "called the decision illegal" parsed as a small clause: the adjective's own subject
            thing = next((c for c in token.children if c.dep_ == "nsubj"), None)
        return (head, thing) if thing is not None else None
    return None


EXPERIENCER_PREPS = ("from", "among", "amongst", "in", "across", "within", "inside")


def receiving(verb) -> bool:
    """A verb whose subject receives the event its object names (cues.tsv recipient): "received an invitation"."""
    return verb is not None and verb.lemma_.lower() in cues().get("recipient", {})


def elicited(noun, verb):
    """(who drew it, who feels or voices it) for a judgement an eliciting verb draws (cues.tsv elicit):
    "the US decision drew condemnation from Turkey" -> (decision, [Turkey]); "caused outrage among the
    Turkish people" -> (subject, [people]). None when `verb` is no eliciting verb."""
    if verb is None or verb.lemma_.lower() not in cues().get("elicit", {}):
        return None
    feelers = prep_objects((noun, verb), EXPERIENCER_PREPS)
    return next(iter(verb_subject(verb)[0]), None), conjuncts(feelers[0]) if feelers else []


def received(noun, verb):
    """(who receives it, who gives it) for an event noun a receiving verb carries (`receiving`): "Trump
    has received an invitation to visit Turkey" -> (Trump, [Turkey]); "an invitation from Erdogan" ->
    (subject, [Erdogan]). None when `verb` is no receiving verb."""
    if not receiving(verb):
        return None
    givers = prep_objects((noun,), ("from",)) or [  # else "an invitation to visit Turkey": the host
        obj for acl in noun.children if acl.dep_ == "acl" and acl.lemma_.lower() == "visit"
        for obj in acl.children if obj.dep_ in ("dobj", "obj")]
    return next(iter(verb_subject(verb)[0]), None), conjuncts(givers[0]) if givers else []


def judge(token):
    """ "a red line for Moscow", "unacceptable to Kyiv": who holds the judgement."""
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in ("for", "to"):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None


def _copula(token):
    """An adjective's clause is its copula: "Russia is ready" -> is."""
    if token.dep_ in ("acomp", "oprd", "attr") and (token.pos_ == "ADJ" or token.head.lemma_ == "be"):
        return token.head  # "Russia was prepared to attack", "prepared" tagged a verb
    return token


def verb_target_options(verb):
    """(tokens, rule) candidates for the patient or addressee of a verb, best first.

    "gave medical equipment to Nicaragua": the object is no actor, the "to" phrase is.
    """
    passive = is_passive(verb) or _reduced_passive(verb)
    for child in verb.children:
        if passive and child.dep_ == "nsubjpass":
            yield conjuncts(child), "nsubjpass"
    if passive and verb.dep_ == "advcl" and verb.tag_ == "VBN" and not any(c.dep_ in SUBJECTS for c in verb.children):
        # "1,000 foreign nationals are held in camps, having been captured by the SDF": the main subject
        subject = next((c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None:
            yield conjuncts(subject), "nsubj<advcl-passive"
    for child in verb.children:
        if child.dep_ in ("dobj", "obj", "dative", "iobj") and child.pos_ in ("NOUN", "PROPN", "PRON"):
            antecedent = relative_antecedent(child)
            if antecedent is not None:
                yield conjuncts(antecedent), f"{child.dep_}<relcl"  # "the forces, whom he regards as enemies"
                continue
            yield conjuncts(child), child.dep_
    for child in verb.children:
        if child.dep_ in ("prep", "dative") and child.lower_ in TARGET_PREPS_VERB:
            objs = [p for p in child.children if p.dep_ == "pobj"]
            if objs:
                yield conjuncts(objs[0]), f"prep-{child.lower_}"
    if not any(c.dep_ in ("dobj", "obj") for c in verb.children):
        # "rejects and condemns the decision": the object is shared, the parser hangs it on the last verb
        for child in verb.children:
            if child.dep_ == "conj" and child.i > verb.i and not any(c.dep_ in SUBJECTS for c in child.children):
                for obj in child.children:
                    if obj.dep_ in ("dobj", "obj") and obj.pos_ in ("NOUN", "PROPN"):
                        yield conjuncts(obj), "conj-object"


def verb_targets(verb):
    """The first candidate of `verb_target_options`, or ([], None)."""
    return next(verb_target_options(verb), ([], None))


def noun_subject(noun):
    """(tokens, rule) for the agent of a nominal event ("Biden's concerns", "Russian build-up")."""
    for child in noun.children:
        if child.ent_type_ in ("DATE", "TIME"):
            continue  # "last month's takeover of the area by X": when, not whose
        if child.dep_ == "poss" or (child.dep_ == "nmod" and child.i < noun.i and child.pos_ == "PROPN"):
            return conjuncts(child), "poss"
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ("by", "from"):
            objs = [p for p in child.children if p.dep_ == "pobj"]
            if objs:
                return conjuncts(objs[0]), f"prep-{child.lower_}"
    responsible = responsible_for(noun)
    if responsible is not None:  # "Los Zetas has been responsible for mass killings": theirs
        return responsible
    mods = [c for c in noun.lefts if c.dep_ in ("amod", "compound", "nmod") and c.pos_ in ("ADJ", "PROPN")]
    named = [c for c in mods if c.pos_ == "PROPN" or c.ent_type_ in ("NORP", "GPE", "ORG")]
    if mods:  # "a final SDF assault": the named modifier, not the first adjective
        return [(named or mods)[0]], "modifier"
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ in ("at", "in") and head.head.lemma_ == "be":
        subjects = [c for c in head.head.children if c.dep_ in SUBJECTS and not _expletive(c)]
        if subjects:  # "Mr Blair is at a summit in Brussels", "the US is in negotiations with Baghdad": theirs
            return conjuncts(subjects[0]), f"{head.lower_}-subject"
    return [], None


RESPONSIBLE = {"responsible", "culpable", "guilty"}


def responsible_for(noun):
    """(tokens, rule) of whoever is said to be responsible for (or guilty of) the act a noun names, or None:
    "X is responsible for mass killings", "leaders responsible for killings", "guilty of war crimes"."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ not in ("for", "of") or prep.head.lemma_.lower() not in RESPONSIBLE:
        return None
    adj = prep.head
    if adj.dep_ == "amod" and adj.head.pos_ in ("NOUN", "PROPN"):
        return conjuncts(adj.head), "responsible-for"  # "leaders responsible for killings"
    tokens, rule = adjective_subject(adj)
    return (tokens, f"responsible<{rule}") if tokens else None


def noun_target_options(noun):
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in TARGET_PREPS_NOUN:
            objs = [p for p in child.children if p.dep_ == "pobj"]
            if objs:
                yield conjuncts(objs[0]), f"prep-{child.lower_}"


def noun_targets(noun):
    return next(noun_target_options(noun), ([], None))


def adjective_subject(adj):
    verb = _copula(adj)
    if verb is adj and adj.pos_ == "VERB":  # "the US is frustrated", the participle read as a passive
        patient = next((c for c in adj.children if c.dep_ in ("nsubjpass", "nsubj")), None)
        return (conjuncts(patient), "nsubjpass-feeling") if patient is not None else ([], None)
    if verb is adj:
        return [], None
    tokens, rule = verb_subject(verb)
    return tokens, (f"{rule}<acomp" if rule else None)


def clause_subjects(token):
    """Subjects of clauses embedded under `token` ("sounded the alarm that Moscow could invade")."""
    for child in list(token.children) + [g for c in token.children if c.dep_ in ("dobj",) for g in c.children]:
        if child.dep_ in ("ccomp", "acl") and child.pos_ in ("VERB", "AUX"):
            tokens, rule = verb_subject(child)
            if tokens:
                yield tokens, f"clause-{rule}"
            elif is_passive(child):  # "want the EU budget to be capped": whose budget
                for patient in child.children:
                    if patient.dep_ == "nsubjpass":
                        yield conjuncts(patient), "clause-patient"


def phrase_tokens(token):
    """Noun-phrase heads inside a phrase, nearest first ("the country's territory" -> territory, country)."""
    stack = [token]
    seen = set()
    while stack:
        tok = stack.pop(0)
        if tok.i in seen:
            continue
        seen.add(tok.i)
        yield tok
        for child in tok.children:
            if child.dep_ in ("poss", "compound", "amod", "nmod", "pobj", "prep", "appos", "conj", "npadvmod"):
                stack.append(child)
            elif child.dep_ == "acl" and child.tag_ == "VBN":
                # "the missiles fired by the Israeli military", "the plan proposed by Moscow": its agent
                stack.extend(g for g in child.children if g.dep_ == "agent")
