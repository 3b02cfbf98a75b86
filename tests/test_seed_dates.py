"""The seed's event dates through the real pipeline (issue: when and where)."""
import datetime as dt

import pytest

from tocsin import code_articles
from tocsin.ingest.plain import read_path


@pytest.fixture(scope="module")
def events(shared):
    [article] = read_path(str(shared("seed", "russia-nato-talks.txt")), dt.date(2021, 12, 16))
    return list(code_articles([article]))


def in_sentence(events, phrase):
    return [e for e in events if phrase in e.evidence]


def test_ushakov_sullivan_call_is_wednesday(events):
    [call] = [e for e in in_sentence(events, "confirmed the telephone call") if e.cameo.startswith("04")]
    assert (call.date, call.date_precision, call.date_text) == ("2021-12-15", "day", "on Wednesday")


def test_peskov_remarks_are_dated_the_day_of_publication(events):
    remarks = in_sentence(events, "prepared to hold consultations")
    assert remarks and all(e.date == "2021-12-16" for e in remarks)


def test_biden_putin_video_call_is_the_week_before(events):
    [meeting] = [e for e in in_sentence(events, "Biden and Putin met") if e.type == "CONSULT"]
    assert meeting.date_precision == "week" and meeting.date == "2021-12-06" and meeting.date_text == "last week"


def test_places_and_dates_in_every_event(events):
    for event in events:
        assert event.date is not None and event.date_precision in ("day", "week", "month", "year", "published")
    build_up = [e for e in in_sentence(events, "military build-up") if e.type == "MOBILIZE"]
    assert build_up and build_up[0].place is not None and build_up[0].place.country == "UKR"
