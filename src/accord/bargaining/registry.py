"""Bargaining models by name: every model is ``predict(table) -> Prediction``; models that work
across the issues of a group (the exchange model) also have ``predict_group(tables)``."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from accord.bargaining import compromise, eum, exchange, nash, options, smp, weighted_median
from accord.bargaining.prediction import Prediction
from accord.bargaining.table import FloatArray, IssueTable
from accord.errors import UserError

Model = Callable[[IssueTable], Prediction]
GroupModel = Callable[[Sequence[IssueTable]], list[Prediction]]

MODELS: dict[str, Model] = {
    "compromise": compromise.predict,
    "weighted_median": weighted_median.predict,
    "nash": nash.predict,
    "eum": eum.predict,
    "smp": smp.predict,
    "exchange": exchange.predict,
    "exchange_random": exchange.predict_random,
    "options": options.predict,
    "nearest_option": options.predict_nearest,
}

# The issue forecast shown first (console, report, pages): the model nested cross-validation picks
# most often on the DEU dev half (67 of 100 training sets; CV MAE 22.30 ± 1.79 against
# compromise's 23.72 ± 1.67; docs/models/bargaining.md). The other models stay one option
# (`--models`) away.
FORECAST_MODEL = "nearest_option"

# Models that solve many one-dimensional tables at once, as arrays (tables × actors) of
# positions, saliences and capabilities → one outcome per table: what the event process asks
# of the issue model when events change the table (accord.process.settlements).
BatchModel = Callable[[FloatArray, FloatArray, FloatArray], FloatArray]
BATCH_MODELS: dict[str, BatchModel] = {"compromise": compromise.batch}

GROUP_MODELS: dict[str, GroupModel] = {
    "exchange": exchange.predict_group,
    "exchange_random": exchange.predict_group_random,
}


def get_model(name: str) -> Model:
    """The model called ``name``; a UserError listing the known names otherwise."""
    try:
        return MODELS[name]
    except KeyError:
        raise UserError.at(
            f"unknown model '{name}'; known models: {', '.join(MODELS)} (or 'all')",
            field="model",
        ) from None


def resolve(name: str) -> list[str]:
    """Model names for a --model value: one name, or every model for 'all'."""
    if name == "all":
        return list(MODELS)
    get_model(name)
    return [name]


def predict_tables(
    name: str, tables: Sequence[IssueTable], groups: dict[str, str] | None = None
) -> list[Prediction]:
    """Model ``name`` on every table, in order; a group model sees each group's tables together
    (``groups``: issue → group; without it every table is alone)."""
    model = get_model(name)
    if name not in GROUP_MODELS or groups is None:
        return [model(t) for t in tables]
    members: dict[str, list[int]] = {}
    for k, t in enumerate(tables):
        members.setdefault(groups.get(t.issue, t.issue), []).append(k)
    out: list[Prediction | None] = [None] * len(tables)
    for idx in members.values():
        group = [tables[k] for k in idx]
        if len(group) == 1 or any(t.n_dims != 1 for t in group):
            preds = [model(t) for t in group]
        else:
            preds = GROUP_MODELS[name](group)
        for k, p in zip(idx, preds, strict=True):
            out[k] = p
    return [p for p in out if p is not None]
