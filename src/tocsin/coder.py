"""The coder: parsed articles in, Events out. `code_articles` is the only entrance.

For each sentence: resolve the actors in reading order, find the predicates,
give each its source, target, modality and speaker, code it through the
lexicon and the CAMEO tables, then apply two mechanisms that other coders lack:
an intended act is coded as the intent ("ready to hold talks" is 036, not a
meeting), and a conflict act that a speaker attributes to another side is an
accusation by the speaker (the act itself stays "alleged").
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from itertools import chain
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Iterator

from .actors.dictionary import ActorDictionary
from .actors.resolver import ArticleActors
from .coding import LexEntry, Lexicon, cameo
from .extract import arguments as args
from .extract.cues import cues, is_speech, modal_codes
from .extract.modality import Modality, modality_of, reported_by
from .extract.quotes import QuoteTracker
from .extract.predicates import JUDGING_ROOTS, MOVEMENT, Predicate, find_predicates, governs_event, verb_predicate
from .model import Actor, Article, Event
from .nlp import Paragraph, parse_articles, sentences
from .when import event_date
from .where import event_place

SYMMETRIC_ROOTS = {"03", "04", "05", "06"}
UNREAL = {"possible", "hypothetical", "negated"}  # modalities of acts not done: coded only with a target
HISTORY_DAYS = 180  # dated more than this before publication: modality "historical"
MODALITY_WEIGHT = {"intended": 0.85, "demanded": 0.8, "said": 0.95, "possible": 0.6, "hypothetical": 0.6,
                   "negated": 0.6, "denied": 0.6, "alleged": 0.7, "historical": 0.7}
NOT_STATES = {"WST", "EUR", "IMG", "ARB", "AFR", "ASA", "LAM", "MEA", "GCC", "SCO", "HRW", "AMN", "MSF", "IGO"}
# people who act where they are: a rebel, a protester or a policeman of no stated country
# belongs to the country of the event's place, else the country the article is about
LOCAL_SECTORS = {"REB", "UAF", "CVL", "OPP", "COP", "REF", "CRM", "LAB", "EDU", "HLH", "REL", "MED", "JUD", "LEG"}
# dependents whose words belong to another clause or to the subject: no fallback target there
OTHER_CLAUSES = {"nsubj", "nsubjpass", "csubj", "advcl", "relcl", "parataxis", "conj", "cc"}
ACCUSE_CODE = "112"
DISAPPROVE_CODE = "111"
STATEMENT_CODE = "010"  # make a statement, not specified further
CLAIM_CODE = "015"  # acknowledge or claim responsibility
CLAIMING = {"claim"}  # verbs whose subject, claiming its own act of force, claims responsibility for it
DEPLOY_CODE, PEACEKEEPING_CODE = "154", "074"  # armed forces arriving are deployed; peacekeepers protect
BODIES_OF_STATE = {None, "GOV", "MIL", "LEG", "JUD", "COP", "SPY", "ELI", "IGO"}  # one side with their state (_same)
WILL = {"will", "wo", "would", "'ll", "shall"}
ARMED_SECTORS = {"MIL", "REB", "UAF"}  # armed forces, rebels, militias
VISIT_CODES = {"042", "043"}  # make, host a visit
BYSTANDERS = {"CVL", "REF"}  # civilians and refugees: telling what they saw, witnesses, not accusers
FORCE_ACTS = {"18", "19", "20"}  # assaults, fighting, mass violence
RECENT_SENTENCES = 3
OWNED_SENTENCES = 12  # "the plan" may point back this far (sentences) to a plan the article gave an owner
COUNTERPART_WEIGHT, COUNTERPART_FLOOR = 0.8, 0.3  # a target guessed from the article: confidence x0.8, not below 0.3
MOVED_ROOTS = {"03", "08", "15"}  # withdrawing, sending, pledging to pull out: one's own forces are moved, not targeted
THREAT_ROOTS = {"14", "16", "17", "18", "19", "20"}  # an intent to do these, voiced, is a threat (modal_codes.tsv)
FORCE_ROOTS = {"13", "14", "15", "17", "18", "19", "20"}  # calling X one of these acts accuses X
REFERRING_ROOTS = JUDGING_ROOTS | {"05"}  # judging or backing "the plan", "the move" is aimed at its author
DEFINITE = {"the", "this", "that", "these", "those", "such"}
CLAIM_ROOTS = {"02", "10", "11", "12", "13", "14"}  # appeals, demands, criticism, rejection, threats, protest
CONTENDERS = {"POL", "OPP", "LAB", "LEG"}  # parties, opposition, protesters, unions, legislators: claims of their state
PLACE_TARGET_ROOTS = {"17", "18", "19", "20"}  # force used on a place, with no actor named, targets its country


@dataclass
class Reading:
    """What the coder remembers while reading one article."""

    article: Article
    memory: ArticleActors
    countries: list[str] = field(default_factory=list)  # countries mentioned so far (place disambiguation)
    last_day: dt.date | None = None  # the last date the text gave to the day ("the day before" counts from it)
    force: list = field(default_factory=list)  # (sentence index, source country) of the acts of force read so far
    acts: list = field(default_factory=list)  # (sentence index, Actor) of every coded event's source, in reading order
    quotes: QuoteTracker = field(default_factory=QuoteTracker)  # who speaks in a quotation that runs on
    owned: list = field(default_factory=list)  # (sentence index, lemma, Actor): "Washington announced plans"


    def main_country(self) -> str | None:
        """The state the article is mostly about so far (by mentions), if any."""
        states = [c for c in self.countries if len(c) == 3 and c not in NOT_STATES]
        return Counter(states).most_common(1)[0][0] if states else None


@dataclass
class Roles:
    """Who did it to whom, and how each was found."""

    sources: list
    src_rule: str | None
    targets: list
    tgt_rule: str | None
    evaluated: object = None  # the judged subject of "X is unacceptable"
    mod: Modality | None = None  # set by a mechanism that decides the modality itself


@dataclass
class Sentence:
    sent: object  # spacy Span
    index: int
    span: tuple[int, int]  # in the article text
    offset: int  # of its paragraph in the article text
    speakers: list = field(default_factory=list)  # (token index, Actor) of who speaks in it ("X declared")
    quoted_by: Actor | None = None  # the speaker of the quotation it lies in, named in an earlier sentence
    spoke: bool = False  # a verb of saying outside quotation marks has a subject here ("Ahmed said: ...")
    quoter: Actor | None = None  # ... and that subject's actor, when it resolved to one


class Coder:
    """Holds the loaded tables; codes one parsed article at a time."""

    def __init__(self, dictionary: ActorDictionary | None = None, statements: bool = False,
                 placed_only: bool = True):
        self.lexicon = Lexicon.load()
        self.dictionary = dictionary or ActorDictionary.load()
        # CAMEO 01x public statements ("X said") are not PLOVER events: coded only on request
        self.statements = statements
        # an event whose source no context places ("forces", "the leader") is no use to a dyad:
        # dropped unless asked for (the typing benchmark keeps them: it scores the type alone)
        self.placed_only = placed_only

    def code(self, article: Article, paragraphs: list[Paragraph]) -> list[Event]:
        reading = Reading(article, ArticleActors(self.dictionary, on=article.published))
        events: list[Event] = []
        last_end = 0  # where the sentence before ended in the article text
        for index, offset, sent in sentences(paragraphs):
            reading.memory.start_sentence(index)
            found = reading.memory.read_sentence(sent, offset, is_speech)
            reading.countries.extend(a.country for a in found if a.country)
            span = (offset + sent.start_char, offset + sent.end_char)
            quoted = reading.quotes.start(article.text[span[0]:span[1]], "\n" in article.text[last_end:span[0]] or not last_end)
            last_end = span[1]
            here = Sentence(sent, index, span, offset, quoted_by=reading.quotes.speaker if quoted else None)
            coded = self._sentence(reading, here)
            reading.quotes.finish(here.spoke, here.quoter)
            reading.owned.extend((index, lemma, owner) for lemma, owner in self._owned_nouns(reading, here))
            reading.force.extend((e.sentence_index, e.source.country) for e in coded
                                 if e.cameo[:2] in FORCE_ACTS and e.source and e.source.country
                                 and e.modality in ("asserted", "said", "alleged"))
            reading.acts.extend([(index, actor) for _, actor in here.speakers] + [
                (e.sentence_index, e.source) for e in coded if e.source and e.source.country])
            days = [e.date for e in coded if e.date_precision == "day" and e.date_text]
            if days:
                reading.last_day = dt.date.fromisoformat(days[-1])
            events.extend(coded)
        return _counterparts(events)

    # -- one sentence ------------------------------------------------------

    def _sentence(self, reading: "Reading", here: "Sentence") -> list[Event]:
        preds = find_predicates(here.sent, self.lexicon)
        framing = [p for p in preds if self._frames(p)]
        for pred in framing:  # who made a statement here: the author of "the claim" that follows
            if pred.pos == "V" and is_speech(pred.token.lemma_.lower()):
                subjects = args.verb_subject(pred.token)[0]
                actor = self._first_actor(subjects, reading, here)
                if actor is not None and actor.country:
                    here.speakers.append((pred.token.i, actor))
                if subjects and not reading.quotes.quoted_at(pred.token.idx - here.sent.start_char):
                    # "Ahmed said: ..." names the speaker of the quotation (no one known when she does not resolve)
                    here.spoke, here.quoter = True, actor if actor is not None and actor.country else None
        events: list[Event] = []
        coded: set[int] = set()  # token ids of predicates that produced events
        offered: set[int] = set()  # "an invitation to visit Turkey": the visit is offered, not done
        for pred in preds:
            if pred in framing:
                continue
            found = self._events(reading, here, pred)
            if found:
                coded.add(pred.token.i)
                events.extend(found)
                if pred.pos == "N" and args.receiving(pred.carrier):
                    offered.update(here.offset + t.idx for t in pred.token.subtree if t.i != pred.token.i)
        # statements and intent words are events only when what they introduce is not
        for pred in sorted(framing, key=lambda p: -_depth(p.carrier or p.token)):  # innermost first
            head = pred.carrier or pred.token
            if any(t.i in coded for t in head.subtree if t.i != head.i):
                continue
            if pred.pos == "V" and not (self.statements and pred.entry.cameo.startswith("01")):
                continue  # "X said", "X revealed": a statement is an event only when asked for (and coded 01x)
            if pred.pos == "A" and _clause_complement(pred.token):
                continue  # "determined to retake Idlib", "intent on screening returnees": an intent to do what
                # the lexicon does not know is no known intent (not "intent to cooperate", 030)
            found = self._events(reading, here, pred)
            if found:
                coded.add(pred.token.i)
                events.extend(found)
        events = [e for e in events if e.trigger[0] not in offered]
        events.extend(self._accusations(events))
        commands = self._commands(reading, here, preds)
        if commands:  # a commanded act is not done: only the command is coded
            ordered = {e.trigger for e in commands}
            events = [e for e in events if e.trigger not in ordered] + commands
        return _dedupe(events)

    @staticmethod
    def _frames(pred: Predicate) -> bool:
        """Statements ("said"), intent adjectives ("ready to") frame another event."""
        if pred.pos == "V":
            if pred.entry.obj or pred.entry.prep:  # "rejected the accusations" is an act of its own
                return False
            return pred.entry.cameo.startswith("01") or is_speech(pred.token.lemma_.lower())
        return pred.pos == "A" and governs_event(pred.token)

    def _roles(self, reading: "Reading", here: "Sentence", pred: Predicate, speaker: Actor | None) -> "Roles | None":
        """Source and target of a predicate, with the rules that found them (None: no event)."""
        memory, offset = reading.memory, here.offset
        feels = _feels(pred.token)
        evaluated = args.copula_subject(pred.token) if not (_governs(pred) or feels) else None
        said_of = args.described(pred.token) if evaluated is None and pred.pos in ("A", "N") and not feels else None
        blamer = pred.carrier if pred.carrier is not None else pred.token if pred.pos == "V" else None
        blamed = blamer is not None and pred.token.lemma_.lower() in cues()["blame"]
        drawn = args.elicited(pred.token, pred.carrier) if pred.pos == "N" else None
        given = args.received(pred.token, pred.carrier) if pred.pos == "N" and drawn is None else None
        recipient = given[0] if given is not None else None
        if given is not None:  # "Trump has received an invitation to visit Turkey": Turkey invites Trump
            src_toks, src_rule = given[1], "giver" if given[1] else None
        elif drawn is not None:  # "the US decision drew condemnation from Turkey": Turkey condemns the decision
            evaluated, feelers = drawn
            src_toks, src_rule = feelers, "experiencer" if feelers else None
        elif blamed:  # "said the US envoy had made a serious mistake", "Blair lied, say the Tories": the speaker blames
            evaluated = next(iter(args.verb_subject(blamer)[0]), None)
            src_toks, src_rule = [], None
        elif said_of is not None:  # "Lavrov described the US move as provocative": Lavrov judges the move
            evaluated = said_of[1]
            src_toks, src_rule = args.verb_subject(said_of[0])
        elif evaluated is not None:
            # "X is unacceptable", "X is a red line for Moscow": the judge acts on X
            judge = args.judge(pred.token)
            src_toks, src_rule = ([judge], "judge-for") if judge is not None else ([], None)
        else:
            src_toks, src_rule = self._source_tokens(pred)
        sources = [a for a in (self._actor(t, memory, offset) for t in src_toks) if a]
        if src_rule == "modifier" and pred.entry.cameo[:2] == "04" and all(_venue(a) for a in sources):
            sources = []  # "the Warsaw summit", "the Moscow talks between Russia and Ukraine": where, not who
        if not sources and evaluated is not None and speaker is not None:
            sources, src_rule = [speaker], "speaker"
        exclude = sources[0].country if sources else None
        options = [([evaluated], "copula-subject")] if evaluated is not None else [([recipient], "recipient")] \
            if recipient is not None else self._target_options(pred)
        if pred.entry.cameo[:2] not in ("15", "18", "19", "20"):  # then who was warned of what clause
            options = chain(options, args.clause_subjects(pred.carrier or pred.token))
        targets, tgt_rule, home_places = [], None, False
        for tgt_toks, rule in options:
            if pred.entry.origin == MOVEMENT and rule in ("prep-toward", "prep-towards", "prep-to"):
                continue  # "advanced along the Euphrates towards the Iraqi border": where, not whom
            found = [self._actor(t, memory, offset, exclude) for t in tgt_toks]
            home_places = home_places or any(a and a.country == exclude and (a.rule or "").startswith("place:")
                                             for a in found)
            # "massed troops": a bare agent noun of no country or name is what was moved, not whom
            targets = self._distinct([a for a in found if a and (a.country or a.name)], sources,
                                     hostile=pred.entry.cameo[:2] in FORCE_ACTS)
            if pred.entry.cameo[:2] in MOVED_ROOTS or pred.entry.cameo[:2] == "13":
                # "withdraw US troops from Syria": Syria, not the troops; "threatened to send his forces": not his forces
                targets = [t for t in targets if not any(_own_forces(s, t) for s in sources)]
            if targets:
                tgt_rule = rule
                break
        if not targets and home_places and pred.entry.cameo[:3] in VISIT_CODES:
            return None  # "Mr Kennedy visits Manchester, Liverpool and Torbay": travel at home, no visit of state
        if pred.entry.origin == MOVEMENT and not self._forces_move(pred, sources, targets):
            return None  # "she left the UK" is travel, "the convoys left the town" no withdrawal
        bare = not (pred.entry.obj or pred.entry.prep or pred.entry.particle)
        # "gave", "held" alone, or a generated-lexicon verb with no object of its own ("went to bed",
        # "came to the UK"), code only between two actors
        weak = not pred.entry.obj and pred.entry.origin.startswith("lexicon.tsv") or bare and (
            pred.pos == "V" and self.lexicon.is_light_verb(pred.token.lemma_.lower()))
        if weak and not (sources and targets) and not (targets and speaker is not None and args.is_passive(pred.token)):
            return None  # (a speaker's "X should be punished" names no one to do it: see _events)
        if len(sources) > 1 and not targets and pred.entry.cameo[:2] in SYMMETRIC_ROOTS:
            sources, targets, tgt_rule = sources[:1], sources[1:], "conj-subject"  # "Biden and Putin met"
        if not targets and pred.entry.origin != MOVEMENT:  # a movement's places are no targets
            found = self._subtree_actor(pred, memory, offset, sources)
            if found:
                targets, tgt_rule = [found], "subtree"
        located = targets and all("modifier+in:" in (t.rule or "") or (t.rule or "").startswith("place") for t in targets)
        if (not targets or located) and sources and pred.entry.cameo[:2] in JUDGING_ROOTS:
            # "relayed concerns over the violence in Afrin": judged is whoever used the force, not the place
            perpetrator = self._perpetrator(pred, reading, here, sources[0])
            if perpetrator is not None:
                targets, tgt_rule = [perpetrator], "the act's perpetrator"
        if not targets and sources and pred.entry.cameo[:2] in REFERRING_ROOTS:
            author = self._author(pred, reading, here, sources[0], evaluated)
            if author is not None:
                targets, tgt_rule = [author], "the proposal's author"
        if not targets and sources and pred.entry.cameo[:2] in CLAIM_ROOTS and sources[0].sector in CONTENDERS \
                and self.dictionary.is_state(sources[0].country):
            # "The Tories want judicial oversight", "the Lib Dems oppose the plans", "protesters demanded
            # his resignation": a domestic contender's claim that names no one is made of its government
            home = sources[0].country
            targets, tgt_rule = [Actor(text=f"({home} government)", country=home, sector="GOV",
                                       rule="implicit:own government")], "own government"
        if not sources and tgt_rule == "prep-between" and len(targets) > 1:
            sources, targets, src_rule = targets[:1], targets[1:], "prep-between"  # "talks between X and Y"
        return Roles(sources, src_rule, targets, tgt_rule, evaluated)

    def _events(self, reading: "Reading", here: "Sentence", pred: Predicate, given: "Roles | None" = None) -> list[Event]:
        """The events of one predicate; `given` roles and modality (a mechanism's) skip reading them."""
        article, memory, offset = reading.article, reading.memory, here.offset
        if given is None:
            mod = modality_of(pred.token, pred.carrier)
            speaker_tok = mod.speaker if mod.speaker is not None else reported_by(pred.carrier or pred.token)
            speaker = memory.resolve(speaker_tok, offset) if speaker_tok is not None else None
            if speaker is None and here.quoted_by is not None and not here.speakers:
                # '"Huge massacres have been committed by the Turks."': the quotation's speaker says it
                speaker = here.quoted_by
                mod = replace(mod, value="said") if mod.value == "asserted" else mod
            given = self._roles(reading, here, pred, speaker)
            if given is None:
                return []
        else:
            mod, speaker = given.mod, None
        sources, src_rule, targets, tgt_rule, evaluated = (
            given.sources, given.src_rule, given.targets, given.tgt_rule, given.evaluated)
        if not sources and targets and speaker is not None and speaker.country and mod.value == "demanded" \
                and mod.speech is not None and pred.entry.cameo[:2] in THREAT_ROOTS and args.is_passive(pred.token):
            # "British Isis recruits should be hunted down and killed," the defence secretary said: no one
            # named to do it, the speaker's side calls for force on them, a threat (CAMEO 13x)
            sources, src_rule, mod = [speaker], "speaker (who calls for it)", replace(mod, value="intended")
        if self.placed_only:
            sources = [a for a in sources if a.country]
        if not sources:
            # who did it? an event needs its actor, and a dyad needs the actor's country or organisation:
            # "forces", "the leader" that no context places code no event (PLOVER and ICEWS code none either)
            return []
        if pred.pos == "N" and pred.carrier is None and not targets and not (src_rule or "").startswith("responsible"):
            return []  # "the three-day conference", "a Turkish attack": a mention of an event, not a report of one
        code = self._code(pred, mod)
        recoded = mod.value  # the modality that turned the act's code into another
        if mod.value == "negated" and code != pred.entry.cameo and _volitional(pred.carrier or pred.token):
            # "Hungary says it will not accept asylum seekers": the refusal is made now (CAMEO 12x)
            mod, recoded = replace(mod, value="said" if speaker else "asserted"), "refused"
        if mod.value == "negated" and pred.pos == "A" and pred.entry.cameo[:2] == "05" and _feels(pred.token):
            # "US officials say they are not satisfied": displeasure voiced now (111), not a support withheld
            code, mod, recoded = DISAPPROVE_CODE, replace(mod, value="said" if speaker else "asserted"), "displeased"
        deliberated = self.statements and mod.value == "possible" and mod.speech is None and \
            cues().get("deliberation", {}).get((mod.cue or "").lower())
        if deliberated:
            # "Japan is considering sending aid": the actor weighs an option now (a statement, CAMEO 014)
            code, mod, recoded = deliberated, replace(mod, value="asserted"), "considered"
        if mod.value == "intended" and code[:2] == "13" and pred.entry.cameo[:2] in THREAT_ROOTS and speaker \
                and speaker.country and sources[0].country and speaker.country != sources[0].country:
            code = pred.entry.cameo  # "Russia is poised to invade, Biden said": a plan others report, no threat made
        if mod.value == "intended" and mod.speech is None and code[:2] in FORCE_ACTS and \
                (mod.cue or "").lower() in cues().get("posture", {}):
            # "special forces are preparing to storm the area": the preparation is a force posture now
            code, mod, recoded = cues()["posture"][mod.cue.lower()], replace(mod, value="asserted"), "prepared"
        if not targets and mod.value in UNREAL:
            return []  # "it is possible we would be fighting", "did not meet": no act, and no one it was aimed at
        if code != pred.entry.cameo and mod.value == "demanded" and speaker and speaker.country and sources \
                and sources[0].country not in (None, speaker.country):
            # "'The Americans must leave Syria,' Velayati said": Iran demands it of the Americans
            sources, targets, src_rule, tgt_rule = [speaker], sources[:1], "speaker", "demanded of"
            mod = replace(mod, value="asserted")  # the demand itself was made
        if evaluated is not None and mod.value in ("hypothetical", "possible", "intended"):
            # "the move would be profoundly wrong": the judgement is made now, of a possible act
            mod = replace(mod, value="said" if speaker else "asserted")
        if evaluated is not None and pred.pos == "N" and code[:2] in FORCE_ROOTS:
            code = ACCUSE_CODE  # "the YPG are a terrorist threat", "this is an attack on our sovereignty"
        if code[:3] in VISIT_CODES and sources[0].sector == "MIL" and pred.pos == "V":
            # "Chinese peacekeepers arrived in South Sudan", "US troops arrived in Poland": no visit of state
            code = PEACEKEEPING_CODE if sources[0].role == "peacekeepers" else DEPLOY_CODE
            recoded = "forces"
        helping = self._helping(pred) if code[:2] == "15" and pred.pos == "V" else None
        if helping:  # "soldiers deployed to Nigeria to train 200 Nigerian soldiers": the deployment is the training
            code, recoded = helping, "sent to help"
        info = cameo(code)
        if code == STATEMENT_CODE and not self.statements:
            return []  # "released a statement", "made comments": a bare statement, coded only on request
        future = mod.value in ("intended",)
        when = event_date(pred.token, article.published, future=future, context=reading.last_day)
        if _background(when, article.published) and mod.value in ("asserted", "said"):
            mod = replace(mod, value="historical", cue=when.text)  # "Turkey sent troops into Syria in 2016"
        elif mod.value in ("asserted", "said") and when.text is None:
            lasting = _long_running(pred)
            if lasting:  # "Ankara has fought a four-decade civil war": a state of years, not news
                mod = replace(mod, value="historical", cue=lasting)
            elif pred.pos == "V" and _biography(pred.token):
                # "Former minister Clare Short, who resigned over the Iraq war, said": who the speaker is
                mod = replace(mod, value="historical", cue=f"who {pred.token.text} (the speaker's past)")
            elif pred.pos == "N" and src_rule == "poss" and sources and _former(sources[0]):
                # "compared the move to Barack Obama's withdrawal from Iraq": done in an office since left
                mod = replace(mod, value="historical", cue=f"{sources[0].text} (out of office)")
        place = event_place(pred.token, reading.countries[-30:])
        home = place.country if place and place.country else reading.main_country()
        sources = [_localise(a, home) for a in sources]
        targets = [_localise(a, home) for a in targets]
        if code[:2] in PLACE_TARGET_ROOTS and place and place.country and not any(t.country for t in targets) \
                and place.country not in {s.country for s in sources}:
            # "a Russian base targeted Kafr Zita in Hama": force used on a place is used on its country
            where = f"place-attacked:{place.name}"
            targets = [replace(t, country=place.country, rule=f"{t.rule}+{where}") for t in targets] or [
                Actor(text=place.text or place.name, country=place.country, rule=where)]
            tgt_rule = tgt_rule or "place"
        out = []
        for source in sources or [None]:
            if source is not None and code[:3] in VISIT_CODES and not source.sector and source.country:
                continue  # "Begum travelled to Syria": a private person's journey is no visit of state
            for target in targets or [None]:
                if source and target and _same(source, target, hostile=code[:2] in FORCE_ACTS):
                    continue
                if source and target and code[:2] in MOVED_ROOTS and _own_forces(source, target):
                    target = None  # "Turkey is sending its forces": what moves, not whom
                confidence = self._confidence(src_rule if source else None, tgt_rule if target else None, pred, mod)
                explain = [
                    f"predicate '{pred.text}' ({pred.pos}{', carried by ' + pred.carrier.text if pred.carrier is not None else ''})",
                    f"lexicon {pred.entry.rule} -> CAMEO {pred.entry.cameo} [{pred.entry.origin}]",
                    f"source {src_rule or '-'}: {_show(source)}",
                    f"target {tgt_rule or '-'}: {_show(target)}",
                    mod.explain() + (f", speaker {_show(speaker)}" if speaker else ""),
                ]
                if code != pred.entry.cameo:
                    table = "cues.tsv" if recoded in ("considered", "prepared") else "modal_codes.tsv"
                    why = "the source is armed forces" if recoded == "forces" else f"extract/data/{table}"
                    explain.append(f"{recoded}: {pred.entry.cameo} -> {code} ({why})")
                out.append(Event(
                    article_id=article.id,
                    sentence_index=here.index,
                    evidence=article.text[here.span[0]:here.span[1]],
                    span=here.span,
                    source=source,
                    target=target,
                    type=info.plover,
                    mode=info.mode,
                    context=info.context,
                    cameo=code,
                    goldstein=info.goldstein,
                    quad_class=info.quad_class,
                    modality=mod.value,
                    speaker=speaker,
                    date=when.date,
                    date_text=when.text,
                    date_precision=when.precision,
                    place=place,
                    confidence=confidence,
                    rule=pred.entry.rule + (f"+{recoded}:{code}" if code != pred.entry.cameo else ""),
                    predicate=pred.text,
                    trigger=(offset + pred.token.idx, offset + pred.token.idx + len(pred.token.text)),
                    explain=explain,
                ))
        if mod.value == "alleged" and code[:2] in FORCE_ACTS:
            out += self._claimed(out, memory, offset, pred, replace(mod, value="asserted"), src_rule, tgt_rule)
        return out

    def _helping(self, pred: Predicate) -> str | None:
        """The code of the cooperation or aid (06, 07) that a movement of forces is for, when a purpose
        clause says so ("deployed to train Nigerian soldiers", "arrived to help deliver aid")."""
        for child in (pred.carrier or pred.token).children:
            if _purpose(child):
                purpose = verb_predicate(child, self.lexicon)
                if purpose is not None and purpose.entry.cameo[:2] in ("06", "07"):
                    return purpose.entry.cameo
        return None

    def _claimed(self, events: list[Event], memory, offset, pred: Predicate, mod: Modality,
                 src_rule, tgt_rule) -> list[Event]:
        """"The Houthis claimed that they had attacked Abha airport": whoever claims their own act of force
        claims responsibility for it (CAMEO 015), an act done now; "Russia claimed that Ukraine shelled
        Donetsk": claiming another's is accusing them (112). The force itself stays alleged."""
        verb = (pred.carrier or pred.token).head
        if verb.lemma_.lower() not in CLAIMING:
            return []
        subjects, _ = args.verb_subject(verb)
        claimer = memory.resolve(subjects[0], offset) if subjects else None
        if claimer is None:
            return []
        out = []
        for event in events:
            if event.source is None:
                continue
            own = (event.source.country, event.source.sector) == (claimer.country, claimer.sector)
            if not own and (not claimer.country or event.source.country in (None, claimer.country)):
                continue  # unplaced, or a side's claim about its own other arm: no accusation
            code = CLAIM_CODE if own else ACCUSE_CODE
            info = cameo(code)
            target = event.target if own else event.source
            confidence = self._confidence(src_rule, tgt_rule if target else None, pred, mod)
            why = f"{claimer.text} claims '{event.predicate}' as " + ("its own act" if own else f"{event.source.text}'s")
            out.append(replace(event, source=claimer, target=target, type=info.plover, mode=info.mode,
                               context=info.context, cameo=code, goldstein=info.goldstein,
                               quad_class=info.quad_class, modality="asserted", speaker=None, confidence=confidence,
                               rule="mechanism:" + ("claim of responsibility(alleged+own force)" if own
                                                    else "accusation(claim+conflict)"),
                               explain=event.explain + [why]))
        return out

    def _commands(self, reading: "Reading", here: "Sentence", preds: list[Predicate]) -> list[Event]:
        """ '"Don't overburden Iraq with your own issues," Salih told Trump': a quoted command to an
        addressee is the speaker's request of the addressee (020, or 100 a demand: cues.tsv "command")."""
        out = []
        for pred in preds:
            verb = pred.token
            if pred.pos != "V" or not is_speech(verb.lemma_.lower()):
                continue
            addressee = next((c for c in verb.children if c.dep_ in ("dobj", "iobj", "dative")), None) or next(
                (g for c in verb.children if c.dep_ == "prep" and c.lower_ == "to" for g in c.children
                 if g.dep_ == "pobj"), None)
            if addressee is None:
                continue
            command = next((t for t in verb.subtree if _imperative(t)), None)
            if command is None:
                continue
            speaker = self._subject_actor(verb, reading, here)
            target = self._actor(addressee, reading.memory, here.offset)
            if not (speaker and target and speaker.country and target.country) or _same(speaker, target):
                continue
            negated = any(c.dep_ == "neg" for c in command.children)
            code = "100" if negated else cues()["command"].get(command.lemma_.lower(), "020")
            entry = LexEntry(command.lemma_.lower(), "V", None, None, None, code,
                             "mechanism: quoted command (extract/data/cues.tsv command)")
            said = Predicate(command, entry, "V", words=[command])
            out.extend(replace(e, rule=f"mechanism:command({command.lemma_.lower()})") for e in self._events(
                reading, here, said, Roles([speaker], "speaker", [target], "addressee",
                                           mod=Modality("asserted", "quoted command", speech=verb))))
        return out

    # -- roles ------------------------------------------------------------
    def _source_tokens(self, pred: Predicate):
        if pred.pos == "V":
            return args.verb_subject(pred.token)
        if pred.pos == "A":
            return args.adjective_subject(pred.token)
        if pred.carrier is not None:
            own = [c for c in pred.token.children if c.dep_ == "poss" and c.pos_ != "PRON"]
            if own:  # "stressing the EU's commitment": the EU's, not the communiqué signer's
                return args.conjuncts(own[0]), "poss"
            if pred.carrier.lemma_.lower() not in cues()["bystander"]:  # "described the meeting": not theirs
                toks, rule = args.verb_subject(pred.carrier)
                if toks:
                    return toks, f"{rule} of {pred.carrier.lemma_}"
        return args.noun_subject(pred.token)

    def _forces_move(self, pred: Predicate, sources: list[Actor], targets: list[Actor]) -> bool:
        """Whether moving is an act of force: armed forces leaving or advancing, with no object or
        with a country ("ordered US forces to leave", "the SDF advanced along the Euphrates",
        "troops entered Syria"), or a state moving on a country ("the Americans must leave Syria")."""
        if not sources:
            return False
        country = bool(targets) and self.dictionary.is_state(targets[0].country)
        if sources[0].sector in ARMED_SECTORS:
            return country or not any(c.dep_ in ("dobj", "obj") for c in pred.token.children)
        return sources[0].sector == "GOV" and not sources[0].role and not sources[0].name and country

    def _target_options(self, pred: Predicate):
        """(tokens, rule) candidates for the target, best first; the first that resolves wins."""
        if pred.pos == "V":
            if pred.entry.obj:  # "held talks with X and Y": the event noun's own partners first
                for child in pred.token.children:
                    if child.dep_ in ("dobj", "obj") and pred.entry.obj in (child.lemma_.lower(), child.lower_):
                        owner = [c for c in child.children if c.dep_ == "poss" and c.pos_ == "PROPN"]
                        if owner:  # "did not ask Iraq's permission for US troops": Iraq is asked
                            yield args.conjuncts(owner[0]), f"poss of {child.lemma_}"
                        for toks, rule in args.noun_target_options(child):
                            yield toks, f"{rule} of {child.lemma_}"
            yield from args.verb_target_options(pred.token)
            if pred.entry.cameo[:2] in REFERRING_ROOTS:  # "will boycott the event, conceived by the US": the US's
                for child in pred.token.children:
                    if child.dep_ in ("dobj", "obj"):
                        for author in args.made_by(child):
                            yield args.conjuncts(author), f"author of {child.lemma_}"
            if pred.entry.cameo[:2] == "13":  # "threatened an offensive to dismantle Kurdish groups": whom it is for
                for child in pred.token.children:
                    if child.dep_ in ("xcomp", "advcl") and child.pos_ == "VERB":
                        for toks, rule in args.verb_target_options(child):
                            yield toks, f"{rule} of {child.lemma_}"
            if pred.entry.cameo[:2] in FORCE_ACTS:  # "advanced along the Euphrates, forcing Isis fighters to fall back"
                verb = pred.token  # the parser may hang the participle on the clause the act is in ("swelled as ...")
                after = [c for c in verb.head.children if c.i > verb.i] if verb.dep_ == "advcl" else []
                for child in [*verb.children, *after]:
                    if child.dep_ == "advcl" and child.tag_ == "VBG" and child.lemma_.lower() in cues()["causative"]:
                        objects = [c for c in child.children if c.dep_ in ("dobj", "obj")]
                        if objects:
                            yield args.conjuncts(objects[0]), f"dobj of {child.lemma_}"
            return
        yield from args.noun_target_options(pred.token)
        if pred.carrier is not None:
            for toks, rule in args.verb_target_options(pred.carrier):
                if pred.token not in toks:
                    yield toks, f"{rule} of {pred.carrier.lemma_}"

    def _perpetrator(self, pred: Predicate, reading: "Reading", here: "Sentence", source: Actor) -> Actor | None:
        """ "Ukraine's foreign minister called the attack a war crime": whoever carried out the attack
        the article last reported (within a few sentences), when the object is an act of force."""
        if not any(self._unclaimed_force(act) for act in _acted_on(pred)):
            return None
        for index, country in reversed(reading.force):
            if here.index - index > RECENT_SENTENCES:
                break
            if country != source.country:
                return Actor(text=f"(the act's perpetrator, sentence {index + 1})", country=country,
                             rule=f"perpetrator:sentence {index + 1}")
        return None

    def _owned_nouns(self, reading: "Reading", here: "Sentence"):
        """(lemma, owner) of the proposals and acts a sentence gives an owner ("Washington announced plans
        for a force", "Turkey's proposal"): what a later "the plan" may point back to."""
        anaphoric = cues().get("anaphoric", {})
        for noun in here.sent:
            if noun.pos_ != "NOUN":
                continue
            lemma = noun.lemma_.lower()
            if lemma not in anaphoric or _anaphoric(noun):
                continue
            owner = _owner_word(noun, ("compound", "nmod"))
            if owner is None and noun.dep_ in ("dobj", "obj") and noun.head.pos_ == "VERB":
                owner = next(iter(args.verb_subject(noun.head)[0]), None)
            actor = self._actor(owner, reading.memory, here.offset) if owner is not None else None
            if actor is not None and actor.country:
                yield lemma, actor

    def _author(self, pred: Predicate, reading: "Reading", here: "Sentence", source: Actor, evaluated) -> Actor | None:
        """ "Russia also opposed the plan", "any such move would be unacceptable": the plan or move is
        the one the article last gave an owner (within a few paragraphs), else the last other country's
        that the article reported acting (within a few sentences before)."""
        nouns = [noun for noun in ([evaluated] if evaluated is not None else _acted_on(pred)) if _anaphoric(noun)]
        if not nouns:
            return None
        lemma = nouns[0].lemma_.lower()
        for index, said, owner in reversed(reading.owned):
            if here.index - index > OWNED_SENTENCES:
                break
            if said == lemma and owner.country != source.country:  # "Washington announced plans ... the plan"
                return replace(owner, rule=f"{owner.rule}+author:the {lemma} of sentence {index + 1}")
        for at, actor in reversed(here.speakers):  # "X declared that ..., but the claim was disputed"
            if at < nouns[0].i and actor.country != source.country:
                return replace(actor, rule=f"{actor.rule}+author:this sentence")
        for index, actor in reversed(reading.acts):
            if here.index - index > RECENT_SENTENCES + 1:
                break
            if index < here.index and actor.country != source.country:  # a side's own plan is no dyad
                return replace(actor, rule=f"{actor.rule}+author:sentence {index + 1}")
        return None

    def _unclaimed_force(self, noun) -> bool:
        """ "the attack" (not "the Russian attack"): a noun of force whose doer the phrase leaves unsaid."""
        entry = self.lexicon.match(noun.lemma_.lower(), "N", (), (), ())
        return entry is not None and entry.cameo[:2] in FORCE_ACTS and not any(
            c.dep_ in ("poss", "amod", "compound") and c.pos_ in ("PROPN", "ADJ") for c in noun.children)

    def _subject_actor(self, verb, reading: "Reading", here: "Sentence") -> Actor | None:
        """The first actor among a verb's subjects ("Salih" of "Salih told Trump")."""
        return self._first_actor(args.verb_subject(verb)[0], reading, here)

    def _first_actor(self, tokens, reading: "Reading", here: "Sentence") -> Actor | None:
        return next((a for a in (self._actor(t, reading.memory, here.offset) for t in tokens) if a), None)

    @staticmethod
    def _distinct(actors, sources, hostile: bool = False) -> list[Actor]:
        """Resolved targets that are not the source itself."""
        return [a for a in actors if a and not any(_same(a, s, hostile) for s in sources)]

    def _actor(self, token, memory: ArticleActors, offset: int, exclude: str | None = None) -> Actor | None:
        apart = {t.i for c in token.children if c.dep_ == "poss" for t in c.subtree} \
            if memory.stands_apart(token) else ()  # "Assad's backers" are not Assad
        for tok in args.phrase_tokens(token):
            if tok.i in apart:
                continue
            actor = memory.resolve(tok, offset, exclude)
            if actor is not None and (actor.country or actor.sector or actor.name):
                return actor
        return None

    def _subtree_actor(self, pred, memory, offset, sources) -> Actor | None:
        """Last resort: the first actor inside the event's own phrase (not the source)."""
        own = {s.country for s in sources}
        skip = {t.i for c in pred.token.children if c.dep_ in OTHER_CLAUSES or (c.dep_ == "prep" and c.i < pred.token.i)
                for t in c.subtree}  # ... and fronted adjuncts: "For its part, the regime vowed"
        for token in pred.token.subtree:
            if token.i == pred.token.i or token.i in skip:
                continue
            if token.pos_ in ("PROPN", "NOUN") and token.dep_ not in ("compound",):
                actor = memory.resolve(token, offset)
                if actor and actor.country and actor.country not in own and not (actor.rule or "").startswith("place:"):
                    return actor  # a place named in passing ("met in Geneva") is where, not whom
        return None

    # -- coding -----------------------------------------------------------
    def _code(self, pred: Predicate, mod: Modality) -> str:
        """An intended, refused or demanded act is coded as the intent, rejection or demand."""
        code = pred.entry.cameo
        if mod.value == "demanded" and (mod.cue or "").lower() not in cues()["modal"]:
            return code  # "urged X to withdraw": the urging is its own event (an appeal), the act stays as is
        if mod.value == "intended" and code[:2] in THREAT_ROOTS and mod.speech is None:
            return code  # "Russia plans to attack": a plan reported by others is no threat made
        return modal_codes().get((mod.value, code[:2]), code)

    @staticmethod
    def _confidence(src_rule, tgt_rule, pred, mod) -> float:
        score = 0.35
        if src_rule:
            score += 0.25 if src_rule.split("<")[0].split(" ")[0] in ("nsubj", "agent-by", "poss") else 0.15
        if tgt_rule:
            score += 0.1 if tgt_rule in ("subtree",) else 0.2
        if pred.entry.obj or pred.entry.prep or pred.entry.particle:
            score += 0.1
        if pred.entry.cameo.startswith("01"):
            score -= 0.3
        score *= MODALITY_WEIGHT.get(mod.value, 1.0)  # an act only threatened or denied is less of an event
        word = pred.carrier or pred.token
        if word.dep_ in ("acl", "relcl") or _purpose(word):
            # "sanctions imposed on China", "the coalition fighting the Houthis": background;
            # "gave 350 million euros to promote investment": what the act is for, less than the act
            score *= 0.7
        return max(0.05, min(score, 0.99))

    def _accusations(self, events: list[Event]) -> list[Event]:
        """A speaker attributing a conflict act to another side accuses that side."""
        extra = []
        for event in events:
            speaker = event.speaker
            if (event.modality == "said" and event.quad_class == 4 and speaker and speaker.country
                    and speaker.sector not in BYSTANDERS  # residents telling what they saw are witnesses
                    and event.source and event.source.country and event.source.country != speaker.country):
                info = cameo(ACCUSE_CODE)
                event.modality = "alleged"
                extra.append(replace(
                    event, source=speaker, target=event.source, type=info.plover, mode=info.mode,
                    context=info.context, cameo=ACCUSE_CODE, goldstein=info.goldstein,
                    quad_class=info.quad_class, modality="asserted", speaker=None,
                    confidence=event.confidence * 0.9, rule="mechanism:accusation(speech+conflict)",
                    explain=event.explain + [f"accusation: {speaker.text} attributes '{event.predicate}' to {event.source.text}"],
                ))
        return extra


QUOTE_OPENERS = {'"', "“", "‘", "'", ":", "``"}  # what comes just before a quoted command


def _imperative(token) -> bool:
    """A command opening a quotation: a bare verb with no subject, first in the quote ("Leave Syria",
    "Don't overburden Iraq"), not a discourse imperative ("Let me be clear")."""
    if token.tag_ != "VB" or token.dep_ not in ("ccomp", "xcomp", "ROOT", "conj", "parataxis"):
        return False
    if cues()["command"].get(token.lemma_.lower()) == "-":
        return False
    kids = list(token.children)
    if any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in kids):
        return False
    if any(c.dep_ == "aux" and c.lower_ not in ("do",) for c in kids):
        return False  # "to leave", "will leave": no command
    first = min([token.i] + [c.i for c in kids if c.dep_ in ("aux", "neg") and c.i < token.i])
    return first > 0 and token.doc[first - 1].text in QUOTE_OPENERS


