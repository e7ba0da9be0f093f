"""The builder in the JSON API, for scripts: create a scenario (blank, a copy, or drafted from a
text), and add, change or delete its actors, issues, events and questions. Each change goes through
accord.web.builder (validated by accord's loader; refused, with its problems, when it brings
one) and is written to the workspace file only when accepted.

POST   /api/scenarios                               {"file", "start": blank|copy|text, ...}
POST   /api/scenarios/{id}/{actors|issues|events|questions}           an item
PATCH  /api/scenarios/{id}/{actors|issues|events|questions}/{item}    {"fields": {key: value}}
DELETE /api/scenarios/{id}/{actors|issues|events|questions}/{item}    (?force=true: even if named)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.convertors import Convertor, register_url_convertor

from accord.errors import Problem, UserError
from accord.web import builder, items, schemas
from accord.web.context import Context
from accord.web.drafting import DraftRequest, draft_scenario
from accord.web.overlays import rename_in_overlays
from accord.web.security import has_token
from accord.web.workspace import text_hash

Scalar = str | float | int | bool | None
Name = Field(min_length=1, max_length=500)


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CreateRequest(Closed):
    file: str = Field(max_length=100, description="the new file's name in the workspace (.yaml)")
    start: Literal["blank", "copy", "text"] = Field(
        "blank", description="blank: title, as_of, horizon; copy: of `copy_of`; text: drafted "
        "from `text` (accord draft)")
    title: str | None = Field(None, max_length=500)
    as_of: dt.date | None = Field(None, description="blank: required; text: default from it")
    horizon: int = Field(24, ge=1, le=600, description="months to forecast from as_of")
    copy_of: str | None = Field(None, max_length=1000, description="a scenario's id")
    text: str | None = Field(None, max_length=1_000_000, description="an article's text")


class ActorIn(Closed):
    name: str = Name
    id: str | None = Field(None, max_length=64, description="default: made from the name")
    capability: str | float = Field("50", description="0.2, U(0.1, 0.3), Beta(2, 8), ...")
    assumption: str | None = Field(None, max_length=2000, description="why the number")
    aliases: list[str] = Field(default_factory=list, max_length=50)


class EventIn(Closed):
    name: str = Name
    id: str | None = Field(None, max_length=64, description="default: made from the name")
    how: Literal["monthly chance", "one-time chance", "on a date", "repeatable"]
    probability: str | float | None = Field(None, description="not for 'on a date'")
    date: dt.date | None = Field(None, description="for 'on a date'")
    requires: str = Field("", max_length=2000, description="a condition: accord's grammar")
    assumption: str | None = Field(None, max_length=2000, description="why the probability")


class StanceIn(Closed):
    position: str | float = Field(description="where the actor wants it, on the issue's scale")
    salience: str | float = Field(description="how much it cares, 0-1")


class IssueIn(Closed):
    name: str = Name
    id: str | None = Field(None, max_length=64, description="default: made from the name")
    min: float = 0.0
    max: float = 100.0
    min_means: str | None = Field(None, max_length=500)
    max_means: str | None = Field(None, max_length=500)
    status_quo: str | float | None = None
    positions: dict[str, StanceIn] = Field(description="actor id → stance (two or more)")
    assumption: str | None = Field(None, max_length=2000, description="why the numbers")


class QuestionIn(Closed):
    event: str = Field(min_length=1, max_length=64)
    by: dt.date
    text: str = Name
    id: str | None = Field(None, max_length=64, description="default: made from event and date")
    criteria: str | None = Field(None, max_length=2000)


class ItemPatch(Closed):
    fields: dict[str, Scalar | list[str]] = Field(
        description="file-format keys to set (null removes one); a number as text ('0.2', "
        "'U(0.1, 0.3)') keeps its evidence; a new 'id' renames every reference")


class BuildOut(Closed):
    """A change accepted and saved: the scenario's validation after it."""

    id: str = Field(description="the scenario")
    item: str | None = Field(None, description="the item's id (after the change)")
    problems: list[str] = Field(description="what `accord validate` still finds")
    warnings: list[str]


