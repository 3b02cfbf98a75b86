"""The store: migrations, atomic batches, idempotence, replacement, filters, the ingest pipeline."""
from __future__ import annotations

import datetime as dt

import pytest

from tocsin.ingest.workers import ingest
from tocsin.model import Actor, Article, Event, Place, Skipped
from tocsin.store import Store, StoreError
from tocsin.store.schema import MIGRATIONS, migrate


def make_article(source_id: str, text: str, published=dt.date(2022, 3, 1), **kw) -> Article:
    return Article(id=source_id, text=text, title=text.split("\n")[0], published=published,
                   origin=f"{source_id}.txt", **kw)


def make_event(key: str, index: int, cameo="190", quad=4, type_="ASSAULT", source=("RUS", "MIL"),
               target=("UKR", None), modality="asserted", date="2022-02-28", evidence="Russian troops shelled Kharkiv.",
               place=None) -> Event:
    return Event(
        article_id=key, sentence_index=index, evidence=evidence, span=(index * 10, index * 10 + len(evidence)),
        source=Actor("Russian troops", country=source[0], sector=source[1]) if source else None,
        target=Actor("Ukraine", country=target[0], sector=target[1]) if target else None,
        type=type_, mode=None, context="military", cameo=cameo, goldstein=-10.0, quad_class=quad,
        modality=modality, date=date, place=place, confidence=0.8, rule="lex:shell",
        predicate="shelled", trigger=(index * 10, index * 10 + 7), explain=["made by hand"],
    )


def coded(article: Article, *events_args) -> tuple[str, Article, list[Event]]:
    key = article.key
    return key, article, [make_event(key, i, **kw) for i, kw in enumerate(events_args)]


@pytest.fixture
def store():
    with Store(":memory:") as s:
        yield s


def test_migrations_are_named_recorded_and_applied_once(store, tmp_path):
    names = [name for name, _ in MIGRATIONS]
    assert names[:2] == ["0001_initial", "0002_stories"]
    assert store.migrations() == names
    assert migrate(store.conn) == []
    extra = MIGRATIONS + [("9999_note", ["CREATE TABLE notes (id INTEGER)"])]
    assert migrate(store.conn, extra) == ["9999_note"]
    assert store.migrations() == names + ["9999_note"]
    with pytest.raises(StoreError, match="does not know"):
        migrate(store.conn)  # a database from a newer tocsin
    with pytest.raises(StoreError, match="no store"):
        Store(tmp_path / "missing.duckdb", read_only=True)


def test_write_is_idempotent(store):
    batch = [coded(make_article("a", "Title A\nBody."), {}, {"cameo": "042", "quad": 1, "type_": "CONSULT"})]
    first = store.write(batch, skipped=[Skipped("bad.txt", "empty article")])
    assert (first.articles, first.events) == (1, 2)
    again = store.write(batch, skipped=[Skipped("bad.txt", "empty article")])
    assert (again.articles, again.events) == (0, 0)
    assert store.counts() == {"articles": 1, "sources": 1, "events": 2, "actors": 4, "skipped": 1}
    assert store.skipped()["times"].tolist() == [2]


def test_changed_text_replaces_events(store):
    store.write([coded(make_article("a", "Title\nOld text."), {}, {"cameo": "042"})])
    new = make_article("a", "Title\nNew text.")
    written = store.write([coded(new, {"cameo": "112", "quad": 3})])
    assert written.removed == 1
    events = store.events()
    assert events["cameo"].tolist() == ["112"]
    assert set(events["article_id"]) == {new.key}
    assert store.counts()["articles"] == 1 and store.counts()["actors"] == 2


def test_shared_text_is_kept_while_another_source_has_it(store):
    article = make_article("a", "Same text\nBody.")
    key, _, events = coded(article, {})
    store.write([(key, article, events)], links=[(key, make_article("b", article.text))])
    assert store.counts()["sources"] == 2
    store.write([coded(make_article("a", "Changed\nBody."), {})])  # a changed; b still has the old text
    assert store.counts()["articles"] == 2
    store.write([coded(make_article("b", "Changed too\nBody."), {})])
    assert store.counts()["articles"] == 2  # the old text is gone: no source has it now
    assert store.article_text(key) is None


