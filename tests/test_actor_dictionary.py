"""The shipped actor dictionaries and their lookup API (tocsin.actors.dictionary)."""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from tocsin.actors.dictionary import ActorDictionary
from tocsin.actors.normalize import normalize

SHARED = Path(os.environ.get("TOCSIN_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
SEED_DAY = dt.date(2021, 12, 16)


@pytest.fixture(scope="module")
def d() -> ActorDictionary:
    return ActorDictionary.load()


# ---- the seed article ---------------------------------------------------------------------
# Mentions whose referent only the in-document resolver can know (pronouns, descriptions).
RESOLVER_ONLY = {"He", "the US-led military bloc", "the bloc", "the eastern European nation"}


def resolve_simply(d: ActorDictionary, mention: str, on: dt.date) -> tuple[str | None, str | None]:
    """What the dictionary alone says about a mention: name, seat, person, or adjective + agent."""
    entry = d.lookup(mention, on) or d.person(mention, on)
    if entry is not None:
        return entry.country, entry.sector
    words = normalize(mention).split()
    country = d.adjective_country(words[0]) if words else None
    rest = words[1:]
    if country is None:
        found = d.longest_match(words, 0, on)
        if found is not None:
            end, entry = found
            country, rest = entry.country, words[end:]
    agent = d.agent(" ".join(rest)) if rest else None
    return country, agent[0] if agent else None


def seed_mentions():
    path = SHARED / "seed" / "expected-actors.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("row", seed_mentions() or [pytest.param(None, marks=pytest.mark.skip("no shared/"))],
                         ids=lambda row: row["mention"] if row else "absent")
def test_seed_mentions(d, row):
    expected_countries = row["country"] if isinstance(row["country"], list) else [row["country"]]
    expected_sectors = row["sector"] if isinstance(row.get("sector"), list) else [row.get("sector")]
    if row["mention"] in RESOLVER_ONLY:
        pytest.skip("pronoun or description: the resolver's job")
    if row["mention"] == "the diplomatic representative":
        assert d.agent("diplomatic representative")[0] == "GOV"
        return
    country, sector = resolve_simply(d, row["mention"], SEED_DAY)
    assert country in expected_countries, row
    if row.get("sector"):
        assert sector in expected_sectors, row


def test_seed_people_roles(d):
    assert d.person("Dmitry Peskov", SEED_DAY).role == "spokesperson of the President"
    assert d.person("Sergey Ryabkov", SEED_DAY).role == "Deputy Foreign Minister"
    assert d.person("Yuri Ushakov", SEED_DAY).role == "presidential aide"
    assert d.person("Jake Sullivan", SEED_DAY).role == "national security advisor"
    assert d.person("Maria Zakharova", SEED_DAY).role == "Foreign Ministry spokesperson"
    assert d.lookup("Joe Biden", SEED_DAY).role == "President"
    assert d.agent("intelligence service")[0] == "SPY"
    assert d.agent("Russian Foreign Ministry spokeswoman") == ("GOV", "Foreign Ministry spokesperson")


# ---- normalisation ------------------------------------------------------------------------
@pytest.mark.parametrize("a,b", [
    ("Côte d'Ivoire", "Cote d\u2019Ivoire"), ("U.S.", "US"), ("Türkiye", "Turkiye"),
    ("the Kremlin's", "Kremlin"), ("al-Qaeda", "Al Qaeda"), ("Guinea–Bissau", "guinea bissau"),
    ("Yıldırım", "yildirim"), ("Russians\u2019", "russians"),
])
def test_normalize_equivalences(a, b):
    assert normalize(a) == normalize(b)


@pytest.mark.parametrize("phrase,code", [
    ("Côte d'Ivoire", "CIV"), ("Cote d'Ivoire", "CIV"), ("Ivory Coast", "CIV"), ("U.S.", "USA"),
    ("the United States", "USA"), ("America", "USA"), ("Türkiye", "TUR"), ("Turkey", "TUR"),
    ("Ukraine's", "UKR"), ("Ukraine \u2019s", "UKR"), ("Burma", "MMR"), ("Czechia", "CZE"),
    ("Czech Republic", "CZE"), ("Holland", "NLD"), ("the UK", "GBR"), ("Great Britain", "GBR"),
    ("Britain", "GBR"), ("DPRK", "PRK"), ("Republic of Korea", "KOR"), ("Russian Federation", "RUS"),
    ("UAE", "ARE"), ("Kosovo", "XKX"), ("Palestine", "PSE"), ("Taiwan", "TWN"), ("Saudi", "SAU"),
    ("Democratic Republic of the Congo", "COD"), ("Eswatini", "SWZ"), ("Swaziland", "SWZ"),
])
def test_state_names(d, phrase, code):
    entry = d.lookup(phrase)
    assert entry is not None and entry.country == code and entry.kind == "state" and entry.sector is None


def test_case_sensitive_acronyms(d):
    assert d.lookup("US").country == "USA"
    assert d.lookup("us") is None
    assert d.lookup("WHO").country == "WHO" and d.lookup("who") is None
    assert d.lookup("IS").country == "IMG" and d.lookup("is") is None
    assert d.lookup("Amnesty").country == "AMN" and d.lookup("amnesty") is None


@pytest.mark.parametrize("city,code", [
    ("Kyiv", "UKR"), ("Kiev", "UKR"), ("Moscow", "RUS"), ("Washington", "USA"), ("Beijing", "CHN"),
    ("London", "GBR"), ("Paris", "FRA"), ("Berlin", "DEU"), ("Tehran", "IRN"), ("Ankara", "TUR"),
    ("Damascus", "SYR"), ("Baghdad", "IRQ"), ("Jerusalem", "ISR"), ("Ramallah", "PSE"),
    ("Pyongyang", "PRK"), ("Seoul", "KOR"), ("Tokyo", "JPN"), ("New Delhi", "IND"),
    ("Islamabad", "PAK"), ("Kabul", "AFG"), ("Minsk", "BLR"), ("Caracas", "VEN"),
])
def test_capitals_stand_for_government(d, city, code):
    entry = d.lookup(city)
    assert (entry.country, entry.sector, entry.kind) == (code, "GOV", "capital")


def test_brussels_is_the_eu(d):
    assert d.lookup("Brussels").country == "EU"


# ---- seats, organisations, collectives ------------------------------------------------------
@pytest.mark.parametrize("phrase,code,sector", [
    ("the Kremlin", "RUS", "GOV"), ("The White House", "USA", "GOV"), ("the Pentagon", "USA", "MIL"),
    ("State Department", "USA", "GOV"), ("Foggy Bottom", "USA", "GOV"), ("Downing Street", "GBR", "GOV"),
    ("No 10", "GBR", "GOV"), ("No. 10", "GBR", "GOV"), ("the Elysée", "FRA", "GOV"),
    ("Quai d'Orsay", "FRA", "GOV"), ("Zhongnanhai", "CHN", "GOV"), ("the Bundestag", "DEU", "LEG"),
    ("the Knesset", "ISR", "LEG"), ("Capitol Hill", "USA", "LEG"), ("the State Duma", "RUS", "LEG"),
    ("Bankova", "UKR", "GOV"), ("the Verkhovna Rada", "UKR", "LEG"), ("Lubyanka", "RUS", "SPY"),
    ("the FSB", "RUS", "SPY"), ("the SBU", "UKR", "SPY"), ("the CIA", "USA", "SPY"),
    ("the FBI", "USA", "COP"), ("the IDF", "ISR", "MIL"), ("the Blue House", "KOR", "GOV"),
    ("MI6", "GBR", "SPY"), ("Mossad", "ISR", "SPY"), ("the IRGC", "IRN", "MIL"),
])
def test_seats(d, phrase, code, sector):
    entry = d.lookup(phrase)
    assert (entry.country, entry.sector) == (code, sector), entry


@pytest.mark.parametrize("phrase,code,sector", [
    ("NATO", "NATO", "IGO"), ("Nato", "NATO", "IGO"), ("North Atlantic Treaty Organization", "NATO", "IGO"),
    ("the Atlantic alliance", "NATO", "IGO"), ("European Union", "EU", "IGO"), ("the EU", "EU", "IGO"),
    ("European Parliament", "EU", "LEG"), ("the UN", "UN", "IGO"), ("U.N. Security Council", "UN", "IGO"),
    ("UNHCR", "UNHCR", "IGO"), ("UNICEF", "UNICEF", "IGO"), ("IAEA", "IAEA", "IGO"),
    ("OSCE", "OSCE", "IGO"), ("African Union", "AU", "IGO"), ("ASEAN", "ASEAN", "IGO"),
    ("the Arab League", "ARL", "IGO"), ("G7", "G7", "IGO"), ("G-20", "G20", "IGO"),
    ("IMF", "IMF", "IGO"), ("World Bank", "WB", "IGO"), ("ICC", "ICC", "IGO"), ("ICJ", "ICJ", "IGO"),
    ("Red Cross", "ICRC", "NGO"), ("Médecins Sans Frontières", "MSF", "NGO"),
    ("Doctors Without Borders", "MSF", "NGO"), ("Amnesty International", "AMN", "NGO"),
    ("Human Rights Watch", "HRW", "NGO"), ("ISIS", "IMG", "REB"), ("Daesh", "IMG", "REB"),
    ("al-Qaida", "IMG", "REB"), ("Hamas", "PSE", "REB"), ("Hezbollah", "LBN", "REB"),
    ("the Houthis", "YEM", "REB"), ("SDF", "SYR", "REB"), ("PKK", "TUR", "REB"), ("YPG", "SYR", "REB"),
    ("Wagner Group", "RUS", "UAF"), ("Boko Haram", "NGA", "REB"), ("al-Shabaab", "SOM", "REB"),
])
def test_organisations(d, phrase, code, sector):
    entry = d.lookup(phrase, SEED_DAY)
    assert (entry.country, entry.sector) == (code, sector), entry


def test_taliban_change_with_the_date(d):
    assert d.lookup("Taliban", dt.date(2020, 1, 1)).sector == "REB"
    assert d.lookup("the Taliban", dt.date(2021, 8, 15)).sector == "GOV"
    assert d.lookup("Taliban", dt.date(2023, 1, 1)).country == "AFG"


@pytest.mark.parametrize("phrase,code,sector", [
    ("the West", "WST", None), ("Western nations", "WST", None), ("Western officials", "WST", "GOV"),
    ("European allies", "EUR", None), ("Europe", "EUR", None), ("the Gulf states", "GCC", None),
])
def test_collectives(d, phrase, code, sector):
    entry = d.lookup(phrase)
    assert (entry.country, entry.sector, entry.kind) == (code, sector, "collective")


# ---- adjectives and agents ------------------------------------------------------------------
@pytest.mark.parametrize("word,code", [
    ("Russian", "RUS"), ("Russians", "RUS"), ("Ukrainian", "UKR"), ("American", "USA"),
    ("Americans", "USA"), ("British", "GBR"), ("Britons", "GBR"), ("Iraqi", "IRQ"), ("Iraqis", "IRQ"),
    ("Western", "WST"), ("European", "EUR"), ("Israeli", "ISR"), ("Palestinian", "PSE"),
    ("Chinese", "CHN"), ("French", "FRA"), ("German", "DEU"), ("Turkish", "TUR"), ("Syrian", "SYR"),
    ("Iranian", "IRN"), ("North Korean", "PRK"), ("Dutch", "NLD"), ("Filipino", "PHL"), ("Kurdish", None),
])
def test_adjective_country(d, word, code):
    assert d.adjective_country(word) == code


@pytest.mark.parametrize("phrase,sector,role", [
    ("spokesman", "GOV", "spokesperson"), ("spokeswoman", "GOV", "spokesperson"),
    ("troops", "MIL", None), ("army", "MIL", "army"), ("soldiers", "MIL", None), ("forces", "MIL", None),
    ("police", "COP", "police"), ("rebels", "REB", None), ("insurgents", "REB", None),
    ("militants", "REB", None), ("protesters", "OPP", None), ("demonstrators", "OPP", None),
    ("parliament", "LEG", "parliament"), ("lawmakers", "LEG", "lawmaker"), ("MPs", "LEG", "MP"),
    ("senator", "LEG", "Senator"), ("court", "JUD", "court"), ("judge", "JUD", "judge"),
    ("prosecutor", "JUD", "prosecutor"), ("intelligence agency", "SPY", "intelligence agency"),
    ("spy agency", "SPY", "intelligence agency"), ("foreign minister", "GOV", "Foreign Minister"),
    ("defense minister", "GOV", "Defence Minister"), ("president", "GOV", "President"),
    ("prime minister", "GOV", "Prime Minister"), ("officials", "GOV", "official"),
    ("national security adviser", "GOV", "national security advisor"), ("leader", "GOV", "leader"),
    ("opposition", "OPP", "opposition"), ("journalists", "MED", None), ("company", "BUS", None),
    ("students", "EDU", None), ("doctors", "HLH", None), ("refugees", "REF", None),
    ("party", "POL", "party"), ("gunmen", "UAF", None), ("militia", "UAF", None),
    ("Kremlin official", "GOV", "official"), ("police spokesman", "COP", "police spokesperson"),
    ("Defense Ministry spokesman", "GOV", "Defence Ministry spokesperson"),
    ("battle trucks", "MIL", None), ("tanks", "MIL", None), ("armoured vehicles", "MIL", None),
    ("think tank", "NGO", None), ("think tanks", "NGO", None),
])
def test_agents(d, phrase, sector, role):
    assert d.agent(phrase) == (sector, role)


def test_agent_unknown(d):
    assert d.agent("banana") is None and d.agent("") is None


# ---- people and dates -----------------------------------------------------------------------
def test_biden_by_date(d):
    assert (d.lookup("Joe Biden", dt.date(2022, 1, 1)).country, d.lookup("Joe Biden", dt.date(2022, 1, 1)).sector) == ("USA", "GOV")
    out = d.person("Biden", dt.date(2019, 6, 1))
    assert out.country == "USA" and out.sector != "GOV" and out.role == "former Vice President"
    assert d.person("Biden", dt.date(2025, 6, 1)).sector == "ELI"


def test_trump_two_terms(d):
    assert d.person("Donald Trump", dt.date(2018, 1, 1)).sector == "GOV"
    assert d.person("Trump", dt.date(2022, 1, 1)).sector == "ELI"
    assert d.person("Trump", dt.date(2025, 1, 20)).sector == "GOV"
    assert d.person("Trump", dt.date(2025, 1, 19)).sector == "ELI"


def test_person_changes_office(d):
    assert d.person("Putin", dt.date(2010, 1, 1)).role == "Prime Minister"
    assert d.person("Putin", SEED_DAY).role == "President"
    stoltenberg = d.person("Jens Stoltenberg", SEED_DAY)
    assert (stoltenberg.country, stoltenberg.sector) == ("NATO", "IGO")
    assert d.person("Stoltenberg", dt.date(2010, 1, 1)).country == "NOR"
    assert d.person("Rutte", dt.date(2025, 1, 1)).country == "NATO"
    assert d.person("Charles III", dt.date(2020, 1, 1)).sector is None  # not yet King


@pytest.mark.parametrize("name,code,sector", [
    ("Sergei Lavrov", "RUS", "GOV"), ("Sergey Lavrov", "RUS", "GOV"), ("Antony Blinken", "USA", "GOV"),
    ("Volodymyr Zelenskyy", "UKR", "GOV"), ("Zelensky", "UKR", "GOV"), ("Dmytro Kuleba", "UKR", "GOV"),
    ("Xi Jinping", "CHN", "GOV"), ("Xi", "CHN", "GOV"), ("Emmanuel Macron", "FRA", "GOV"),
    ("Olaf Scholz", "DEU", "GOV"), ("Boris Johnson", "GBR", "GOV"), ("Recep Tayyip Erdoğan", "TUR", "GOV"),
    ("Naftali Bennett", "ISR", "GOV"), ("Ebrahim Raisi", "IRN", "GOV"), ("Kim Jong-un", "PRK", "GOV"),
    ("Narendra Modi", "IND", "GOV"), ("Lula", "BRA", "ELI"), ("Mohammed bin Salman", "SAU", "GOV"),
    ("Antonio Guterres", "UN", "IGO"), ("Ursula von der Leyen", "EU", "IGO"),
    ("Josep Borrell", "EU", "IGO"), ("Valery Gerasimov", "RUS", "MIL"), ("Mark Milley", "USA", "MIL"),
    ("William Burns", "USA", "SPY"), ("Bashar al-Assad", "SYR", "GOV"), ("Hassan Nasrallah", "LBN", "REB"),
    ("Fumio Kishida", "JPN", "GOV"), ("Moon Jae-in", "KOR", "GOV"), ("Cyril Ramaphosa", "ZAF", "GOV"),
    ("Justin Trudeau", "CAN", "GOV"), ("Scott Morrison", "AUS", "GOV"), ("Joko Widodo", "IDN", "GOV"),
    ("Jokowi", "IDN", "GOV"), ("Alberto Fernández", "ARG", "GOV"), ("Andrés Manuel López Obrador", "MEX", "GOV"),
    ("AMLO", "MEX", "GOV"), ("Mario Draghi", "ITA", "GOV"), ("Rafael Grossi", "IAEA", "IGO"),
    ("Tedros", "WHO", "IGO"), ("Nancy Pelosi", "USA", "LEG"), ("Alexei Navalny", "RUS", "OPP"),
])
def test_people_on_seed_day(d, name, code, sector):
    entry = d.person(name, SEED_DAY)
    assert entry is not None and (entry.country, entry.sector) == (code, sector), entry


def test_ambiguous_surnames_give_none(d):
    for surname in ("Kim", "Singh", "Khan", "Sharif", "Lee"):
        assert d.person(surname, SEED_DAY) is None, surname
    assert d.lookup("Putin") is None  # lone surnames are person()'s business only


def test_shared_surname_in_office(d):
    """person() stays None for a shared surname; person_in_office() names the one holding an office."""
    assert d.person("Johnson", dt.date(2022, 4, 9)) is None
    entry = d.person_in_office("Johnson", dt.date(2022, 4, 9))
    assert entry.name == "Boris Johnson" and (entry.country, entry.sector) == ("GBR", "GOV")
    assert d.person_in_office("Putin", SEED_DAY) is None  # not shared: person() answers it
    assert d.person_in_office("Nosuchname", SEED_DAY) is None


def test_former_office_holders(d):
    """A former state office holder is ELI; a former leader of an armed group or party stays in it."""
    laden = d.person("Osama bin Laden", dt.date(2019, 1, 1))
    assert (laden.country, laden.sector, laden.current) == ("IMG", "REB", False)
    assert laden.role.startswith("former ")
    assert d.person("Trump", dt.date(2022, 1, 1)).current is False
    assert d.person("Putin", SEED_DAY).current is True
    assert [o.role for o in d.offices("Viktor Yushchenko")] == ["President", "Prime Minister"]


def test_states_and_suffixes(d):
    assert d.is_state("FRA") and d.is_state("XKX")
    assert not d.is_state("NATO") and not d.is_state("IMG") and not d.is_state(None)
    assert d.suffix("chief") == "chief" and d.suffix("members") == "member" and d.suffix("general") is None
    assert d.agent("special forces members") == ("MIL", "special forces member")
    assert d.lookup("State") is None  # "Borno State", a broken "Islamic State": not the State Department


def test_rule_explains(d):
    entry = d.lookup("Vladimir Putin", SEED_DAY)
    assert entry.rule == "people.tsv:Vladimir Putin (2012-05-07\u2013)"
    assert d.lookup("the Kremlin").rule == "seats.tsv:Kremlin"
    assert d.lookup("Russia").rule == "countries.tsv:RUS name"


# ---- longest_match ----------------------------------------------------------------------------
def test_longest_match(d):
    words = ["the", "United", "States", "of", "America", "said", "on", "Monday"]
    end, entry = d.longest_match(words, 1)
    assert end == 5 and entry.country == "USA"
    end, entry = d.longest_match(["Ukraine", "'s", "intelligence", "service"])
    assert end == 2 and entry.country == "UKR"
    end, entry = d.longest_match(["North", "Atlantic", "Treaty", "Organization", "members"])
    assert end == 4 and entry.country == "NATO"
    assert d.longest_match(["Russian", "President", "Vladimir", "Putin"], 2, SEED_DAY)[0] == 4
    assert d.longest_match(["said", "the", "minister"]) is None


# ---- overrides ----------------------------------------------------------------------------------
def test_yaml_override_adds_person_and_alias(tmp_path):
    path = tmp_path / "actors.yaml"
    path.write_text(
        "people:\n"
        "  - name: Jane Doe\n    aliases: [J. Doe]\n    country: GBR\n    sector: GOV\n"
        "    role: Home Secretary\n    start: 2024-07-05\n"
        "organisations:\n  - name: Example Front\n    aliases: [EF]\n    country: SYR\n    sector: REB\n"
        "aliases:\n  \"the Elysée Palace\": {country: FRA, sector: GOV}\n"
        "agents:\n  border service: {sector: COP}\n",
        encoding="utf-8",
    )
    d = ActorDictionary.load(extra=path)
    assert d.person("Doe", dt.date(2025, 1, 1)).role == "Home Secretary"
    assert d.lookup("Jane Doe", dt.date(2024, 1, 1)).sector is None  # before her start
    assert (d.lookup("EF").country, d.lookup("EF").sector) == ("SYR", "REB")
    assert d.lookup("Elysee Palace").country == "FRA"
    assert d.agent("border service") == ("COP", None)
    assert ActorDictionary.load().person("Jane Doe") is None  # the cached default is untouched


@pytest.mark.parametrize("text,needle", [
    ("people: [\n", "cannot read"),
    ("- just a list\n", "expected a mapping"),
    ("peeple: []\n", "unknown keys"),
    ("people:\n  - name: X\n", "missing 'country'"),
    ("people:\n  - name: X\n    country: gbr\n", "upper-case"),
    ("people:\n  - name: X\n    country: GBR\n    start: yesterday\n", "not an ISO date"),
    ("organisations:\n  - name: X\n    country: SYR\n    aliases: 3\n", "list of strings"),
])
def test_bad_yaml_names_file_and_problem(tmp_path, text, needle):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as err:
        ActorDictionary.load(extra=path)
    assert str(path) in str(err.value) and needle in str(err.value)


# ---- the data itself -------------------------------------------------------------------------
def test_data_sizes(d):
    states = {i for i in d._rows if i.startswith("countries:")}
    people = {i for i in d._rows if i.startswith("people:")}
    assert len(states) >= 249 and {"countries:PSE", "countries:XKX", "countries:TWN"} <= states
    assert sum(len(d._rows[i]) for i in people) >= 300
    assert len(d._agents) >= 300


def test_no_phrase_names_two_states(d):
    clashes = {key for key, hits in d._keys.items() if len({i for _, i in hits if i.startswith("countries:")}) > 1}
    assert clashes == set()


def test_people_rows_are_well_formed(d):
    for identity, rows in d._rows.items():
        for row in rows:
            assert row.start is None or row.end is None or row.start < row.end, identity
            if identity.startswith("people:"):
                assert row.entry.country and row.entry.sector, identity


def test_loads_once():
    # load speed is a benchmark figure (bench/throughput.py), never a timed unit test
    ActorDictionary._cached = None
    assert ActorDictionary.load() is ActorDictionary.load()
