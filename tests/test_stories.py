"""Stories: duplicate reports merged across articles and outlets, distinct events kept apart."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest

from tocsin.analysis.stories import StoryOptions, build_stories, jaccard, shingles
from tocsin.model import Actor, Article, Event
from tocsin.store import Store
from tocsin.store.stories import StoryStore

_serial = itertools.count()
ACTORS = {"RUS": "Russian forces", "UKR": "Ukraine", "BLR": "Belarus", "USA": "Washington", "NATO": "NATO"}


def report(evidence: str, outlet: str, day: str, source="RUS", target="UKR", type_="ASSAULT", cameo="190",
           quad=4, goldstein=-10.0, modality="asserted", published: str | None = None, events: int = 1):
    """One article (a headline) from one outlet with `events` events of the given key."""
    serial = next(_serial)
    article = Article(id=f"{outlet}:{serial}", text=evidence, title=evidence, outlet=outlet,
                      published=dt.date.fromisoformat(published or day), origin=f"{outlet}.csv:{serial}")
    key = article.key
    made = [Event(article_id=key, sentence_index=0, evidence=evidence, span=(0, len(evidence)),
                  source=Actor(ACTORS.get(source, source), country=source) if source else None,
                  target=Actor(ACTORS.get(target, target), country=target) if target else None,
                  type=type_, mode=None, context=None, cameo=cameo, goldstein=goldstein, quad_class=quad,
                  modality=modality, date=day, date_precision="day", confidence=0.8, rule="test",
                  trigger=(i, i + 1)) for i in range(events)]
    return key, article, made


def write(store: Store, *reports) -> None:
    store.write(list(reports))


@pytest.fixture
def store():
    with Store(":memory:") as s:
        yield s


def stories_of(store) -> list[dict]:
    return StoryStore(store).stories().to_dict("records")


def test_shingles_drop_actor_words_and_stem():
    a = shingles("Russian troops shelled Kharkiv, killing five", set(shingles("Russia")))
    b = shingles("Russia shells Kharkiv; five killed", set(shingles("Russia")))
    assert "russia" not in a and "russia" not in b
    assert {"shell", "kharki", "five"} <= a & b
    assert jaccard(a, b) >= 0.5
    assert jaccard(a, shingles("Missiles hit the port of Odesa")) == 0.0


def test_duplicates_across_outlets_merge_into_one_story(store):
    write(store,
          report("Russian forces shell Kharkiv, killing five civilians", "bbc.co.uk", "2022-03-01"),
          report("Russia shelling of Kharkiv kills five civilians", "aljazeera.com", "2022-03-01"),
          report("Five civilians killed as Russian forces shell Kharkiv", "cnn.com", "2022-03-02",
                 published="2022-03-03"),
          report("Russian forces shell Kharkiv: five civilians killed", "bbc.co.uk", "2022-03-01", events=2))
    built = build_stories(store)
    assert (built.stories, built.events, built.merged) == (1, 5, 4)
    (story,) = stories_of(store)
    assert (story["n_events"], story["n_articles"], story["n_outlets"]) == (5, 4, 3)
    assert (story["source_country"], story["target_country"], story["kind"], story["quad_class"]) == (
        "RUS", "UKR", "ASSAULT", 4)
    assert str(story["first_date"])[:10] == "2022-03-01" and str(story["last_date"])[:10] == "2022-03-02"
    assert str(story["first_report"])[:10] == "2022-03-01" and str(story["last_report"])[:10] == "2022-03-03"
    assert "Kharkiv" in story["evidence"]
    assert len(StoryStore(store).members()) == 5


def test_distinct_events_on_the_same_day_stay_apart(store):
    day = "2022-03-01"
    write(store,
          report("Russian forces shell Kharkiv, killing five civilians", "bbc.co.uk", day),
          report("Russian missiles hit the port of Odesa", "bbc.co.uk", day),  # dissimilar evidence
          report("Russian forces shell Kharkiv, killing five civilians", "cnn.com", day, type_="COERCE",
                 cameo="171"),  # another type
          report("Russian forces shell Kharkiv, killing five civilians", "cnn.com", day, target="BLR"),  # another dyad
          report("Russian forces shell Kharkiv, killing five civilians", "rt.com", day, source="UKR",
                 target="RUS"),  # the reverse direction
          report("Russian forces shell Kharkiv, killing five civilians", "rt.com", "2022-03-06"))  # out of window
    assert build_stories(store).stories == 6
    assert all(s["n_events"] == 1 for s in stories_of(store))


def test_window_counts_from_the_first_report(store):
    text = "Russian forces shell Kharkiv, killing five civilians"
    write(store, report(text, "a", "2022-03-01"), report(text, "b", "2022-03-03"), report(text, "c", "2022-03-04"))
    assert build_stories(store).stories == 2
    assert build_stories(store, rebuild=True, options=StoryOptions(window_days=3)).stories == 1


def test_excluded_modalities_and_cameo_root_kind(store):
    write(store,
          report("Russia denies shelling Kharkiv", "a", "2022-03-01", modality="denied"),
          report("Russia says talks with Ukraine will go on", "a", "2022-03-01", type_=None, cameo="010",
                 quad=1, goldstein=0.0),
          report("Russia says talks with Ukraine will continue", "b", "2022-03-01", type_=None, cameo="010",
                 quad=1, goldstein=0.0))
    built = build_stories(store)
    assert (built.stories, built.events) == (1, 2)
    (story,) = stories_of(store)
    assert story["kind"] == "CAMEO01" and story["type"] is None
    assert StoryStore(store).dirty_keys(["asserted", "said", "alleged"]) == []


def test_incremental_build_matches_a_full_one_and_follows_replaced_articles(store):
    text = "Russian forces shell Kharkiv, killing five civilians"
    write(store, report(text, "a", "2022-03-01"), report("Belarus closes its border with Ukraine", "a",
                                                            "2022-03-01", source="BLR", type_="RESTRICT",
                                                            cameo="172", quad=4, goldstein=-5.0))
    assert build_stories(store).stories == 2
    again = build_stories(store)
    assert (again.full, again.keys, again.stories) == (False, 0, 0)
    write(store, report(text, "b", "2022-03-02"))
    step = build_stories(store)
    assert (step.full, step.keys, step.stories, step.events) == (False, 1, 1, 2)
    incremental = sorted((s["id"], s["n_events"]) for s in stories_of(store))
    build_stories(store, rebuild=True)
    assert sorted((s["id"], s["n_events"]) for s in stories_of(store)) == incremental
    # the source "b:…" now has another text: its old article and event go, and the story shrinks
    replaced = report("Kharkiv residents return to school", "b", "2022-03-02", type_="AID", cameo="070", quad=2,
                      goldstein=7.0)
    key, article, events = replaced
    article.id = [s for s in store.sources()["source_id"] if s.startswith("b:")][0]
    write(store, (article.key, article, [Event.from_dict({**e.to_dict(), "article_id": article.key})
                                         for e in events]))
    build_stories(store)
    kinds = {s["kind"]: s["n_events"] for s in stories_of(store)}
    assert kinds == {"ASSAULT": 1, "RESTRICT": 1, "AID": 1}
    assert set(StoryStore(store).members()) == set(store.events()["id"])


def test_changed_options_rebuild_everything(store):
    text = "Russian forces shell Kharkiv, killing five civilians"
    write(store, report(text, "a", "2022-03-01"), report("Russia shells Kharkiv", "b", "2022-03-01"))
    assert build_stories(store, options=StoryOptions(similarity=0.9)).stories == 2
    rebuilt = build_stories(store, options=StoryOptions(similarity=0.2))
    assert rebuilt.full and rebuilt.stories == 1
