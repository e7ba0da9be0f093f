"""Checked records: the scenario's classes are plain dataclasses that pydantic v2 validates
when they are built from data.

A scenario found in the cache (accord.scenario.cache) is unpickled into these classes, and a
forecast never validates: it never imports pydantic, whose import alone took a sixth of an
`accord forecast` when the classes were pydantic models.

How pydantic sees a record:
- a `TypeAdapter` per class, made on first use (`adapter`), with the class's
  `__pydantic_config__` (unknown fields are errors);
- the fields' constraints are in their annotations, which name pydantic's markers (`Field`,
  `AfterValidator`, `BeforeValidator`, `Discriminator`, `Tag`). The annotations are strings
  (`from __future__ import annotations`) that pydantic resolves in the record's module; the
  markers are bound there when the first adapter is made (`MARKERS`), so importing a record
  module costs no pydantic;
- checks across a record's fields are its `__post_init__`: they hold however it is built;
- a class's shorthand (a bare number for a parameter) is its `expand_shorthand`, run on the
  data before the fields are validated, wherever the class is a field's type.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import sys
import typing
from typing import Any, ClassVar, TypeVar

R = TypeVar("R", bound="Strict")
MARKERS = ("AfterValidator", "BeforeValidator", "Discriminator", "Field", "Tag")


class Strict:
    """A record pydantic checks. Subclasses are `@dataclass(kw_only=True)` records; the
    methods are pydantic's names for what a record is asked."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}
    modules: ClassVar[set[str]] = set()  # where records are defined: the markers go there

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        Strict.modules.add(cls.__module__)

    @classmethod
    def model_validate(cls: type[R], data: object) -> R:
        """The record of `data`; pydantic's ValidationError lists every problem."""
        return adapter(cls).validate_python(data)

    def model_copy(self: R, *, update: dict[str, Any] | None = None, deep: bool = False) -> R:
        """A copy (of every nested record too, if `deep`) with the fields in `update`."""
        out = copy.deepcopy(self) if deep else copy.copy(self)
        return dataclasses.replace(out, **update) if update else out

    def model_dump(self, **options: Any) -> dict[str, Any]:
        """Plain data (pydantic's `dump_python` options: mode, by_alias, exclude_none, ...)."""
        return adapter(type(self)).dump_python(self, **options)

    @classmethod
    def model_json_schema(cls, **options: Any) -> dict[str, Any]:
        return adapter(cls).json_schema(**options)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """The class's schema, after `expand_shorthand` where the class has one. The wrapper
        takes the class's reference from the schema it wraps, so that pydantic, meeting the
        class again in another field, reuses the wrapper rather than the bare schema."""
        schema = handler(source)
        read = getattr(cls, "expand_shorthand", None)
        if read is None:
            return schema
        from pydantic_core import core_schema

        inner = dict(schema)
        ref = inner.pop("ref", None)
        return core_schema.no_info_before_validator_function(read, inner, ref=ref)


@functools.cache
def adapter(cls: type[Any]) -> Any:
    """pydantic's TypeAdapter of a record class (pydantic is imported here, once)."""
    import pydantic

    markers = {name: getattr(pydantic, name) for name in MARKERS}
    for module in Strict.modules:
        vars(sys.modules[module]).update(markers)
    return pydantic.TypeAdapter(cls)


def fields_of(cls: type[Any]) -> dict[str, tuple[str, Any]]:
    """Each field of a record class: the name it is written under (its alias, else its name)
    and its type, constraints included (`Annotated`)."""
    adapter(cls)  # binds the markers its annotations name
    hints = typing.get_type_hints(cls, include_extras=True)
    out = {}
    for f in dataclasses.fields(cls):
        tp = hints[f.name]
        alias = next((m.alias for m in getattr(tp, "__metadata__", ())
                      if getattr(m, "alias", None)), None)
        out[f.name] = (alias or f.name, tp)
    return out
