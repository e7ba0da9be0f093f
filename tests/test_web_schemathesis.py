"""Schemathesis fuzzes the live API from its own /openapi.json: no generated request, however
odd, may make the server fail (5xx). Bounded in examples; the seed is fixed for repeatability."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("nicegui")
pytest.importorskip("schemathesis")

from .test_web_api import start_server, stop_server  # noqa: E402


def test_no_generated_request_is_a_server_error(tmp_path: Path) -> None:
    (tmp_path / "ws").mkdir()
    (tmp_path / "home").mkdir()
    (tmp_path / "ws" / "broken.yaml").write_text("meta:\n  id: x\n title: bad\n")
    proc, base = start_server(tmp_path / "ws", tmp_path / "home")
    st = Path(sys.executable).with_name("schemathesis")
    exe = str(st) if st.exists() else shutil.which("schemathesis")
    assert exe, "schemathesis is in the dev extra"
    try:
        r = subprocess.run(
            [exe, "run", f"{base}/openapi.json", "--checks", "not_a_server_error",
             "--max-examples", "25", "--seed", "1", "--request-timeout", "60"],
            capture_output=True, text=True, timeout=600, cwd=tmp_path,  # its cache goes there
        )
    finally:
        stop_server(proc)
    assert r.returncode == 0, r.stdout[-4000:]
    assert " passed" in r.stdout and "generated" in r.stdout
