"""Named-source accuracy on real text and on the project's own suites, and extraction time.

    .venv/bin/python benchmarks/accuracy_bench.py [--skip-real] [--pages 240] [--rounds 3]

- PolNeAR dev (hand-annotated English political news) and the UD sentences (silver labels,
  16 languages): their own scorers in ../shared/real/, run in place against this checkout's
  `tracer` command, so the figures are the ones the scorers print.
- The per-language suites (tests/extract/suites/*.toml): recall, precision and F1 of the
  cited sources, names and kinds compared exactly, in process.
- Extraction time: tracer's `document_from_bytes` + `extract` against trafilatura alone on
  the same pages, interleaved per page (benchmarks/extract_bench.py), as medians of rounds.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REAL = ROOT.parent / "shared" / "real"
SUITES = ROOT / "tests" / "extract" / "suites"
TRACER = Path(sys.executable).parent / "tracer"


def _f1(recall: float, precision: float) -> float:
    return 2 * recall * precision / (recall + precision) if recall + precision else 0.0


def real_scores() -> None:
    """The two real-data scorers, as they print their summaries."""
    polnear = subprocess.run(
        [sys.executable, str(REAL / "polnear" / "score.py"), "--tracer", str(TRACER)],
        capture_output=True,
        text=True,
        check=False,
    )
    print(polnear.stdout.strip().splitlines()[-1] if polnear.stdout.strip() else polnear.stderr)
    ud = subprocess.run(
        [sys.executable, str(REAL / "attributions-ud" / "score.py"), "--tracer", str(TRACER)],
        capture_output=True,
        text=True,
        check=False,
    )
    table = ud.stdout[ud.stdout.find("lang ") :] if "lang " in ud.stdout else ud.stdout
    print("UD sentences:")
    print(table.rstrip() or ud.stderr)


def suite_scores() -> None:
    """Each suite's cited sources against its expectations, (name, kind) exact."""
    from tracer.extract import extract, text_document
    from tracer.store.model import Relation

    print(f"{'suite':<6}{'cases':>6}{'recall':>9}{'precision':>11}{'F1':>7}  failing  known gaps")
    for path in sorted(SUITES.glob("*.toml")):
        cases = tomllib.loads(path.read_text(encoding="utf-8")).get("case", [])
        expected_total = found_total = right = failing = 0
        gaps = sum("gap" in case for case in cases)
        for case in cases:
            expected = {(name, kind) for name, kind in case.get("sources", [])}
            references = extract(text_document(case["text"], source="suite"))
            found = {
                (r.name or "", r.kind.value)
                for r in references
                if r.relation == Relation.CITES and r.extractor.startswith("prose")
            }
            expected_total += len(expected)
            found_total += len(found)
            right += len(expected & found)
            failing += expected != found
        recall = right / expected_total if expected_total else 1.0
        precision = right / found_total if found_total else 1.0
        print(
            f"{path.stem:<6}{len(cases):>6}{recall:>9.2f}{precision:>11.2f}"
            f"{_f1(recall, precision):>7.2f}  {failing:>7}  {gaps:>10}"
        )


def extraction_time(pages_wanted: int, rounds: int) -> None:
    """tracer against trafilatura alone, page by page in alternating order."""
    from benchmarks.extract_bench import CONTENDERS, load_pages, run_round

    pages = load_pages(pages_wanted)
    names = ["tracer", "trafilatura"]
    for name in names:
        CONTENDERS[name](pages[0][1])  # imports, compiled patterns, lexicons
    ratios: list[float] = []
    for _ in range(rounds):
        totals = dict.fromkeys(names, 0.0)
        run_round(pages, names, totals)
        ratios.append(totals["tracer"] / totals["trafilatura"])
    print(
        f"extraction time tracer / trafilatura on {len(pages)} pages: median "
        f"{statistics.median(ratios):.2f}x over {rounds} rounds "
        f"({', '.join(f'{r:.2f}' for r in ratios)}; target <= 1.5x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--skip-real", action="store_true", help="suites and time only")
    parser.add_argument("--pages", type=int, default=240)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    if not options.skip_real:
        real_scores()
    suite_scores()
    extraction_time(options.pages, options.rounds)


if __name__ == "__main__":
    main()
