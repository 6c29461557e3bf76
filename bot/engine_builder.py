"""Build the answer engine in a child process and leave it in the snapshot cache (issue #15: a reload never grows
the bot's memory).

Building an engine allocates and frees hundreds of thousands of temporary objects; done inside the long-running bot,
that leaves its heap fragmented (~30 MB more after every reload, which the allocator never gives back). The bot
therefore asks a short-lived child to build and cache the engine, and then reads it back from the cache: compact, in
~0.15 s, with nothing left over. The child is ``python -m bot.engine_builder``; it reads its settings (a JSON object of
the few it needs) on standard input, so no secret travels on a command line.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from typing import Final

from bot.runtime import Runtime
from bot.settings import Settings

__all__ = ["build_in_child", "main"]

log = logging.getLogger(__name__)

CHILD_TIMEOUT: Final = 300.0  # seconds; a child that takes longer is stopped and the bot builds the engine itself


def _child_settings(settings: Settings) -> str:
    agencies = settings.taskbot_agencies_file
    return json.dumps(
        {
            "database_url": settings.database_url,
            "taskbot_agencies_file": None if agencies is None else str(agencies),
            "taskbot_cache_dir": str(settings.taskbot_cache_dir),
        }
    )


async def build_in_child(settings: Settings) -> bool:
    """Have a child process build the engine into the snapshot cache; False when it could not (the caller then
    builds in-process). Never raises for the child's failure."""
    try:
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.engine_builder",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
    except OSError as exc:
        log.warning("engine builder not started (%s): building in this process", exc)
        return False
    try:
        _, errors = await asyncio.wait_for(child.communicate(_child_settings(settings).encode()), CHILD_TIMEOUT)
    except TimeoutError:
        child.kill()
        await child.wait()
        log.warning("engine builder stopped after %.0f s: building in this process", CHILD_TIMEOUT)
        return False
    if child.returncode != 0:
        last = errors.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
        log.warning("engine builder failed (exit %s: %s): building in this process", child.returncode, last[0])
        return False
    return True


def main() -> None:
    """The child: build the engine of the database named on standard input and cache it."""
    values = json.loads(sys.stdin.read())
    settings = Settings(_env_file=None, taskbot_snapshot_cache=True, **values)  # type: ignore[call-arg]
    runtime = Runtime.open(settings, seed=False)
    try:
        runtime.answer_engine()
    finally:
        runtime.close()


if __name__ == "__main__":
    main()
