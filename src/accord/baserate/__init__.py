"""The outside view: reference classes of historical negotiations and their base rates.

`datasets` reads the official files (UCDP Peace Agreements, PA-X, ICB) into cases, `classes`
defines each reference class on them, `build` estimates the shipped tables (Kaplan–Meier with
lifelines; build time only), `tables` reads those tables at run time (JSON and NumPy only),
`hazard` turns a class's curve into an event's monthly hazards, `evaluate` scores a class
out of sample.
"""
