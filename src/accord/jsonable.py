"""JSON has no NaN or infinity (strict parsers and PostgreSQL's JSONB refuse them): as null."""

from __future__ import annotations

import math
from typing import Any


def finite(obj: Any) -> Any:
    """The same document with every non-finite float replaced by None."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [finite(v) for v in obj]
    return obj
