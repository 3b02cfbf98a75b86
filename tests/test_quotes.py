"""The quotation tracker (tocsin.extract.quotes): who speaks in a quotation that runs on."""
from tocsin.extract.quotes import QuoteTracker, inside_after


def read(tracker, sentences):
    """[(text, new paragraph, spoke, speaker)] -> [(quoted?, speaker at start)] per sentence."""
    out = []
    for text, new, spoke, speaker in sentences:
        quoted = tracker.start(text, new)
        out.append((quoted, tracker.speaker if quoted else None))
        tracker.finish(spoke, speaker)
    return out


def test_quote_marks_open_and_close():
    assert inside_after("\u201cWe will fight", False) and not inside_after("\u201cWe will fight,\u201d she said", False)
    assert inside_after('"We will', False) and not inside_after('"We will," he said', False)
    assert not inside_after("Russia's forces", False)  # an apostrophe is no quotation mark


def test_a_quotation_continued_over_paragraphs_keeps_its_speaker():
    got = read(QuoteTracker(), [
        ("Ahmed said: \u201cAny attempt will be an occupation.", True, True, "Ahmed"),
        ("\u201cWe saw this in Afrin last year.", True, False, None),
        ("Huge massacres have been committed by the Turks.\u201d", False, False, None),
        ("The Turkish army denied it.", True, False, None),
    ])
    assert got == [(False, None), (True, "Ahmed"), (True, "Ahmed"), (False, None)]


def test_a_new_attribution_replaces_the_speaker_even_when_unresolved():
    got = read(QuoteTracker(), [
        ("\u201cOur patience is not limitless,\u201d Erdogan said.", True, True, "Erdogan"),
        ("Ahmed said: \u201cAfter all that has happened, we will fight.", False, True, None),
        ("\u201cIt will mean very big wars.", True, False, None),
    ])
    assert got[2] == (True, None)  # Ahmed's quotation, and Ahmed is no one known: not Erdogan's


def test_a_paragraph_that_opens_no_quotation_ends_it():
    got = read(QuoteTracker(), [
        ("She said: \u201cWe will fight", True, True, "Ahmed"),
        ("Turkey has massed troops on the border.", True, False, None),
    ])
    assert got[1] == (False, None)


def test_quoted_at_tells_words_inside_the_marks():
    tracker = QuoteTracker()
    text = "\u201cWe will fight,\u201d she said."
    tracker.start(text, True)
    assert tracker.quoted_at(text.index("fight")) and not tracker.quoted_at(text.index("said"))
