"""Organisations a text names by an acronym it never spells out: "the VVD", "D66 and the CDA",
"ZANU-PF". Its readers know them; no gazetteer holds every party, union and armed group.

An acronym is an actor when the text writes it at least twice, is not a known name already,
and is not one of the acronyms of measures, currencies, titles and the like that political and
economic texts use (NOT_ACTORS), nor a small Roman numeral, nor a unit after a number
("150 MW").
"""

from __future__ import annotations

import re
from collections.abc import Container

from accord.draft.found import Found

# two to six capitals and digits, a letter first, with one hyphenated part ("PML-N"); a lone
# letter takes two digits or more ("D66", "M23", not "Q3" or "G7")
ACRONYM = re.compile(r"(?<![\w'’-])([A-Z](?:[A-Z][A-Z0-9]{0,4}|[0-9]{2,4})"
                     r"(?:-[A-Z][A-Z0-9]{0,4})?)(?![\w-]|['’](?!s\b))")  # "the VVD's" too
# "World War II", "Leo XIV": the small Roman numerals ("MDC" is a party, not 1600)
ROMAN = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")
AFTER_NUMBER = re.compile(r"\d[\d.,]*\s*$")
NOT_ACTORS = frozenset("""
    GDP GNP GNI CPI PPI FDI ODA LNG LPG CO2 GHG CEO CFO COO CTO MP MPS PM DG AI IT ID IDS TV PR
    HQ VAT EEZ USD EUR GBP JPY CNY RMB CHF AM BC AD NB PS FAQ PDF URL KM KG MW GW KW KWH MWH GWH
    TWH BPD BBL UAV UAVS ICBM IED IEDS COVID HIV AIDS PPE PPP SME SMES ESG IPO OK TBC TBD ETA
    AFP AP BBC CNN UPI DPA ANSA EFE TASS RIA CBS NBC ABC NPR SKY PDT EDT GMT UTC CET EST PST
    NGO NGOS MOU MOUS FTA FTAS WMD WMDS ISDS QC KC NDA RFP USB GPS SMS
""".split())


def bare_acronyms(text: str, known: Container[str]) -> list[Found]:
    """The organisations named by such acronyms, in order of first mention."""
    seen: dict[str, list[int]] = {}
    for m in ACRONYM.finditer(text):
        word = m.group(1)
        if AFTER_NUMBER.search(text[max(0, m.start() - 12):m.start()]):
            continue
        seen.setdefault(word, []).append(m.start())
    out = []
    for word, at in seen.items():
        if (len(at) < 2 or word in NOT_ACTORS or ROMAN.fullmatch(word) or word in known
                or word.title() in known):  # "PANAMA" in a dateline is Panama
            continue
        found = Found(word.lower().replace("-", "_"), word, "organisation", first=at[0],
                      strong=True)
        for a in at:
            found.saw(word, a, True)
        out.append(found)
    return out
