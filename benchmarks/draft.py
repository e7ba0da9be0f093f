"""`accord draft` on a ~3,000-word text (the test texts, concatenated): the goal is under 2 s.

Baseline in the same run: pysbd's bare sentence segmentation of the same text, the step no
draft can skip. The draft is timed cold (first call: gazetteer and patterns built) and warm.
"""

from __future__ import annotations

import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "draft"
GOAL_S = 2.0
WORDS = 3000


def text_of_words(n: int) -> str:
    texts = [p.read_text() for p in sorted(DATA.glob("*.txt"))]
    out: list[str] = []
    while sum(len(t.split()) for t in out) < n:
        out.append(texts[len(out) % len(texts)])
    return "\n\n".join(out)


def main() -> None:
    text = text_of_words(WORDS)
    t0 = time.perf_counter()
    from accord.draft.build import Options, build
    from accord.draft.text import article_of
    from accord.draft.writer import finished, to_yaml

    article = article_of(text, "bench.txt", "bench.txt")
    draft = build(article, Options())
    to_yaml(draft)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    finished(draft, article, "bench.yaml")
    validate = time.perf_counter() - t0
    t0 = time.perf_counter()
    build(article_of(text, "bench.txt", "bench.txt"), Options())
    warm = time.perf_counter() - t0

    import pysbd

    t0 = time.perf_counter()
    pysbd.Segmenter(language="en", clean=False).segment(text)
    base = time.perf_counter() - t0
    s = draft.scenario
    print(f"text: {len(text.split())} words; draft: {len(s['actors'])} actors, "
          f"{len(s['events'])} events")
    print(f"draft, cold (imports, gazetteer, patterns, YAML written): {cold:.2f} s "
          f"(goal < {GOAL_S:.0f} s: {'met' if cold < GOAL_S else 'MISSED'})")
    print(f"the draft's own validation (accord's loader, as `accord validate`): {validate:.2f} s")
    print(f"draft, warm: {warm:.2f} s")
    print(f"baseline, pysbd segmentation alone: {base:.2f} s; warm draft / baseline: "
          f"{warm / base:.1f}x")


if __name__ == "__main__":
    main()
