"""Export time at scale: every format over the synthetic knowledge base (10,000 tasks / 200 plans by default), with
one report per tenth task. Prints seconds and size per format, min/median/max over rounds; not a test.

    python -m bench.export [--tasks 10000] [--plans 200] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, date, datetime

from bench.synthetic import synthetic_knowledge
from scheduler.exports import EXPORT_FORMATS, build_export
from scheduler.records import ProgressReport


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    kb = synthetic_knowledge(tasks=args.tasks, plans=args.plans)
    today = date(2026, 11, 25)
    reports = []
    for i, task in enumerate(kb.tasks[::10]):
        due = task.schedule.deadlines[0].due if task.schedule.deadlines else today
        reports.append(
            ProgressReport(
                id=i,
                plan=task.plan_number,
                task=task.code,
                agency=task.lead[0] if task.lead else "x",
                occurrence=due,
                status="done",
                reported_on=due,
                note="đã xong",
                reported_by="bench",
                created_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )
    print(f"{len(kb.tasks)} tasks in {len(kb.plans)} plans, {len(reports)} reports")
    for fmt in EXPORT_FORMATS:
        times = []
        size = tasks = 0
        for _ in range(args.rounds):
            start = time.perf_counter()
            exported = build_export(kb, reports, fmt=fmt, today=today, all_plans=True)  # one file, every task
            size += len(exported.data)
            tasks += exported.tasks
            times.append(time.perf_counter() - start)
        print(
            f"{fmt:5} {tasks // args.rounds:6d} tasks: {min(times):.2f} / {statistics.median(times):.2f} / "
            f"{max(times):.2f} s (min/median/max), {size // args.rounds / 1e6:.1f} MB"
        )


if __name__ == "__main__":
    main()
