"""The JSON API beside the pages, documented by its OpenAPI schema at /openapi.json: every
answer's body and every error it can give are declared (accord.web.schemas), errors all one shape.

GET  /api/scenarios              the built-in scenarios and the workspace's scenario files
GET  /api/scenarios/{id}         one scenario: meta, the validated model, its parameters, problems
POST /api/runs                   {"scenario": ID | "scenario_yaml": TEXT, "paths", "seed", "wait"}
POST /api/sensitivity            {"scenario": ID, "question": QID | null, "paths", "seed",
                                  "method": tornado | sobol | morris, "samples", "wait"}
GET  /api/runs                   stored runs, newest first
GET  /api/runs/{id}              a job ("job-…": progress, then results) or a stored run (integer)
GET  /api/ledger                 the ledger's entries, oldest first (?scenario=&question=)
POST /api/draft                  {"text": ARTICLE, "as_of": DATE | null, ...}: a draft scenario
                                 (`accord draft`): {"yaml", "review"}
POST, PATCH, DELETE /api/scenarios[/{id}/actors|events|questions[/{item}]]: build a scenario
                                 (accord.web.buildapi)
POST /api/ledger/resolve         {"scenario", "question", "outcome": yes/no/annulled, "on", ...}
                                 (needs the token whenever one is set, as every request does)

POST /api/runs takes "observed": the YAML text of an observations file (what happened after
as_of): the run is then conditioned on it (accord.scenario.observations).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Coroutine
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from accord.analysis.recipe import DEFAULT_PATHS, DEFAULT_SEED, RunSettings
from accord.errors import UserError
from accord.jsonable import finite
from accord.report.html import param_label
from accord.scenario.loader import Loaded, parse_scenario
from accord.scenario.yamlio import MAX_BYTES
from accord.web import schemas
from accord.web.builder import Referenced
from accord.web.context import (
    MAX_SAMPLES,
    MAX_TORNADO_PATHS,
    MAX_WEB_PATHS,
    TORNADO_PATHS,
    Context,
    last_run,
)
from accord.web.drafting import DraftRequest, draft_scenario
from accord.web.jobs import Busy
from accord.web.security import BodyTooLarge, has_token
from accord.web.workspace import NotFound, Refused

log = logging.getLogger("accord.web")
INLINE_NAME = "scenario_yaml"  # how messages name a scenario sent as text
JOB_RESPONSES: dict[int | str, dict[str, Any]] = {
    **schemas.errors(400, 404, 422, 429),
    202: {"description": "started: follow the job at its Location", "headers": schemas.LOCATION},
    200: {"model": schemas.Job, "headers": schemas.LOCATION,
          "description": "with wait=true: the finished job, with its results"},
    500: {"model": schemas.Job | schemas.Error, "description": schemas.ROUTE_ERRORS[500]},
}


def problems_body(exc: UserError) -> dict[str, Any]:
    return {"detail": str(exc), "problems": [str(p) for p in exc.problems]}


def invalid_body(exc: RequestValidationError) -> dict[str, Any]:
    """A request that does not validate, in the one error shape (schemas.Error)."""
    problems = []
    for e in exc.errors():
        loc = [str(p) for p in e.get("loc", ())]
        where = ".".join(loc[1:] if len(loc) > 1 and loc[0] == "body" else loc)
        if e.get("type") == "json_invalid":  # its loc is a character position
            where = "body"
        msg = str(e.get("msg", "invalid")).removeprefix("Value error, ")
        problems.append(f"{where}: {msg}" if where else msg)
    problems = problems or ["invalid request"]
    return {"detail": "\n".join(problems), "problems": problems}


def too_large(exc: BaseException | None) -> bool:
    """Whether the body cap (security.BodyTooLarge) is behind this exception."""
    while exc is not None:
        if isinstance(exc, BodyTooLarge):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


class GuardedRoute(APIRoute):
    """User mistakes → 4xx with the message; anything else → logged, 500 without a traceback."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        # a dict's keys, no more: the router passes False unless a route says otherwise
        kwargs["response_model_exclude_unset"] = True
        super().__init__(path, endpoint, **kwargs)
        self.allow = sorted(self.methods)
        self.siblings: list[APIRoute] = []  # build_router's routes: a 405 names all that match

    async def handle(self, scope: Any, receive: Any, send: Any) -> None:
        allow = self.allowed(scope)
        if scope["method"] not in self.methods or self.path not in allow[1]:
            # Starlette's 405 names this route's alone; {ref:path} templates overlap
            answer = JSONResponse({"detail": "Method Not Allowed"}, status_code=405,
                                  headers={"Allow": ", ".join(allow[0])})
            await answer(scope, receive, send)
            return
        await super().handle(scope, receive, send)

    def allowed(self, scope: Any) -> tuple[list[str], set[str]]:
        """The methods, and the templates, of the most specific routes matching this path
        (/scenarios/x.yaml/events is the events' route, not GET's scenario x.yaml/events)."""
        from starlette.routing import Match

        hits = [r for r in self.siblings if r.matches({**scope, "method": "GET"})[0] != Match.NONE]
        if not hits:
            return self.allow, {self.path}
        most = max(r.path.count("/") for r in hits)
        best = [r for r in hits if r.path.count("/") == most]
        return sorted({m for r in best for m in r.methods or ()}), {r.path for r in best}

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except (StarletteHTTPException, RequestValidationError, BodyTooLarge) as exc:
                if too_large(exc):  # FastAPI wraps a failed body read in a 400
                    return JSONResponse({"detail": "request body too large"}, status_code=413)
                if isinstance(exc, StarletteHTTPException):  # JSON, not the dashboard's page
                    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                                        headers=exc.headers)
                return JSONResponse(invalid_body(exc), status_code=422)
            except Busy as exc:
                return JSONResponse(
                    {"detail": str(exc)}, status_code=429, headers={"Retry-After": "2"}
                )
            except Referenced as exc:
                return JSONResponse(problems_body(exc), status_code=409)
            except Refused as exc:
                return JSONResponse(problems_body(exc), status_code=400)
            except NotFound as exc:
                return JSONResponse(problems_body(exc), status_code=404)
            except UserError as exc:
                return JSONResponse(problems_body(exc), status_code=422)
            except Exception:
                log.exception("API error on %s %s", request.method, request.url.path)
                return JSONResponse(
                    {"detail": "internal error; the details are in the server's log"},
                    status_code=500,
                )

        return handler


class RunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"oneOf": [  # as _one_scenario
        {"required": [k], "properties": {k: {"type": "string"}}}
        for k in ("scenario", "scenario_yaml")]})

    scenario: str | None = Field(None, description="a built-in id or a workspace file (.yaml)")
    scenario_yaml: str | None = Field(
        None, max_length=MAX_BYTES, description="a whole scenario as YAML text, instead of an id"
    )
    paths: int = Field(DEFAULT_PATHS, ge=1, le=MAX_WEB_PATHS, description="Monte Carlo paths")
    seed: int = Field(DEFAULT_SEED, ge=0, lt=2**63)
    draws: int | None = Field(None, ge=1, description="parameter draws (default: accord's)")
    observed: str | None = Field(
        None, max_length=MAX_BYTES,
        description="observations as YAML text ({as_of, observed: [...]}): condition on them")
    wait: bool = Field(False, description="answer only once the run is done, with its results")

    @model_validator(mode="after")
    def _one_scenario(self) -> RunRequest:
        if (self.scenario is None) == (self.scenario_yaml is None):
            raise ValueError("give exactly one of 'scenario' (an id) and 'scenario_yaml' (text)")
        return self


class ResolveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scenario: str = Field(description="the scenario id the ledger recorded")
    question: str = Field(description="the question id")
    outcome: Literal["yes", "no", "annulled"] = Field(description="how it resolved")
    on: dt.date = Field(description="the day it resolved")
    source: str | None = Field(None, max_length=2000, description="where the resolution is from")


class SensitivityRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scenario: str = Field(description="a built-in id or a workspace file (.yaml)")
    question: str | None = Field(None, description="one question id (default: every question)")
    paths: int = Field(TORNADO_PATHS, ge=1, le=MAX_TORNADO_PATHS,
                       description="Monte Carlo paths per variant")
    seed: int = Field(DEFAULT_SEED, ge=0, lt=2**63)
    method: Literal["tornado", "sobol", "morris"] = Field(
        "tornado", description="tornado (2D + 1 runs), Sobol (N·(D + 2) variants) or Morris "
        "(N·(D + 1) variants)")
    samples: int = Field(8, ge=2, le=MAX_SAMPLES,
                         description="Sobol base samples N / Morris trajectories N")
    wait: bool = Field(False, description="answer only once the analysis is done, with it")


def scenario_detail(ctx: Context, ref: str) -> dict[str, Any]:
    ws = ctx.workspace
    text = ws.text(ref)
    loaded = ws.parse(ref, text)
    try:
        ws.parse(ref, text, strict=True)
        strict_problems: list[str] = []
    except UserError as exc:
        strict_problems = [str(p) for p in exc.problems]
    s = loaded.scenario
    return {
        "id": ref,
        "kind": "builtin" if ws.is_builtin(ref) else "file",
        "meta": s.meta.model_dump(mode="json"),
        "scenario": s.model_dump(mode="json", by_alias=True, exclude_none=True),
        "parameters": [
            {
                "field": path,
                "label": param_label(s, path),
                "value": p.describe(),
                "evidence": [e.model_dump() for e in p.evidence],
                "assumption": p.assumption,
            }
            for path, p in s.parameters()
        ],
        "warnings": [str(w) for w in loaded.warnings],
        "problems": strict_problems,
        "text": text,
    }


def build_router(ctx: Context) -> APIRouter:
    """The JSON API: its routes registered in order (the order /openapi.json lists them)."""
    # JSONResponse, not NiceGUI's default class: FastAPI documents any other as a string
    router = APIRouter(prefix="/api", route_class=GuardedRoute, tags=["accord"],
                       default_response_class=JSONResponse)
    scenario_routes(router, ctx)
    job_routes(router, ctx)
    ledger_routes(router, ctx)
    run_routes(router, ctx)
    from accord.web.buildapi import register

    register(router, ctx)
    routes = [r for r in router.routes if isinstance(r, GuardedRoute)]
    for route in routes:  # a 405's Allow: every method its path answers
        route.siblings = routes  # type: ignore[assignment]
    return router


def scenario_routes(router: APIRouter, ctx: Context) -> None:
    """GET the scenarios' list and one scenario."""

    @router.get("/scenarios", summary="The scenarios: built-in and the workspace's files",
                response_model=list[schemas.ScenarioEntry], responses=schemas.errors())
    def list_scenarios() -> list[dict[str, Any]]:
        out = []
        for e in ctx.workspace.entries():
            last = last_run(ctx, e)
            out.append({**e.to_dict(), "last_run": last[0] if last else None})
        return out

    @router.get("/scenarios/{ref:path}", summary="One scenario, validated, with its parameters",
                response_model=schemas.ScenarioDetail, responses=schemas.errors(404, 422))
    def get_scenario(ref: str) -> dict[str, Any]:
        return scenario_detail(ctx, ref)