def _counterparts(events: list[Event]) -> list[Event]:
    """An event that names no target is aimed at its source's counterpart in the article: the country
    the same source acts on most often there ("Turkey threatened a full-scale offensive" in an article
    of Turkish acts on Syria; "their forces struck the Moskva" among Ukrainian acts on Russia). Marked
    in the target's rule and explanation, with a lower confidence; a source with no counterpart keeps none."""
    counts: dict[str, Counter] = {}
    for e in events:
        if e.source and e.target and e.source.country and e.target.country and e.target.country != e.source.country:
            counts.setdefault(e.source.country, Counter())[e.target.country] += 1
    out = []
    for e in events:
        seen = counts.get(e.source.country) if e.target is None and e.source and e.source.country else None
        if seen and e.confidence * COUNTERPART_WEIGHT >= COUNTERPART_FLOOR:  # a weak event gets no guessed target
            country, n = seen.most_common(1)[0]
            target = Actor(text=f"({country}: the source's counterpart here)", country=country,
                           rule=f"implicit:counterpart in this article ({n} event{'s' if n > 1 else ''})")
            e = replace(e, target=target, confidence=round(e.confidence * COUNTERPART_WEIGHT, 2),
                        explain=e.explain + [f"target: none named; {e.source.country} acts on {country} in {n} other "
                                             f"event{'s' if n > 1 else ''} of this article"])
        out.append(e)
    return out


