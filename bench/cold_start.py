"""Cold start of ``taskbot ask`` beside its anchor, the import floor (``import telegram, sqlalchemy, rapidfuzz``).

    python -m bench.cold_start [--rounds N]

Both run as fresh processes, alternately, on a temporary SQLite database already migrated and seeded; prints
min/median/max seconds of each and the ratio of the medians. The project's modules are byte-compiled first, as an
installed package's are (pip compiles on install; an editable checkout under PYTHONDONTWRITEBYTECODE=1 would otherwise
compile ~0.1 s of source on every start, which the floor's site-packages never do).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TASKBOT = Path(sys.executable).with_name("taskbot")


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def figures(values: list[float]) -> str:
    return f"{min(values):.2f}/{statistics.median(values):.2f}/{max(values):.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{Path(folder) / 'kb.sqlite3'}"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        root = Path(__file__).resolve().parents[1]
        packages = [str(root / name) for name in ("bot", "knowledge", "scheduler")]
        subprocess.run([sys.executable, "-m", "compileall", "-q", *packages], check=True, stdout=subprocess.DEVNULL)
        ask = [str(TASKBOT), "ask", "hạn báo cáo hằng năm"]
        floor = [sys.executable, "-c", "import telegram, sqlalchemy, rapidfuzz"]
        timed(ask, env)  # migrate and seed once
        asks, floors = [], []
        for _ in range(args.rounds):
            asks.append(timed(ask, env))
            floors.append(timed(floor, env))
    print(f"taskbot ask   {figures(asks)}")
    print(f"import floor  {figures(floors)}")
    print(f"ratio of medians {statistics.median(asks) / statistics.median(floors):.2f}x (goal ≤ 1.3x)")


if __name__ == "__main__":
    main()
