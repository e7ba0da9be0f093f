"""A long task's controls on a page: button, status, progress bar and error line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from accord.errors import UserError
from accord.web.jobs import Busy, Job


class JobControls:
    """A long task's button, status, progress bar and error line, and the polling between
    them: one piece for every job a page starts (runs, tornados)."""

    def __init__(self, css: str, failure: str) -> None:
        self.css, self.failure = css, failure
        self.job: Job | None = None
        self.timer: ui.timer | None = None
        self.waiting = False  # progress shown as "busy" until the job reports steps
        self.on_done: Callable[[Job], None] = lambda job: None

    def row(self, label: str, icon: str, on_click: Callable[[], Any],
            classes: tuple[str, str]) -> None:
        """The button and the status label, in the caller's row."""
        self.button = ui.button(label, icon=icon, on_click=on_click).classes(classes[0])
        self.status = ui.label("").classes(classes[1])

    def below(self, progress_class: str) -> None:
        """The progress bar and the error line, under the row."""
        self.progress = ui.linear_progress(value=0, show_value=False).classes(progress_class)
        self.progress.visible = False
        self.error = ui.label("").classes(f"accord-problems accord-{self.css}-error")
        self.error.visible = False

    def start(self, submit: Callable[[], Job], area: Any, on_done: Callable[[Job], None],
              waiting: bool = False) -> None:
        """Submit the job (a refusal is shown, not raised) and poll it until it ends."""
        try:
            self.job = submit()
        except (Busy, UserError, ValueError) as exc:
            self.error.text = str(exc)
            self.error.visible = True
            ui.notify(str(exc), type="warning")
            return
        self.on_done, self.waiting = on_done, waiting
        self.error.visible = False
        self.button.disable()
        self.progress.value = 0.0
        if waiting:
            self.progress.props("indeterminate")
        self.progress.visible = True
        self.status.text = "running…"
        with area:
            self.timer = ui.timer(0.15, self.poll)

    def poll(self) -> None:
        job = self.job
        if job is None:
            return
        if job.status == "running":
            if self.waiting and job.total > 1:  # steps reported: show them from now on
                self.progress.props(remove="indeterminate")
                self.waiting = False
            if not self.waiting:
                self.progress.value = round(job.progress, 3)
            return
        if self.timer is not None:
            self.timer.cancel()
        self.button.enable()
        self.progress.visible = False
        if job.status == "failed":
            self.status.text = ""
            self.error.text = job.message or self.failure
            self.error.visible = True
            return
        self.status.text = f"done in {job.to_dict()['seconds']:.1f} s"
        self.on_done(job)