def _purpose(verb) -> bool:
    """A to-infinitive of purpose on another verb ("provided aid to support refugees"), not its complement."""
    return args.purpose_clause(verb) and verb.head.pos_ in ("VERB", "AUX") and not any(
        c.dep_ in ("nsubj", "nsubjpass", "mark") for c in verb.children)


def _biography(verb) -> bool:
    """A past-tense relative clause on the subject of a verb of saying: it tells who the speaker is."""
    head = verb.head
    return verb.dep_ == "relcl" and verb.tag_ == "VBD" and head.dep_ in ("nsubj", "appos") and (
        is_speech(head.head.lemma_.lower()) or head.dep_ == "appos" and head.head.dep_ == "nsubj"
        and is_speech(head.head.head.lemma_.lower()))


def _former(actor: Actor) -> bool:
    """A registered office holder out of office on the article's date (actors/data/README.md)."""
    return "[out of office" in (actor.rule or "")


def _venue(actor: Actor) -> bool:
    """A capital or city named as a place: as the modifier of a meeting it is the venue."""
    return " capital " in (actor.rule or "") or (actor.rule or "").startswith("place")


def _governs(pred: Predicate) -> bool:
    """An intent word introducing an event ("ready to talk", "the threat of an invasion"); a noun of
    that kind with no event of its own is what someone is called ("the YPG is a terrorist threat")."""
    if not governs_event(pred.token):
        return False
    return pred.pos != "N" or any(c.dep_ in ("acl", "relcl", "xcomp", "ccomp") or c.dep_ == "prep" and c.lower_ == "of"
                                  for c in pred.token.children)


