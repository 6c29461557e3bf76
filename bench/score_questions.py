"""Score a question set (JSON lines with expectations) over the bundled plan and any other plan files.

    python -m bench.score_questions SET.jsonl [PLAN_FILE ...] [--no-bundled] [--misses]

Plan files given by name only are looked up in tests/knowledge/data/plans/. Prints the score and, with --misses,
every miss with what the engine answered. Used to record a held-out set's first run before any fix.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from knowledge.agencies import AgencyRegistry
from knowledge.answers import AnswerEngine
from knowledge.base import KnowledgeBase
from knowledge.importer import bundled_plan
from knowledge.plan_parser import parse_plan_source
from knowledge.records import ParsedPlan
from tests.knowledge.question_sets import load, score

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "knowledge" / "data" / "plans"


def parsed_from(path: Path, registry: AgencyRegistry) -> ParsedPlan:
    if not path.exists():
        path = FIXTURES / path.name
    return parse_plan_source(path.read_bytes(), name=path.name, registry=registry)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", type=Path)
    parser.add_argument("plans", type=Path, nargs="*")
    parser.add_argument("--no-bundled", action="store_true", help="leave the bundled 435/KH-UBND out")
    parser.add_argument("--misses", action="store_true", help="print every miss")
    args = parser.parse_args()

    registry = AgencyRegistry.bundled()
    parsed = [] if args.no_bundled else [parse_plan_source(bundled_plan(), name="bundled", registry=registry)]
    parsed += [parsed_from(p, registry) for p in args.plans]
    plans = [p.plan for p in parsed]
    # as an import stores them: the agencies a plan names that the registry lacks are known to the snapshot too
    engine = AnswerEngine(KnowledgeBase.build(plans, [a for p in parsed for a in p.agencies], registry))
    questions = load(args.questions)
    passed, misses = score(engine, questions)
    labels = ", ".join(p.number for p in plans)
    print(f"{args.questions.name}: {passed}/{len(questions)} ({labels})")
    if args.misses:
        for miss in misses:
            print(f"  {miss}")


if __name__ == "__main__":
    main()