ERRORS = schemas.errors(400, 404, 409, 422)


class AnyPath(Convertor[str]):
    """{ref:path} that also matches a reference with a line break (a JSON 400, not the
    dashboard's HTML 404)."""

    regex = "(?s:.*)"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("anypath", AnyPath())


def _item(section: str, body: ActorIn | EventIn | IssueIn | QuestionIn) -> dict[str, Any]:
    if isinstance(body, ActorIn):
        return items.actor_item(body.name, str(body.capability), body.assumption,
                                  body.aliases, body.id)
    if isinstance(body, EventIn):
        prob = "" if body.probability is None else str(body.probability)
        return items.event_item(body.name, body.how, prob, body.requires,
                                  str(body.date or ""), body.assumption, body.id)
    if isinstance(body, IssueIn):
        scale = {"min": body.min, "max": body.max, "min_means": body.min_means,
                 "max_means": body.max_means}
        positions = {a: (str(st.position), str(st.salience)) for a, st in body.positions.items()}
        sq = None if body.status_quo is None else str(body.status_quo)
        return items.issue_item(body.name, positions, sq, scale, body.assumption, body.id)
    return items.question_item(body.event, str(body.by), body.text, body.criteria, body.id)


def _fields(fields: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in fields.items():
        out[k] = items.date_value(v) if k in ("by", "scheduled") and v is not None else v
        if k in items.PARAMS and isinstance(v, int | float) and not isinstance(v, bool):
            out[k] = str(v)
    return out


class BuildRoutes:
    """The routes' shared work: read, change, validate, write."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def guard(self, request: Request) -> None:
        if self.ctx.token and not has_token(request, self.ctx.token):
            raise HTTPException(401, "changing a scenario needs the token")

    def change(self, ref: str, change: Callable[[Any], object],
               renames: list[tuple[str, str, str]] | None = None) -> dict[str, Any]:
        """Apply, validate and write a change; `renames` (section, old id, new id) it makes
        are carried into the workspace's overlays of the scenario."""
        ws = self.ctx.workspace
        if ws.is_builtin(ref):
            raise UserError.at("built-in scenarios are read-only: create a copy "
                               "(POST /api/scenarios with start: copy)")
        text = ws.text(ref)
        made: list[object] = []
        result = builder.apply(text, ws.name(ref), lambda t: made.append(change(t)),
                               lambda t: ws.parse(ref, t))
        if result.text is None:
            raise UserError([Problem("refused: " + p) for p in result.refused])
        ws.write(ref, result.text, expected=text_hash(text))
        rename_in_overlays(ws, text, renames or [])
        item = made[0] if made and isinstance(made[0], str) else None
        return {"id": ref, "item": item, "problems": result.problems,
                "warnings": result.warnings}

    def create(self, req: CreateRequest, write_invalid: bool = True) -> dict[str, Any]:
        """Make the new scenario's text and write it. `write_invalid` False (the dashboard):
        one with problems is kept in the context's `unsaved` drafts instead, until saved."""
        ws = self.ctx.workspace
        ref = ws.new_file_ref(req.file)
        if req.start == "blank":
            if req.as_of is None or not req.title:
                raise UserError.at("a blank scenario needs a title and as_of", field="as_of")
            text = items.blank_text(req.title, req.as_of, req.horizon)
        elif req.start == "copy":
            if not req.copy_of:
                raise UserError.at("name the scenario to copy", field="copy_of")
            text = items.copy_text(ws.text(req.copy_of), ws.name(req.copy_of), ref, req.title)
        else:
            if not req.text:
                raise UserError.at("give the text to draft from", field="text")
            text = draft_scenario(DraftRequest(text=req.text, as_of=req.as_of, title=req.title,
                                               horizon=req.horizon))["yaml"]
        return self.write_new(ref, text, write_invalid)

    def write_new(self, ref: str, text: str, write_invalid: bool = True) -> dict[str, Any]:
        """Write a new scenario file, or (not `write_invalid`) keep one with problems in the
        context's `unsaved` drafts until it is saved."""
        ws = self.ctx.workspace
        problems, warnings = builder.check(text, lambda t: ws.parse(ref, t))
        if problems and not write_invalid:
            if ws.path_of(ref, must_exist=False).exists():
                raise UserError.at(f"{ref} already exists in the workspace; choose another name")
            self.ctx.unsaved[ref] = text
        else:
            ws.write(ref, text, new=True)
        return {"id": ref, "item": None, "problems": [str(p) for p in problems],
                "warnings": [str(w) for w in warnings]}


def register(router: APIRouter, ctx: Context) -> None:
    routes = BuildRoutes(ctx)

    @router.post("/scenarios", summary="Create a scenario file: blank, a copy, or drafted from "
                 "a text (needs the token whenever one is set)", status_code=201,
                 response_model=BuildOut, responses=ERRORS)
    def create_scenario(req: CreateRequest, request: Request) -> dict[str, Any]:
        routes.guard(request)
        return routes.create(req)

    def add(ref: str, section: str, body: Any, request: Request) -> dict[str, Any]:
        routes.guard(request)
        item = _item(section, body)
        return routes.change(ref, lambda t: builder.add_item(t, section, item))

    @router.post("/scenarios/{ref:anypath}/actors", summary="Add an actor", status_code=201,
                 response_model=BuildOut, responses=ERRORS)
    def add_actor(ref: str, body: ActorIn, request: Request) -> dict[str, Any]:
        return add(ref, "actors", body, request)

    @router.post("/scenarios/{ref:anypath}/events", summary="Add an event", status_code=201,
                 response_model=BuildOut, responses=ERRORS)
    def add_event(ref: str, body: EventIn, request: Request) -> dict[str, Any]:
        return add(ref, "events", body, request)

    @router.post("/scenarios/{ref:anypath}/issues", summary="Add an issue", status_code=201,
                 response_model=BuildOut, responses=ERRORS)
    def add_issue(ref: str, body: IssueIn, request: Request) -> dict[str, Any]:
        return add(ref, "issues", body, request)

    @router.post("/scenarios/{ref:anypath}/questions", summary="Add a question", status_code=201,
                 response_model=BuildOut, responses=ERRORS)
    def add_question(ref: str, body: QuestionIn, request: Request) -> dict[str, Any]:
        return add(ref, "questions", body, request)

    for section in ("actors", "issues", "events", "questions"):
        item_routes(router, routes, section)


def item_routes(router: APIRouter, routes: BuildRoutes, section: str) -> None:
    """PATCH and DELETE of one section's items (a literal segment: no other path matches)."""
    one = section[:-1]

    def patch_item(ref: str, item_id: str, body: ItemPatch, request: Request) -> dict[str, Any]:
        routes.guard(request)
        fields = _fields(body.fields)
        new_id = fields.get("id")
        renames = [(section, item_id, str(new_id))] if new_id and new_id != item_id else []
        return routes.change(ref, lambda t: builder.update_item(t, section, item_id, fields),
                             renames)

    def delete_item(ref: str, item_id: str, request: Request,
                    force: bool = False) -> dict[str, Any]:
        routes.guard(request)
        out = routes.change(ref, lambda t: builder.delete_item(t, section, item_id, force))
        out["item"] = None
        return out

    path = f"/scenarios/{{ref:anypath}}/{section}/{{item_id}}"
    router.add_api_route(path, patch_item, methods=["PATCH"], operation_id=f"patch_{one}",
                         summary=f"Change {'an' if one[0] in 'aei' else 'a'} {one} (a new id "
                         "renames every reference)",
                         response_model=BuildOut, responses=ERRORS)
    router.add_api_route(path, delete_item, methods=["DELETE"], operation_id=f"delete_{one}",
                         summary=f"Delete: 409 listing where the {one} is named, unless force",
                         response_model=BuildOut, responses=ERRORS)