def _feels(token) -> bool:
    """ "satisfied", "pleased": an adjective of what its subject feels (cues.tsv experiencer)."""
    return token.lemma_.lower() in cues()["experiencer"] or token.lower_ in cues()["experiencer"]


def _volitional(verb) -> bool:
    """ "will not", "won't", "would not": a refusal, not a report that something did not happen."""
    return any(c.dep_ == "aux" and c.lower_ in WILL for c in verb.children)


def _acted_on(pred: Predicate) -> list:
    """What a predicate (or the verb carrying its noun) acts on: objects, passive subjects and
    prepositional objects ("called the attack a war crime", "opposed the plan")."""
    head = pred.carrier if pred.carrier is not None and pred.pos == "N" else pred.token
    nouns = [c for c in head.children if c.dep_ in ("dobj", "obj", "nsubjpass")]
    heads = [head, pred.token] if head is not pred.token else [head]  # "relayed concerns over the violence"
    return nouns + [g for h in heads for c in h.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]


def _anaphoric(noun) -> bool:
    """ "the plan", "such a move" (not "a plan", "Turkey's plan", "the US move"): another side's
    act the article has already told of."""
    if noun.lemma_.lower() not in cues().get("anaphoric", {}):
        return False
    definite = any(c.dep_ in ("det", "predet", "amod") and c.lower_ in DEFINITE for c in noun.children)
    return definite and _owner_word(noun) is None


