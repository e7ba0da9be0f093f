"""Names that stand for a state: its names, capital and demonym (from countryinfo's data).

Only what the gazetteer lacks is written here: common abbreviations, seats of government
used for their state ("the Kremlin"), and international organisations.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

# What policy writing abbreviates that the gazetteer lists only as ISO codes, or lacks.
ABBREVIATIONS = {"US": "USA", "U.S.": "USA", "USA": "USA", "UK": "GBR", "U.K.": "GBR",
                 "UAE": "ARE", "PRC": "CHN", "DPRK": "PRK", "ROK": "KOR", "America": "USA",
                 "Britain": "GBR"}
# adjectives the gazetteer's demonyms miss
ADJECTIVES = {"Saudi": "SAU", "Philippine": "PHL", "Emirates": "ARE", "Bosnian": "BIH",
              "Herzegovinian": "BIH", "Kosovan": "XKX", "Sahrawi": "ESH"}
# states the gazetteer lacks: key -> (name, capital, demonym)
EXTRA_STATES = {"XKX": ("Kosovo", "Pristina", "Kosovar")}
SEATS = {"Kremlin": "RUS", "White House": "USA", "State Department": "USA",
         "Pentagon": "USA", "Downing Street": "GBR", "Whitehall": "GBR", "Élysée": "FRA",
         "Elysee": "FRA", "Quai d'Orsay": "FRA", "Bundestag": "DEU", "Knesset": "ISR",
         "Tel Aviv": "ISR", "Zhongnanhai": "CHN", "Kiev": "UKR", "Delhi": "IND"}
# capitals that are also common given names or surnames: as a lone word they name no state
AMBIGUOUS_CAPITALS = {"Stanley", "Hamilton", "Victoria", "Kingston", "Plymouth", "The Valley",
                      "Road Town", "Adamstown", "Georgetown"}
# (id, name, surface forms): the organisations a negotiation often involves; first the
# international bodies, mediators more often than sides
BODIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("eu", "European Union", ("European Union", "EU", "E.U.", "European Commission",
                              "European Council", "Brussels")),
    ("un", "United Nations", ("United Nations", "UN", "U.N.", "Security Council")),
    ("nato", "NATO", ("NATO", "North Atlantic Treaty Organization")),
    ("osce", "OSCE", ("OSCE", "Organization for Security and Co-operation in Europe",
                      "Minsk Group")),
    ("african_union", "African Union", ("African Union", "AU")),
    ("asean", "ASEAN", ("ASEAN", "Association of Southeast Asian Nations")),
    ("imf", "International Monetary Fund", ("International Monetary Fund", "IMF")),
    ("world_bank", "World Bank", ("World Bank",)),
    ("wto", "World Trade Organization", ("World Trade Organization", "WTO")),
    ("ecowas", "ECOWAS", ("ECOWAS", "Economic Community of West African States")),
    ("iaea", "IAEA", ("IAEA", "International Atomic Energy Agency")),
    ("arab_league", "Arab League", ("Arab League",)),
    ("gcc", "Gulf Cooperation Council", ("Gulf Cooperation Council", "GCC")),
    ("csto", "CSTO", ("CSTO", "Collective Security Treaty Organization")),
    ("sco", "Shanghai Cooperation Organisation", ("Shanghai Cooperation Organisation",
                                                   "Shanghai Cooperation Organization")),
    ("brics", "BRICS", ("BRICS",)),
    ("opec", "OPEC", ("OPEC", "OPEC+")),
    ("icc", "International Criminal Court", ("International Criminal Court", "ICC")),
    ("icj", "International Court of Justice", ("International Court of Justice", "ICJ")),
    ("council_of_europe", "Council of Europe", ("Council of Europe",)),
    ("igad", "IGAD", ("IGAD",)),
    ("mercosur", "Mercosur", ("Mercosur",)),
    ("g7", "G7", ("G7", "G-7")),
    ("g20", "G20", ("G20", "G-20")),
    ("eaeu", "Eurasian Economic Union", ("Eurasian Economic Union", "EAEU")),
    ("oas", "Organization of American States", ("Organization of American States", "OAS")),
    ("icrc", "International Committee of the Red Cross", (
        "International Committee of the Red Cross", "Red Cross", "ICRC")),
)
# armed movements: sides to a conflict, not bodies of states
MOVEMENTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("hamas", "Hamas", ("Hamas",)),
    ("hezbollah", "Hezbollah", ("Hezbollah",)),
    ("taliban", "Taliban", ("Taliban",)),
    ("houthis", "Houthis", ("Houthis", "Houthi", "Ansar Allah")),
)
ORGANISATIONS = BODIES + MOVEMENTS


@dataclass(frozen=True)
class Country:
    key: str  # ISO alpha-3 where there is one
    name: str


@dataclass(frozen=True)
class Gazetteer:
    countries: dict[str, Country]
    names: dict[str, str]  # surface form -> country key (names, abbreviations, seats)
    capitals: dict[str, str]
    demonyms: dict[str, list[str]]  # one demonym may fit several states


def fold(s: str) -> str:
    """Without accents: 'Türkiye' and 'Turkiye' are one name."""
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _usable(form: str) -> bool:
    """A written name, not an ISO code, an inverted index form or another script."""
    return (any(c.islower() for c in form) and ", " not in form
            and all(ord(c) < 0x250 for c in form) and form[:1].isupper())


def _forms(info: dict) -> list[str]:
    forms = [info.get("name", "")] + list(info.get("altSpellings") or [])
    native = info.get("nativeName")
    if isinstance(native, str):
        forms.append(native)
    forms = [re.sub(r"^[Tt]he ", "", f).strip() for f in forms if isinstance(f, str)]
    return [f for f in forms if f and _usable(f)]


def _add(index: dict[str, str], form: str, key: str) -> None:
    index.setdefault(form, key)
    index.setdefault(fold(form), key)


@cache
def gazetteer() -> Gazetteer:
    import countryinfo

    countries: dict[str, Country] = {}
    names: dict[str, str] = {}
    capitals: dict[str, list[str]] = {}
    demonyms: dict[str, list[str]] = {}
    population: dict[str, float] = {}
    for c in countryinfo.all_countries():
        info = c.info()
        key = (info.get("ISO") or {}).get("alpha3") or str(info.get("name", ""))
        if not key or not info.get("name"):
            continue
        countries.setdefault(key, Country(key, info["name"]))
        pop = info.get("population")
        population[key] = max(population.get(key, 0.0), float(pop or 0))
        for form in _forms(info):
            _add(names, form, key)
        cap = info.get("capital")
        if isinstance(cap, str) and cap and cap not in AMBIGUOUS_CAPITALS:
            capitals.setdefault(cap, []).append(key)
            if fold(cap) != cap:  # "Bogota" for "Bogotá"
                capitals.setdefault(fold(cap), []).append(key)
            if cap.endswith(" D.C."):
                capitals.setdefault(cap.removesuffix(" D.C."), []).append(key)
        dem = info.get("demonym")
        for d in dem.split(",") if isinstance(dem, str) else []:
            if d.strip() and key not in demonyms.get(d.strip(), []):
                demonyms.setdefault(d.strip(), []).append(key)
    for key, (name, cap, dem) in EXTRA_STATES.items():
        countries.setdefault(key, Country(key, name))
        _add(names, name, key)
        capitals.setdefault(cap, []).append(key)
        demonyms.setdefault(dem, []).append(key)
    for adj, key in ADJECTIVES.items():
        demonyms[adj] = [key]
    for table in (ABBREVIATIONS, SEATS):
        for form, key in table.items():
            names[form] = key
    for keys in demonyms.values():  # the most populous first: "American" is the USA's
        keys.sort(key=lambda k: -population.get(k, 0.0))
    lone = {cap: keys[0] for cap, keys in capitals.items() if len(set(keys)) == 1}
    return Gazetteer(countries, names, lone, demonyms)
