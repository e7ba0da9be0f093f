"""`accord draft`: from a text to a first scenario that validates and runs.

Deterministic and offline: sentences (pysbd), gazetteers (countryinfo), fuzzy matching
(rapidfuzz) and dates (dateparser). Every element quotes the text; every number the text does
not give is a wide, labelled default for the analyst to review. Entry point: `accord.draft.build`.
"""
