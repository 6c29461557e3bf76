"""In-process latency and memory of the answer engine on a large synthetic knowledge base, against a naive baseline.

    python -m bench.ask_latency [--tasks 10000 --agencies 1000 --plans 200 --questions 2000]
                                [--baseline-questions 200] [--profile 50] [--tracemalloc]

Builds :func:`bench.synthetic.synthetic_knowledge` (timing the knowledge base and ``AnswerEngine(kb)`` apart), warms
up on a separate question set, then times ``engine.answer(q, now=...)`` once per question with
:func:`time.perf_counter_ns`. Resident memory comes from ``/proc/self/status`` (VmRSS after building and after the
run, VmHWM for the peak). The baseline is what a first prototype would do: ``rapidfuzz.process.extract(question,
all_task_texts, scorer=fuzz.WRatio, limit=5)``; it is slow, so it runs on an evenly spread subset of the questions and
the engine is compared on the same subset.

``--profile N`` re-runs the N slowest questions under cProfile and prints the top functions; ``--tracemalloc`` traces
the build and prints where the memory is held (both slow the run down; their figures are for finding costs only).

It prints figures; it is not a test. Targets: p99 <= 5 ms, >= 20x faster than the baseline, RSS <= 150 MB.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import statistics
import sys
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz, process

from bench.synthetic import synthetic_knowledge, synthetic_questions
from knowledge.answers import AnswerEngine

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_TODAY = date(2021, 10, 1)  # inside most synthetic plan periods: both upcoming and overdue tasks exist

TARGET_P99_MS = 5.0
TARGET_SPEEDUP = 20.0
TARGET_RSS_MB = 150.0


@dataclass(frozen=True, kw_only=True, slots=True)
class Stats:
    """Latency figures in milliseconds."""

    count: int
    p50: float
    p90: float
    p99: float
    max: float
    mean: float

    @classmethod
    def of(cls, nanoseconds: Sequence[int]) -> Stats:
        ms = sorted(n / 1e6 for n in nanoseconds)
        if not ms:
            return cls(count=0, p50=0.0, p90=0.0, p99=0.0, max=0.0, mean=0.0)
        return cls(
            count=len(ms),
            p50=_percentile(ms, 50),
            p90=_percentile(ms, 90),
            p99=_percentile(ms, 99),
            max=ms[-1],
            mean=statistics.fmean(ms),
        )

    def row(self, label: str) -> str:
        return (
            f"{label:<22} {self.count:>6} {self.p50:>9.3f} {self.p90:>9.3f} {self.p99:>9.3f} "
            f"{self.max:>9.3f} {self.mean:>9.3f}"
        )


def _percentile(ordered: Sequence[float], pct: float) -> float:
    """Nearest-rank-interpolated percentile of an ascending sequence."""
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _memory() -> dict[str, float]:
    """VmRSS and VmHWM of this process in MB (MiB), from /proc/self/status; empty where /proc is missing."""
    out: dict[str, float] = {}
    status = Path("/proc/self/status")
    if not status.exists():
        return out
    for line in status.read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


def _mb(memory: dict[str, float], key: str) -> str:
    return f"{memory[key]:.1f} MB" if key in memory else "n/a"


def _header() -> str:
    return f"{'':<22} {'n':>6} {'p50 ms':>9} {'p90 ms':>9} {'p99 ms':>9} {'max ms':>9} {'mean ms':>9}"


def _mark(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _profile(engine: AnswerEngine, questions: Sequence[str], now: datetime, *, rounds: int = 5) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        for question in questions:
            engine.answer(question, now=now)
    profiler.disable()
    for order in ("cumulative", "tottime"):
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats(order).print_stats(25)
        print(f"\n-- cProfile of the {len(questions)} slowest questions x{rounds}, by {order} --")
        lines = buffer.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        print("\n".join(line for line in lines[start:] if line.strip()))


def _tracemalloc_report(snapshot: tracemalloc.Snapshot, base: tracemalloc.Snapshot) -> None:
    stats = snapshot.compare_to(base, "lineno")
    total = sum(s.size_diff for s in stats)
    print(f"\n-- tracemalloc: {total / 2**20:.1f} MB allocated and held by the build; top lines --")
    for stat in stats[:20]:
        frame = stat.traceback[0]
        where = f"{Path(frame.filename).parent.name}/{Path(frame.filename).name}:{frame.lineno}"
        print(f"{stat.size_diff / 2**20:>8.2f} MB {stat.count_diff:>9} blocks  {where}")
    by_file: dict[str, int] = defaultdict(int)
    for stat in snapshot.compare_to(base, "filename"):
        by_file[Path(stat.traceback[0].filename).name] += stat.size_diff
    print(
        "by file: "
        + ", ".join(
            f"{name} {size / 2**20:.1f} MB" for name, size in sorted(by_file.items(), key=lambda kv: -kv[1])[:8]
        )
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--agencies", type=int, default=1_000)
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--questions", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=300, help="questions (a separate set) answered before timing")
    parser.add_argument("--baseline-questions", type=int, default=200, help="subset for the slow rapidfuzz baseline")
    parser.add_argument("--today", type=date.fromisoformat, default=DEFAULT_TODAY, help="the date questions are asked")
    parser.add_argument("--slowest", type=int, default=10, help="list this many slowest questions")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile the N slowest questions")
    parser.add_argument(
        "--profile-intents", default="", metavar="A,B", help="only profile questions answered with these intents"
    )
    parser.add_argument("--tracemalloc", action="store_true", help="trace where the build's memory goes (slow)")
    parser.add_argument(
        "--no-gc-freeze",
        dest="gc_freeze",
        action="store_false",
        help="skip gc.freeze() after building (the bot freezes the snapshot at start and after imports)",
    )
    args = parser.parse_args(argv)
    now = datetime.combine(args.today, clock_time(9, 0), tzinfo=TZ)

    if args.tracemalloc:
        tracemalloc.start(1)
    base = tracemalloc.take_snapshot() if args.tracemalloc else None
    before = _memory()
    started = time.perf_counter()
    kb = synthetic_knowledge(tasks=args.tasks, agencies=args.agencies, plans=args.plans, seed=args.seed)
    kb_seconds = time.perf_counter() - started
    started = time.perf_counter()
    engine = AnswerEngine(kb)
    engine_seconds = time.perf_counter() - started
    snapshot = tracemalloc.take_snapshot() if args.tracemalloc else None
    if args.tracemalloc:
        tracemalloc.stop()
    questions = synthetic_questions(kb, n=args.questions, seed=args.seed)
    timed = set(questions)  # warm up on other questions, so no timed question hits a cache it filled itself
    warmup = [q for q in synthetic_questions(kb, n=args.warmup, seed=args.seed + 1) if q not in timed]
    gc.collect()
    if args.gc_freeze:
        gc.freeze()
    built = _memory()

    tasks = kb.tasks
    print(
        f"knowledge base: {len(kb.plans)} plans, {len(tasks)} tasks, {len(kb.registry)} agencies "
        f"({sum(len(t.schedule.deadlines) for t in tasks)} deadlines); today {args.today.isoformat()}"
    )
    print(
        f"build: synthetic_knowledge {kb_seconds:.2f} s (includes generating and parsing time phrases), "
        f"AnswerEngine(kb) {engine_seconds:.2f} s"
    )
    print(f"memory: RSS before build {_mb(before, 'VmRSS')}, after build {_mb(built, 'VmRSS')}")

    for question in warmup:
        engine.answer(question, now=now)

    full_collections: list[float] = []

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if info["generation"] == 2:
            full_collections.append(time.perf_counter() if phase == "start" else -time.perf_counter())

    latencies: list[int] = []
    by_intent: dict[str, list[int]] = defaultdict(list)
    intents: list[str] = []
    gc.callbacks.append(on_gc)
    for question in questions:
        t0 = time.perf_counter_ns()
        answer = engine.answer(question, now=now)
        elapsed = time.perf_counter_ns() - t0
        latencies.append(elapsed)
        by_intent[answer.intent].append(elapsed)
        intents.append(answer.intent)
    gc.callbacks.remove(on_gc)
    after = _memory()
    engine_stats = Stats.of(latencies)
    gc_ms = [(-stop - start) * 1e3 for start, stop in zip(full_collections[::2], full_collections[1::2], strict=False)]

    print(f"\nengine.answer on {len(questions)} questions (after {len(warmup)} warm-up questions):")
    print(_header())
    print(engine_stats.row("all"))
    for intent, values in sorted(by_intent.items(), key=lambda kv: -len(kv[1])):
        print(Stats.of(values).row(f"  {intent}"))
    if args.slowest:
        print(f"\nslowest {args.slowest}:")
        order = sorted(range(len(questions)), key=lambda i: -latencies[i])
        for i in order[: args.slowest]:
            print(f"  {latencies[i] / 1e6:>8.2f} ms  {intents[i]:<13} {questions[i]!r}")
    print(
        f"full (generation 2) garbage collections during the timed run: {len(gc_ms)}"
        + (f", {statistics.fmean(gc_ms):.1f} ms each on average" if gc_ms else "")
        + (" (gc.freeze() after build)" if args.gc_freeze else "")
    )
    print(f"memory: RSS after run {_mb(after, 'VmRSS')}, peak (VmHWM) {_mb(after, 'VmHWM')}")

    # The naive baseline, on an evenly spread subset.
    count = max(1, min(args.baseline_questions, len(questions)))
    step = len(questions) / count
    subset = sorted({int(i * step) for i in range(count)})
    texts = [t.content for t in tasks]
    baseline_ns: list[int] = []
    for i in subset:
        t0 = time.perf_counter_ns()
        process.extract(questions[i], texts, scorer=fuzz.WRatio, limit=5)
        baseline_ns.append(time.perf_counter_ns() - t0)
    baseline = Stats.of(baseline_ns)
    engine_subset = Stats.of([latencies[i] for i in subset])
    print(
        f"\nbaseline: rapidfuzz process.extract(q, {len(texts)} task texts, scorer=WRatio, limit=5) "
        f"on {len(subset)} of the {len(questions)} questions (every {step:g}th)"
    )
    print(_header())
    print(baseline.row("baseline"))
    print(engine_subset.row("engine, same subset"))
    speedup_mean = baseline.mean / engine_subset.mean if engine_subset.mean else float("inf")
    speedup_p50 = baseline.p50 / engine_subset.p50 if engine_subset.p50 else float("inf")
    print(f"speed-up on the subset: mean {speedup_mean:.1f}x, p50 {speedup_p50:.1f}x")

    rss = after.get("VmRSS", float("nan"))
    print(
        f"\nengine p50 {engine_stats.p50:.2f} ms, p99 {engine_stats.p99:.2f} ms, RSS {rss:.0f} MB; "
        f"baseline p50 {baseline.p50:.1f} ms; {speedup_mean:.0f}x faster"
    )
    print(
        f"targets: p99 <= {TARGET_P99_MS:g} ms: {_mark(engine_stats.p99 <= TARGET_P99_MS)} "
        f"({engine_stats.p99:.2f} ms); >= {TARGET_SPEEDUP:g}x faster: {_mark(speedup_mean >= TARGET_SPEEDUP)} "
        f"({speedup_mean:.0f}x mean, {speedup_p50:.0f}x p50); RSS <= {TARGET_RSS_MB:g} MB: "
        f"{_mark(rss <= TARGET_RSS_MB)} ({rss:.0f} MB)"
    )

    if args.tracemalloc:
        print("(--tracemalloc was on: the build time and memory figures above include its overhead)")
    if args.profile:
        wanted = {i.strip() for i in args.profile_intents.split(",") if i.strip()}
        order = sorted(range(len(questions)), key=lambda i: -latencies[i])
        picked = [questions[i] for i in order if not wanted or intents[i] in wanted]
        _profile(engine, picked[: args.profile], now)
    if snapshot is not None and base is not None:
        _tracemalloc_report(snapshot, base)
    return 0


if __name__ == "__main__":
    sys.exit(main())
