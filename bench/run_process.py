"""The real ``taskbot run`` process at scale (issue #15): start-up until it can answer, memory idle and after a
reload, on a knowledge base of 10,000 tasks / 200 plans, against the fake Telegram Bot API in its own process.

    python -m bench.run_process [--tasks 10000] [--plans 200] [--rounds 3] [--postgres postgresql+psycopg://…]

Each round starts a fresh ``taskbot run`` (polling the fake) and prints:
- ``started``: seconds until its start-up line ("taskbot started: …");
- ``answered``: seconds until the first question pushed at that moment is answered;
- ``rss idle``: resident memory a few seconds after start (VmRSS), and ``peak`` (VmHWM);
- ``rss reload N``: resident memory once the N-th plan import made elsewhere has been picked up (the watch job polls
  every 10 s); the first adds a plan, the next ones change it.
The snapshot cache is in a folder of the run: the first round writes it, the others read it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.remote_fake import RemoteFake
from bench.snapshot_load import build
from bench.synthetic import scale_options

TOKEN = "123456:BENCH-run-process"
RELOADS = 3  # plans imported elsewhere one after another: memory after each reload
PLAN = Path(__file__).resolve().parents[1] / "tests" / "knowledge" / "data" / "plans" / "kh-2026-htx-topic-table.md"


def status_kb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return float(line.split()[1]) / 1024
    return 0.0


def import_elsewhere(url: str, edition: int = 0) -> None:
    """Import one plan from this process (``edition`` > 0: again, with its title changed, so that the knowledge
    base changes each time): the running bot must notice and reload."""
    from dataclasses import replace

    from bot.runtime import Runtime
    from bot.settings import Settings
    from knowledge.plan_parser import parse_plan_source

    runtime = Runtime.open(Settings(_env_file=None, database_url=url, taskbot_snapshot_cache=False))  # type: ignore[call-arg]
    try:
        parsed = parse_plan_source(PLAN.read_bytes(), name=PLAN.name, registry=runtime.registry)
        if edition:
            parsed = replace(parsed, plan=replace(parsed.plan, title=f"{parsed.plan.title} (bản {edition})"))
        runtime.repository.save_plan(parsed)
    finally:
        runtime.close()


def one_round(url: str, fake: RemoteFake, cache: Path | None, chat: int) -> dict[str, float]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": fake.url,
        "TASKBOT_CACHE_DIR": str(cache or ""),
        "TASKBOT_SNAPSHOT_CACHE": "true" if cache else "false",
        "TASKBOT_LOG_LEVEL": "WARNING",
    }
    env.pop("WEBHOOK_URL", None)
    started_at = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", "from bot.entry import main; main()", "run"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    started = threading.Event()

    def read_log() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            if "taskbot started" in line:
                started.set()

    threading.Thread(target=read_log, daemon=True).start()
    try:
        if not started.wait(120):
            raise RuntimeError("taskbot run did not start")
        figures = {"started": time.perf_counter() - started_at}
        before = fake.sent_count()
        fake.push_text(chat, "Sở Tài chính có nhiệm vụ gì?")
        while fake.sent_count() <= before:
            if time.perf_counter() - started_at > 120:
                raise RuntimeError("no answer")
            time.sleep(0.01)
        figures["answered"] = time.perf_counter() - started_at
        time.sleep(3)
        figures["rss idle"] = status_kb(process.pid, "VmRSS")
        for edition in range(RELOADS):
            import_elsewhere(url, edition)
            time.sleep(13)  # one watch interval (10 s) and the rebuild
            figures[f"rss reload {edition + 1}"] = status_kb(process.pid, "VmRSS")
        figures["peak"] = status_kb(process.pid, "VmHWM")
        return figures
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> None:
    parser = scale_options(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.add_argument("--no-cache", action="store_true", help="without the snapshot cache")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, RemoteFake(TOKEN) as fake:
        targets = {"sqlite": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"}
        if args.postgres:
            targets["postgresql"] = args.postgres
        for label, url in targets.items():
            build(url, args.tasks, args.plans)
            cache = None if args.no_cache else Path(tmp) / f"cache-{label}"
            runs = [one_round(url, fake, cache, 5000 + i) for i in range(args.rounds)]
            print(f"{label}: {args.tasks} tasks / {args.plans} plans, {args.rounds} rounds (min / median / max)")
            reloads = [(f"rss reload {n}", "MB") for n in range(1, RELOADS + 1)]
            for key, unit in (("started", "s"), ("answered", "s"), ("rss idle", "MB"), *reloads):
                values = [r[key] for r in runs]
                print(f"  {key:10} {min(values):.2f} / {statistics.median(values):.2f} / {max(values):.2f} {unit}")
            print(f"  peak       {max(r['peak'] for r in runs):.0f} MB (VmHWM, highest round)")


if __name__ == "__main__":
    main()