def _owner_word(noun, modifiers=("compound", "amod", "nmod")):
    """The word saying whose the noun is: a possessor ("Turkey's plan"), or a named modifier among
    `modifiers` ("the US move", "the Turkish proposal")."""
    return next((c for c in noun.children if c.dep_ == "poss" or c.dep_ in modifiers and (
        c.pos_ == "PROPN" or c.ent_type_ in ("NORP", "GPE", "ORG"))), None)


def _clause_complement(token) -> bool:
    """ "determined to retake", "intent on preventing": the word introduces a clause."""
    return any(c.dep_ in ("xcomp", "ccomp") or c.dep_ == "prep" and any(g.dep_ == "pcomp" for g in c.children)
               for c in token.children)


LONG_RUNNING = re.compile(r"\b(?:\w+[- ])?(?:decades?|years?)[- ](?:long|old)\b|\b(?:\d+|two|three|four|five|six|"
                          r"seven|eight|nine|ten|several|many)[- ](?:decade|year)\b|\blong[- ]?(?:running|standing)\b",
                          re.IGNORECASE)


def _long_running(pred: Predicate) -> str | None:
    """ "a four-decade civil war", "the two-year-long detention": the words before the event noun
    (or the verb's object) that make it a lasting state rather than a new event, if any."""
    nouns = [pred.token] if pred.pos == "N" else [c for c in pred.token.children if c.dep_ in ("dobj", "obj")]
    for noun in nouns:
        before = " ".join(t.text for t in noun.subtree if t.i < noun.i)
        found = LONG_RUNNING.search(before.replace(" - ", "-"))
        if found:
            return found.group(0)
    return None


