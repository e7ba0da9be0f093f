"""The defaults every layer shares (engines, CLI, dashboard), written once.

A module of constants that imports nothing, so the CLI can read them without importing the
engines (start-up time).
"""

DEFAULT_PATHS = 20_000  # Monte Carlo paths of a run
DEFAULT_SEED = 20250403  # every command's --seed default
