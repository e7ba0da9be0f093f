"""What the JSON API answers, as pydantic models: its OpenAPI schema's responses.

The routes return plain dicts; FastAPI checks them against these models (`response_model`) and
answers only the keys a dict gave (`response_model_exclude_unset`), so a document keeps its shape
and an undeclared key is a server error in the tests, not a silent change to the API. Every error,
from a route or from the guards in accord.web.security, is one shape: `Error`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from accord.scenario.model import Meta


class Closed(BaseModel):
    """A shape the API itself makes: a key it does not declare is an error (a test failure)."""

    model_config = ConfigDict(extra="forbid")


class Open(BaseModel):
    """A document an engine makes (a forecast, a sensitivity analysis): its known fields are
    declared, and a field an engine adds later is passed through rather than made a 500."""

    model_config = ConfigDict(extra="allow")


# --- errors ------------------------------------------------------------------------------------
class Error(Closed):
    """Every 4xx and 5xx the API answers: a message, and each problem on its own when there are
    several (a scenario's validation problems, a request's invalid fields)."""

    detail: str = Field(description="what went wrong, in one message (problems joined by lines)")
    problems: list[str] = Field(
        default_factory=list,
        description="each problem, 'field: message' (absent from one-message errors)")


GUARD_ERRORS = {  # what accord.web.security answers for every request, before any route
    400: "bad request: a Host that is not this server's, a token in a POST's address, or a body "
         "that cannot be read (not UTF-8)",
    401: "no valid token (when the server has one)",
    413: "request body over the cap (4 MB by default)",
}
ROUTE_ERRORS = {
    400: GUARD_ERRORS[400] + "; or a file name that would leave the workspace",
    404: "no such scenario, run or job",
    409: "the item is named elsewhere in the scenario (deleting it would break those): the "
         "problems list where",
    422: "invalid request, or a scenario or setting that does not validate",
    429: "busy: the most runs this server runs at once are running; try again (Retry-After)",
    500: "the run failed (wait=true: the job, status 'failed', with its message) or an internal "
         "error",
}
RETRY_AFTER = {"Retry-After": {"description": "seconds to wait", "required": True,
                               "schema": {"type": "integer"}}}
LOCATION = {"Location": {"description": "the job's address: /api/runs/{job id}",
                         "required": True, "schema": {"type": "string"}}}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: the guards' errors and `codes`, each with the Error body."""
    out: dict[int | str, dict[str, Any]] = {}
    for code in sorted({*GUARD_ERRORS, *codes}):
        out[code] = {"model": Error, "description": ROUTE_ERRORS.get(code, GUARD_ERRORS.get(code))}
    out[401]["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
    if 429 in out:
        out[429]["headers"] = RETRY_AFTER
    return out


# --- scenarios ---------------------------------------------------------------------------------
class RunHeader(Closed):
    """A stored run's header: what GET /api/runs lists (never its text or results)."""

    id: int
    created_at: str = Field(description="ISO 8601, UTC")
    kind: str = Field(description="web, sensitivity, run, forecast, sweep, …")
    method: str | None
    scenario_id: str
    scenario_name: str
    seed: int | None
    settings: dict[str, Any] = Field(
        description="the settings it ran with; their fields depend on kind and method")
    scenario_hash: str


class ScenarioEntry(Closed):
    id: str = Field(description="the reference: a built-in name or a workspace file (.yaml)")
    kind: Literal["builtin", "file"]
    meta_id: str | None = Field(description="meta.id (null if the file does not parse)")
    title: str
    as_of: str | None
    error: str | None = Field(description="why the file cannot be read or validated")
    hash: str | None = Field(description="SHA-256 of its text")
    last_run: RunHeader | None = Field(description="the newest run of exactly this text")


class Evidence(Closed):
    source: str
    quote: str


class Parameter(Closed):
    field: str = Field(description="its path in the scenario, e.g. events[2].hazard")
    label: str
    value: str = Field(description="its value or distribution, e.g. U(0.1, 0.3)")
    evidence: list[Evidence]
    assumption: str | None


class ScenarioDetail(Closed):
    """One scenario. `scenario` is the whole validated scenario document in the scenario file
    format: its schema is the file format's (`accord schema` prints it), so it is not repeated
    here."""

    id: str
    kind: Literal["builtin", "file"]
    meta: Meta
    scenario: dict[str, Any] = Field(description="the scenario document (see `accord schema`)")
    parameters: list[Parameter]
    warnings: list[str]
    problems: list[str] = Field(description="what strict validation (source quotes) finds")
    text: str = Field(description="the YAML text")


class DraftOut(Closed):
    """A scenario drafted from a text (`accord draft`): its YAML and what needs review."""

    yaml: str = Field(description="the draft scenario as YAML, its review list on top")
    review: list[str] = Field(description="what was drafted and needs an analyst's review")


# --- runs and jobs -----------------------------------------------------------------------------
Band = list[float | None]  # a NaN (a band that cannot be told from noise) is answered null


class RunSettingsOut(Open):
    paths: int
    draws: int | None
    seed: int
    exact: bool
    precision: float | None


class TornadoSettings(Closed):
    """A sensitivity job's settings (`samples` for Sobol and Morris only)."""

    method: Literal["tornado", "sobol", "morris"]
    question: str | None
    paths: int
    seed: int
    samples: int | None = None


class QuestionForecast(Open):
    id: str
    event: str
    by: str = Field(description="ISO date")
    step: int
    probability: float | None
    stderr: float | None
    band: Band | None = Field(description="5–95% over parameter draws (null with one draw)")


class EventForecast(Open):
    id: str
    kind: str
    probability: Band = Field(description="by step 0..horizon")
    stderr: Band
    band_low: Band | None
    band_high: Band | None
    band50_low: Band | None
    band50_high: Band | None
    mean_count: float | None
    mean_count_stderr: float | None


class PathOrder(Open):
    order: list[str]
    paths: int
    share: float


class Forecast(Open):
    scenario_id: str
    method: str
    horizon: int
    dates: list[str]
    paths: int
    draws: int
    paths_per_draw: int
    seed: int | None
    events: dict[str, EventForecast]
    questions: list[QuestionForecast]
    orders: list[PathOrder]


class RunResults(Open):
    """A forecast run's results. `issues` (each issue under every bargaining model, each model
    with its own fields) and `observed` (what the run was conditioned on, with the parameters'
    posteriors) are open objects: their inner shape follows the scenario's issues and models."""

    scenario: str
    title: str
    as_of: str
    settings: RunSettingsOut
    forecast: Forecast
    issues: list[dict[str, Any]]
    notes: list[str]
    observed: dict[str, Any] | None = Field(None, description="only in a conditioned run")


class SensitivityRow(Open):
    parameter: str
    values: dict[str, float | None] = Field(description="p_at_low, p_at_high, swing, …")


class SensitivityResults(Open):
    method: str
    targets: list[str]
    base: dict[str, float | None]
    rows: dict[str, list[SensitivityRow]] = Field(description="by target, widest swing first")
    samples: int
    paths: int
    seed: int
    draws: int | None = Field(None, description="parameter draws of the base run")
    design_mean: dict[str, float | None] | None = Field(
        None, description="Sobol/Morris: the mean over the design")


class Job(Closed):
    """A run or a tornado in the server's job pool."""

    id: Annotated[str, Field(pattern=r"^job-")]
    status: Literal["running", "done", "failed"]
    kind: Literal["web", "sensitivity"]
    progress: float = Field(ge=0, le=1)
    scenario: str
    scenario_id: str
    settings: RunSettingsOut | TornadoSettings
    run_id: int | None = Field(description="its id in the run store, once done")
    message: str | None = Field(description="why it failed")
    seconds: float
    results: RunResults | SensitivityResults | None = Field(
        None, description="only once status is done")


class StoredRun(Closed):
    """A run from the run store. Its `results` are an open object: their shape depends on the
    run's kind (a forecast, a sensitivity analysis, a sweep, …) and on the accord version that
    stored it; a web run's are `RunResults`, a tornado's `SensitivityResults`."""

    id: int
    status: Literal["done"]
    run_id: int
    created_at: str
    kind: str
    scenario_id: str
    scenario_name: str
    scenario_hash: str
    seed: int | None
    settings: dict[str, Any]
    versions: dict[str, str]
    results: dict[str, Any]


# --- the ledger --------------------------------------------------------------------------------
class LedgerEntryBase(BaseModel):
    """An entry as recorded: its hashed content with seq, hash and prev_hash. Extra keys are
    allowed and answered as stored: the hash covers the content exactly, so an entry written by
    another accord version must come back unchanged to be verifiable."""

    model_config = ConfigDict(extra="allow")

    seq: int
    hash: str
    prev_hash: str
    recorded_at: str
    scenario_id: str
    question_id: str


class ForecastEntry(LedgerEntryBase):
    kind: Literal["forecast"]
    scenario_hash: str
    forecast_date: str
    deadline: str
    event: str
    run_id: int | None
    probability: float | None
    stderr: float | None
    band: Band | None
    observations_hash: str | None = None
    criteria: str | None = None


class ResolutionEntry(LedgerEntryBase):
    kind: Literal["resolution"]
    outcome: Literal["yes", "no", "annulled"]
    resolved_on: dt.date
    source: str | None


LedgerEntry = Annotated[ForecastEntry | ResolutionEntry, Field(discriminator="kind")]