def _depth(token) -> int:
    depth = 0
    while token.head is not token and depth < 50:
        token, depth = token.head, depth + 1
    return depth


def _background(when, published: dt.date | None) -> bool:
    """An act the text dates well before publication is recalled history, not news."""
    if not (when.text and when.date and published) or when.precision == "published":
        return False
    return (published - dt.date.fromisoformat(when.date)).days > HISTORY_DAYS


def _localise(actor: Actor, home: str | None) -> Actor:
    """ "militants", "Kurdish fighters", "protesters": the country they act in."""
    if actor.country or not home or actor.sector not in LOCAL_SECTORS:
        return actor
    return replace(actor, country=home, rule=(actor.rule or "") + f"+local:{home}")


def _same(a: Actor, b: Actor, hostile: bool = False) -> bool:
    """One side, for coding purposes: same country and sector ("Sullivan" and "Washington's"),
    or the same country where one has no sector ("Russia" and "the Kremlin"). In a fight two
    differently named armed groups of one country are two sides even unnamed ("Kurdish fighters
    advanced against the militants")."""
    if a.country is None and b.country is None:
        return (a.name or a.text) == (b.name or b.text)
    if a.country == b.country and a.sector == b.sector and a.sector not in BODIES_OF_STATE \
            and (a.name or b.name or hostile):
        # two parties, rebel groups or companies of one country, one of them named, are two sides
        # ("the Tory co-chairman attacked Labour", "HTS fought the SDF"); a state's own organs are one
        return (a.name or a.text).lower() == (b.name or b.text).lower()
    # a state named without a sector ("Russia") is all of it, the Kremlin included
    return a.country == b.country and (a.sector == b.sector or not a.sector or not b.sector)


