"""The ``taskbot`` console script: the collector paused while the command starts, then the CLI.

Start-up creates mostly long-lived objects (modules, the agency registry, the knowledge snapshot), so the cyclic
garbage collector's passes over them are wasted work (~0.1-0.2 s of a one-shot ``taskbot ask``). Commands that keep
running (``run``, ``chat``, ``ask`` over a batch) call :func:`bot.cli_common.settle_memory` once their state is
built: it moves what exists to the permanent generation and turns the collector back on.
"""

from __future__ import annotations

import gc

__all__ = ["main"]


def main() -> None:
    gc.disable()
    from bot.cli import main as cli_main

    cli_main()