def job_routes(router: APIRouter, ctx: Context) -> None:
    """POST a run, a sensitivity analysis or a draft."""

    @router.post(
        "/runs",
        summary="Start a run (answers 202 with the job's id; with wait=true, its results)",
        status_code=202, response_model=schemas.Job, responses=JOB_RESPONSES,
    )
    def post_run(req: RunRequest, response: Response) -> dict[str, Any]:
        if req.scenario is not None:
            ref = req.scenario
            loaded: Loaded = ctx.workspace.load(ref)
        else:
            ref = INLINE_NAME
            loaded = parse_scenario(req.scenario_yaml or "", INLINE_NAME)
        if req.observed is not None:
            from dataclasses import replace

            from accord.scenario.observations import observations_from_text

            obs = observations_from_text(req.observed, "observed")
            obs.months(loaded.scenario)  # checked now: a bad file is a 422 at once
            loaded = replace(loaded, observations=obs)
        settings = RunSettings(paths=req.paths, draws=req.draws, seed=req.seed)
        job = ctx.jobs.submit(loaded, settings, ref)
        response.headers["Location"] = f"/api/runs/{job.id}"
        if req.wait:
            ctx.jobs.wait(job)
            response.status_code = 200 if job.status == "done" else 500
        return finite(job.to_dict())  # a NaN (an unknowable band) is null, as stored

    @router.post(
        "/sensitivity",
        summary="Start a sensitivity analysis: tornado, Sobol or Morris (a job like /api/runs; "
        "stored as kind 'sensitivity')",
        status_code=202, response_model=schemas.Job, responses=JOB_RESPONSES,
    )
    def post_sensitivity(req: SensitivityRequest, response: Response) -> dict[str, Any]:
        loaded = ctx.workspace.load(req.scenario)
        job = ctx.jobs.submit_sensitivity(loaded, req.question, req.paths, req.seed,
                                          req.scenario, req.method, req.samples)
        response.headers["Location"] = f"/api/runs/{job.id}"
        if req.wait:
            ctx.jobs.wait(job)
            response.status_code = 200 if job.status == "done" else 500
        return finite(job.to_dict())

    @router.post("/draft", summary="Draft a scenario from a text (as `accord draft`): its YAML "
                 "and what needs review", response_model=schemas.DraftOut,
                 responses=schemas.errors(422))
    def post_draft(req: DraftRequest) -> dict[str, Any]:
        return draft_scenario(req)


def ledger_routes(router: APIRouter, ctx: Context) -> None:
    """The forecast ledger: its entries, and resolving a question."""

    @router.get("/ledger", summary="The forecast ledger's entries, oldest first",
                response_model=list[schemas.LedgerEntry], responses=schemas.errors(422))
    def list_ledger(scenario: str | None = None, question: str | None = None,
                    ) -> list[dict[str, Any]]:
        from accord.store.ledger import Ledger

        return [e.to_dict() for e in Ledger(ctx.store).entries(scenario, question)]

    @router.post("/ledger/resolve", summary="Resolve a question in the ledger (a new entry; "
                 "needs the token whenever one is set)",
                 response_model=schemas.ResolutionEntry, responses=schemas.errors(422))
    def resolve_question(req: ResolveRequest, request: Request) -> dict[str, Any]:
        if ctx.token and not has_token(request, ctx.token):  # the middleware checks it too
            raise HTTPException(401, "resolving a question needs the token")
        from accord.store.ledger import Ledger

        entry = Ledger(ctx.store).resolve(req.scenario, req.question, req.outcome, req.on,
                                          req.source)
        return entry.to_dict()


def run_routes(router: APIRouter, ctx: Context) -> None:
    """GET the stored runs and one job or run."""

    @router.get("/runs", summary="Stored runs, newest first",
                response_model=list[schemas.RunHeader], responses=schemas.errors(422))
    def list_runs(
        limit: int = Query(50, ge=1, le=1000), scenario: str | None = None
    ) -> list[dict[str, Any]]:
        return ctx.store.list(limit=limit, scenario_id=scenario)

    @router.get("/runs/{run_id}", summary="A running or finished job, or a stored run",
                response_model=schemas.Job | schemas.StoredRun,
                responses=schemas.errors(404, 422))
    def get_run(run_id: str) -> dict[str, Any]:
        if run_id.startswith("job-"):
            job = ctx.jobs.get(run_id)
            if job is None:
                raise HTTPException(404, f"no job {run_id} (finished jobs are in /api/runs)")
            return finite(job.to_dict())
        if not run_id.isdigit():
            raise HTTPException(404, f"no run {run_id!r}")
        try:
            rec = ctx.store.get(int(run_id))
        except UserError as exc:
            raise HTTPException(404, str(exc)) from None
        return {
            "id": rec.id,
            "status": "done",
            "run_id": rec.id,
            "created_at": rec.created_at,
            "kind": rec.kind,
            "scenario_id": rec.scenario_id,
            "scenario_name": rec.scenario_name,
            "scenario_hash": rec.scenario_hash,
            "seed": rec.seed,
            "settings": rec.settings,
            "versions": rec.versions,
            "results": rec.results,
        }