def test_same_source_twice_in_one_batch_keeps_the_last(store):
    batch = [coded(make_article("a", "First\nBody."), {}), coded(make_article("a", "Second\nBody."), {})]
    store.write(batch)
    assert store.counts()["articles"] == 1
    assert store.articles()["title"].tolist() == ["Second"]


def test_lookup(store):
    article = make_article("a", "T\nB.")
    key = article.key
    assert store.lookup([("a", key)]) == (set(), set())
    store.write([coded(article, {})])
    assert store.lookup([("a", key), ("b", key)]) == ({key}, {("a", key)})


def test_filters(store):
    kharkiv = Place("Kharkiv", "UKR", 49.99, 36.23, feature="city")
    store.write([
        coded(make_article("a", "A\nx", published=dt.date(2022, 3, 1)),
              {"place": kharkiv},
              {"cameo": "036", "quad": 1, "type_": "CONSULT", "source": ("UKR", "GOV"), "target": ("RUS", "GOV"),
               "modality": "said", "date": None, "evidence": "Kyiv said it was ready to talk."}),
        coded(make_article("b", "B\ny", published=dt.date(2022, 5, 1)),
              {"cameo": "1721", "quad": 4, "type_": "COERCE", "date": "2022-04-30"}),
    ])
    count = lambda **f: len(store.events(**f))  # noqa: E731
    assert count() == 3
    assert count(source="RUS") == 2 and count(source="RUSMIL") == 2 and count(source="RUSGOV") == 0
    assert count(source=["UKR", "RUS"]) == 3
    assert count(source="RUS", target="UKR", type="assault", quad=4) == 1
    assert count(cameo="17") == 1 and count(cameo=["19", "03"]) == 2
    assert count(quad=[1, 4]) == 3
    assert count(since="2022-03-01", until="2022-03-01") == 1  # no event date: the publication date
    assert count(since=dt.date(2022, 4, 1)) == 1
    assert count(modality="said") == 1
    assert count(text="ready KYIV") == 1 and count(text="ready Moscow") == 0
    assert count(text="50%_'; drop table events; --") == 0 and store.counts()["events"] == 3
    assert count(article="a") == 2
    assert count(limit=1) == 1
    frame = store.events(source="RUS", quad=4)
    assert {"source_country", "target_country", "cameo", "event_date", "place_name"} <= set(frame.columns)
    assert frame["place_name"].dropna().tolist() == ["Kharkiv"]
    assert len(store.actors(source="UKR")) == 2


def test_events_round_trip_exactly(store):
    article = make_article("a", "A\nx")
    key, _, events = coded(article, {}, {"cameo": "042", "quad": 1})
    store.write([(key, article, events)])
    assert [e.to_dict(explain=True) for e in store.iter_events()] == [e.to_dict(explain=True) for e in events]
    assert store.events()["id"].tolist() == [e.id for e in events]


def test_failed_batch_rolls_back(store):
    article = make_article("a", "A\nx")
    key, _, events = coded(article, {})
    bad = make_article("b", "B\ny")
    with pytest.raises(Exception):
        store.write([(key, article, events), (bad.key, bad, [object()])])  # not an Event
    assert store.counts() == {"articles": 0, "sources": 0, "events": 0, "actors": 0, "skipped": 0}


# -- the pipeline, coding in this process (workers=0) ------------------------
SPEECH = "Russia attacks Ukraine\n\nRussian troops attacked Ukrainian positions near Kharkiv on Monday, officials said."


def test_ingest_idempotent_and_replacing(store):
    items = [make_article("one", SPEECH), make_article("two", "Talks\n\nFrance and Germany held talks in Paris."),
             make_article("dup", SPEECH), Skipped("broken.jsonl", "malformed JSON", 3)]
    first = ingest(items, store, workers=0)
    assert (first.read, first.coded, first.linked, len(first.skipped)) == (3, 2, 1, 1)
    counts = store.counts()
    assert counts["articles"] == 2 and counts["sources"] == 3 and counts["events"] == first.events > 0
    again = ingest(items, store, workers=0)
    assert (again.coded, again.unchanged, again.events) == (0, 3, 0)
    assert store.counts() == counts
    changed = ingest([make_article("two", "Talks\n\nFrance and Germany signed a deal in Paris.")], store, workers=0)
    assert changed.coded == 1 and changed.replaced == 1
    assert store.counts()["articles"] == 2
    assert store.events(article="two")["evidence"].str.contains("signed").all()
