"""Bargaining models by name: every model is ``predict(table) -> Prediction``."""

from __future__ import annotations

from collections.abc import Callable

from accord.bargaining import compromise, eum, nash, smp, weighted_median
from accord.bargaining.prediction import Prediction
from accord.bargaining.table import IssueTable
from accord.errors import UserError

Model = Callable[[IssueTable], Prediction]

MODELS: dict[str, Model] = {
    "compromise": compromise.predict,
    "weighted_median": weighted_median.predict,
    "nash": nash.predict,
    "eum": eum.predict,
    "smp": smp.predict,
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
