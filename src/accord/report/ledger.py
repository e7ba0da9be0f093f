"""The ledger's scores as a reliability diagram (PNG and SVG) and an offline HTML page."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from accord.analysis.scoring import LedgerScores  # noqa: E402


def reliability_figure(s: LedgerScores, folder: Path) -> Path:
    """Observed frequency against mean forecast per bin, dot area by count; the diagonal is
    perfect calibration."""
    fig, ax = plt.subplots(figsize=(5.2, 5.2), dpi=120)
    ax.plot([0, 1], [0, 1], color="#888888", lw=1, ls="--", label="perfectly calibrated")
    if s.calibration:
        f = [b["mean_forecast"] for b in s.calibration]
        o = [b["observed"] for b in s.calibration]
        n = [b["n"] for b in s.calibration]
        ax.plot(f, o, color="#0072B2", lw=1.2)
        ax.scatter(f, o, s=[30 + 30 * k for k in n], color="#0072B2", zorder=3,
                   label="accord (dot area: questions)")
    ax.set(xlim=(0, 1), ylim=(0, 1), xlabel="forecast probability",
           ylabel="share that resolved yes",
           title=f"Reliability: {s.n} questions, Brier {s.brier:.3f}")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    fig.tight_layout()
    folder.mkdir(parents=True, exist_ok=True)
    png = folder / "reliability.png"
    fig.savefig(png)
    fig.savefig(folder / "reliability.svg")
    plt.close(fig)
    return png


def write_ledger_report(s: LedgerScores, folder: Path) -> Path:
    png = reliability_figure(s, folder)
    img = base64.b64encode(png.read_bytes()).decode()
    m = s.murphy
    rows = "".join(
        f"<tr><td>{html.escape(str(q['question']))}</td><td>{100 * q['probability']:.1f}%</td>"
        f"<td>{'yes' if q['outcome'] else 'no'}</td><td>{q['resolved_on']}</td>"
        f"<td>{q['time_averaged_brier']:.4f}</td></tr>" for q in s.questions)
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>accord · forecast ledger scores</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#222}}
table{{border-collapse:collapse}}td,th{{padding:.25rem .6rem;border-bottom:1px solid #ddd;
text-align:left}}</style></head><body>
<h1>Forecast ledger: scores</h1>
<p>{s.n} resolved questions. 0 is best for every score; Brier is the one-outcome form.</p>
<table><tr><th></th><th>Brier</th><th>log score</th><th>time-averaged Brier</th></tr>
<tr><td>accord</td><td>{s.brier:.4f}</td><td>{s.log:.4f}</td><td>{s.time_averaged_brier:.4f}</td>
</tr><tr><td>always 50%</td><td>{s.brier_50:.4f}</td><td>{s.log_50:.4f}</td>
<td>{s.time_averaged_brier_50:.4f}</td></tr></table>
<p>Murphy decomposition: reliability {m.reliability:.4f} − resolution {m.resolution:.4f}
+ uncertainty {m.uncertainty:.4f} (+ {m.remainder:.4f} from spread within bins).</p>
<img alt="reliability diagram" src="data:image/png;base64,{img}">
<h2>Questions</h2><table><tr><th>question</th><th>latest forecast before resolution</th>
<th>outcome</th><th>resolved on</th><th>time-averaged Brier</th></tr>{rows}</table>
</body></html>"""
    out = folder / "index.html"
    out.write_text(page, encoding="utf-8")
    return out