def _own_forces(source: Actor, target: Actor) -> bool:
    return target.country == source.country and target.sector == "MIL" and source.sector != "MIL"


def _show(actor: Actor | None) -> str:
    if actor is None:
        return "-"
    return f"'{actor.text}' = {actor.code}" + (f" ({actor.rule})" if actor.rule else "")


def _dedupe(events: list[Event]) -> list[Event]:
    best: dict[tuple, Event] = {}
    for event in events:
        key = (event.trigger, event.cameo, event.source.code if event.source else None,
               event.target.code if event.target else None)
        if key not in best or event.confidence > best[key].confidence:
            best[key] = event
    return sorted(best.values(), key=lambda e: (e.trigger or (0, 0)))


def code_articles(
    articles: Iterable[Article],
    model: str = "sm",
    dictionary: ActorDictionary | None = None,
    on_error: Callable[[Article, Exception], None] | None = None,
    statements: bool = False,
    placed_only: bool = True,
) -> Iterator[Event]:
    """Code a stream of articles; one bad article goes to `on_error` (or raises when None).

    `statements=True` also codes bare public statements ("X said", CAMEO 01x, no PLOVER
    type) when what they introduce is no event of its own. `placed_only=False` also codes
    events whose source has no country (an unnamed "leader", "forces").
    """
    coder = Coder(dictionary, statements, placed_only)
    for article, paragraphs in parse_articles(articles, model):
        try:
            events = coder.code(article, paragraphs)
        except Exception as err:  # one article never stops a batch when a handler is given
            if on_error is None:
                raise
            on_error(article, err)
            continue
        yield from events


def code_text(text: str, published: dt.date | str | None = None, model: str = "sm",
              statements: bool = False, placed_only: bool = True) -> list[Event]:
    """The whole coder in one call: text in, events out."""
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    article = Article(id=Article.make_id(text), text=text, published=published)
    return list(code_articles([article], model, statements=statements, placed_only=placed_only))
