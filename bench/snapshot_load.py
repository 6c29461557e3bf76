"""Time and memory to load the knowledge snapshot at scale, in a fresh process each round (what `taskbot run` pays
before it can answer): 10,000 tasks / 200 plans by default, SQLite (and PostgreSQL with --postgres URL).

    python -m bench.snapshot_load [--tasks 10000] [--plans 200] [--rounds 3] [--postgres postgresql+psycopg://…]

Prints min/median/max seconds for opening the runtime, loading the plans and building the answer engine, and the
process's peak RSS: with the plans read from the database, and from the snapshot cache (written once before).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.synthetic import scale_options

CHILD = r"""
import gc, json, resource, sys, time
gc.disable()
start = time.perf_counter()
from bot.runtime import Runtime
from bot.settings import Settings
from knowledge.answers import AnswerEngine
cache = sys.argv[2]
settings = Settings(
    _env_file=None, database_url=sys.argv[1], taskbot_agencies_file=None,
    taskbot_snapshot_cache=bool(cache), **({"taskbot_cache_dir": cache} if cache else {}),
)
runtime = Runtime.open(settings)
opened = time.perf_counter()
kb = runtime.knowledge()
loaded = time.perf_counter()
engine = AnswerEngine(kb)
ready = time.perf_counter()
gc.enable()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"open": opened - start, "load": loaded - opened, "engine": ready - loaded,
                  "ready": ready - start, "rss_mb": rss, "tasks": len(kb.tasks)}))
runtime.close()
"""


def build(url: str, tasks: int, plans: int) -> None:
    from bench.synthetic import synthetic_knowledge
    from bot.runtime import Runtime
    from bot.settings import Settings
    from knowledge.records import ParsedPlan

    kb = synthetic_knowledge(tasks=tasks, plans=plans)
    runtime = Runtime.open(Settings(_env_file=None, database_url=url, taskbot_agencies_file=None))  # type: ignore[call-arg]
    try:
        runtime.repository.sync_agencies(kb.registry)
        for plan in kb.plans:
            names = {n for t in plan.tasks for n in (*t.lead, *t.coordinators)}
            agencies = tuple(a for n in names if (a := kb.registry.get(n)) is not None)
            runtime.repository.save_plan(ParsedPlan(plan=plan, agencies=agencies))
    finally:
        runtime.close()


def main() -> None:
    parser = scale_options(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        targets = {"sqlite": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"}
        if args.postgres:
            targets["postgresql"] = args.postgres
        for label, url in targets.items():
            started = time.perf_counter()
            build(url, args.tasks, args.plans)
            print(f"{label}: built {args.tasks} tasks / {args.plans} plans in {time.perf_counter() - started:.1f} s")
            for source, cache in (("database", ""), ("snapshot cache", str(Path(tmp) / f"cache-{label}"))):
                if cache:  # written once, as the first start after an import does
                    subprocess.run([sys.executable, "-c", CHILD, url, cache], capture_output=True, check=True)
                runs = []
                for _ in range(args.rounds):
                    out = subprocess.run(
                        [sys.executable, "-c", CHILD, url, cache], capture_output=True, text=True, check=True
                    )
                    runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
                print(f" plans from the {source}:")
                for key in ("open", "load", "engine", "ready"):
                    values = [r[key] for r in runs]
                    print(f"  {key:7} {min(values):.2f} / {statistics.median(values):.2f} / {max(values):.2f} s")
                print(f"  peak RSS {statistics.median(r['rss_mb'] for r in runs):.0f} MB, {runs[0]['tasks']} tasks")


if __name__ == "__main__":
    main()
