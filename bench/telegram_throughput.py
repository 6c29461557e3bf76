"""Messages per second answered by the full Telegram bot versus a bare PTB echo bot, on the same fake Bot API.

All bots long-poll the same kind of in-process fake server (``tests/fakes/telegram_api.py``) in the same run, with
the same update concurrency and **without** a rate limiter (AIORateLimiter's 30 msg/s would otherwise be all we
measured). ``N`` text questions from 50 chats are queued at once; the clock runs until the N-th reply is recorded.

Three bots are measured:

* **full bot** — :func:`bot.telegram_bot.build_application` (``rate_limit=False``): the real adapter and core;
* **same replies, no core** — a bare PTB bot sending, for each question, the very HTML and keyboard the full bot
  sends (computed beforehand): what the bigger messages cost by themselves;
* **echo bot** — a bare PTB bot sending the question back as plain text.

Then the core's per-message costs are timed in-process (no HTTP), to say what the difference is made of.

    python -m bench.telegram_throughput [--messages 2000] [--chats 50] [--rounds 3] [--sequential]

It prints figures; it is not a test. Goal (issue #15): the full bot's CPU per message ≤ 1.3 × the echo bot's.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bench.remote_fake import RemoteFake
from bot.conversation import Conversation, Incoming, Outgoing
from bot.runtime import Runtime
from bot.services import Services
from bot.settings import Settings
from bot.telegram_bot import ERROR_REPLY, MAX_CONCURRENT_UPDATES, PerChatUpdateProcessor, build_application

QUESTIONS = (
    "Sở Tài chính có nhiệm vụ gì?",
    "hạn báo cáo hằng năm?",
    "Ai lo phần mềm kế toán cho HTX?",
    "sắp đến hạn việc gì?",
    "chi tiết XV.6",
    "Sở KH&ĐT làm gì",
    "sở tài có nhiệm vụ gì",
    "/cuatoi",
    "/kehoach",
    "quá hạn",
)
CLOCK = datetime(2018, 10, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
TOKEN = "123456:BENCH-token"
FIRST_CHAT = 100_000

AnyApp = Application[Any, Any, Any, Any, Any, Any]
Canned = dict[str, list[tuple[str, InlineKeyboardMarkup | None]]]

# The fake inherits socketserver's listen backlog of 5: with dozens of concurrent sends, connections beyond it are
# reset (httpx.ReadError) and replies go missing. Telegram has no such limit, so the bench widens it.


def _settings(database: Path, fake: RemoteFake | None = None) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite:///{database}",
        telegram_bot_token=fake.token if fake else None,
        telegram_api_base_url=fake.url if fake else None,
        taskbot_admins="",
        taskbot_agencies_file=None,
        webhook_url=None,
    )


def _concurrency(builder: Any, sequential: bool) -> Any:
    return builder if sequential else builder.concurrent_updates(MAX_CONCURRENT_UPDATES)


def full_application(
    fake: RemoteFake, database: Path, *, sequential: bool, answers: dict[str, list[Outgoing]] | None = None
) -> AnyApp:
    """The real bot, without the rate limiter; with ``answers``, its core's replies are looked up, not computed."""
    application = build_application(_settings(database, fake), clock=lambda: CLOCK, rate_limit=False)
    if sequential:  # same wiring, one update at a time (PTB's default)
        application._update_processor = PerChatUpdateProcessor(1)  # noqa: SLF001 - bench-only switch
    if answers is not None:
        post_init = application.post_init
        assert post_init is not None

        async def canned_core(incoming: Incoming) -> list[Outgoing]:
            return answers[incoming.text]

        async def post_init_canned(app: AnyApp) -> None:
            await post_init(app)
            app.bot_data.conversation.on_text = canned_core

        application.post_init = post_init_canned
    return application


def _bare(fake: RemoteFake, sequential: bool) -> Any:
    builder = ApplicationBuilder().token(fake.token).base_url(f"{fake.url}/bot").base_file_url(f"{fake.url}/file/bot")
    return _concurrency(builder, sequential)


def echo_application(fake: RemoteFake, *, sequential: bool) -> AnyApp:
    """A bare PTB bot that sends the text back (commands included: every question gets one reply)."""

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is not None and message.text:
            await context.bot.send_message(chat_id=message.chat_id, text=message.text)

    application: AnyApp = _bare(fake, sequential).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    return application


def canned_application(fake: RemoteFake, canned: Canned, *, sequential: bool) -> AnyApp:
    """A bare PTB bot that sends the full bot's replies (HTML, keyboard, no preview) without computing them."""
    no_preview = LinkPreviewOptions(is_disabled=True)

    async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is not None and message.text:
            for text, markup in canned[message.text]:
                await context.bot.send_message(
                    chat_id=message.chat_id,
                    text=text,
                    parse_mode=ParseMode.HTML,
                    link_preview_options=no_preview,
                    reply_markup=markup,
                )

    application: AnyApp = _bare(fake, sequential).build()
    application.add_handler(MessageHandler(filters.TEXT, reply))
    return application


@asynccontextmanager
async def running(application: AnyApp) -> AsyncIterator[None]:
    """initialize, post_init, start, poll ... stop, shutdown, post_shutdown (what ``run_polling`` does)."""
    assert application.updater is not None
    try:
        async with application:
            if application.post_init is not None:
                await application.post_init(application)
            await application.start()
            await application.updater.start_polling(poll_interval=0.0, timeout=1)
            try:
                yield
            finally:
                await application.updater.stop()
                await application.stop()
    finally:
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


async def _wait_for(fake: RemoteFake, count: int, timeout: float) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while (sent := fake.sent_count()) < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {sent} of {count} replies after {timeout:.0f} s")
        await asyncio.sleep(0.01)  # each look costs this process a little CPU: not too often


async def measure(fake: RemoteFake, application: AnyApp, *, messages: int, chats: int) -> tuple[float, float]:
    """Replies per second, and this process's CPU ms per reply, for ``messages`` questions from ``chats`` chats.

    CPU is ``time.process_time`` over the batch: every thread of the bot's process (the database worker included),
    not the fake (its own process), and not the time spent waiting for the fake's answers.
    """
    errors: list[BaseException] = []

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.append(context.error or RuntimeError("unknown error"))

    if not application.error_handlers:
        application.add_error_handler(on_error)
    async with running(application):
        warm = fake.sent_count()
        fake.push_many([(900_000 + i, question, "Cán bộ") for i, question in enumerate(QUESTIONS)])
        await _wait_for(fake, warm + len(QUESTIONS), 30)
        await asyncio.sleep(0.2)
        start_count = fake.sent_count()
        batch = [
            (FIRST_CHAT + i % chats, QUESTIONS[i % len(QUESTIONS)], f"Cán bộ {i % chats}") for i in range(messages)
        ]
        started, cpu_started = time.perf_counter(), time.process_time()
        fake.push_many(batch)
        await _wait_for(fake, start_count + messages, max(60.0, messages / 10))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        await asyncio.sleep(0.1)
    failed = fake.count_text(ERROR_REPLY) + len(errors)
    extra = fake.sent_count() - start_count - messages
    if failed or extra:
        print(f"warning: {failed} errors, {extra} replies more than questions", file=sys.stderr)
    return messages / elapsed, cpu / messages * 1000


async def _per_call_ms(count: int, call: Callable[[int], Awaitable[object]]) -> float:
    started = time.perf_counter()
    for i in range(count):
        await call(i)
    return (time.perf_counter() - started) / count * 1000


async def core_costs(
    database: Path, *, chats: int
) -> tuple[dict[str, list[Outgoing]], Canned, list[tuple[str, float]]]:
    """The core's answer to each question, the messages the full bot sends for it, and the core's costs."""
    runtime = Runtime.open(_settings(database))
    try:
        services = Services(runtime, clock=lambda: CLOCK)
        conversation = Conversation(services, bot_username="bench_bot")
        answers: dict[str, list[Outgoing]] = {}
        canned: Canned = {}
        for question in QUESTIONS:
            answers[question] = await conversation.on_text(Incoming(channel="telegram", chat_id="1", text=question))
            [out] = answers[question]
            rows = [[InlineKeyboardButton(b.label, callback_data=b.action) for b in row] for row in out.buttons]
            markup = InlineKeyboardMarkup(rows) if rows else None
            chunks = out.reply.html_chunks(4096)
            canned[question] = [(c, markup if i == len(chunks) - 1 else None) for i, c in enumerate(chunks)]

        async def lookup(i: int) -> object:
            return await services.db(services.contacts.get, "telegram", str(FIRST_CHAT + i % chats))

        async def lookup_inline(i: int) -> object:
            return services.contacts.get("telegram", str(FIRST_CHAT + i % chats))

        async def hop(i: int) -> object:
            return await asyncio.to_thread(int)

        async def answer(i: int) -> object:
            return services.engine.answer(QUESTIONS[i % len(QUESTIONS)], agency=None, now=CLOCK)

        async def on_text(i: int) -> object:
            incoming = Incoming(channel="telegram", chat_id=str(FIRST_CHAT + i % chats), text=QUESTIONS[i % 10])
            [out] = await conversation.on_text(incoming)
            return out.reply.html_chunks(4096)

        n = 2000
        costs = [
            ("Conversation.on_text + HTML rendering", await _per_call_ms(n, on_text)),
            ("  contact lookup via services.db (worker thread)", await _per_call_ms(n, lookup)),
            ("    of which the SQLite query itself", await _per_call_ms(n, lookup_inline)),
            ("    of which the thread hop (asyncio.to_thread)", await _per_call_ms(n, hop)),
            ("  engine.answer", await _per_call_ms(n, answer)),
        ]
    finally:
        runtime.close()
    return answers, canned, costs


async def main(messages: int, chats: int, sequential: bool, rounds: int = 3) -> None:
    logging.basicConfig(level=logging.WARNING)
    samples: dict[str, list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        answers, canned, costs = await core_costs(Path(tmp) / "core.sqlite3", chats=chats)
        bots: dict[str, Callable[[RemoteFake], AnyApp]] = {
            "full": lambda fake: full_application(fake, Path(tmp) / "full.sqlite3", sequential=sequential),
            "adapter": lambda fake: full_application(
                fake, Path(tmp) / "adapter.sqlite3", sequential=sequential, answers=answers
            ),
            "replies": lambda fake: canned_application(fake, canned, sequential=sequential),
            "echo": lambda fake: echo_application(fake, sequential=sequential),
        }
        for _ in range(rounds):  # interleaved rounds, median per bot: the machine's noise hits every bot alike
            for name, make in bots.items():
                with RemoteFake(TOKEN) as fake:
                    samples.setdefault(name, []).append(await measure(fake, make(fake), messages=messages, chats=chats))
    rates = {name: statistics.median(rate for rate, _ in values) for name, values in samples.items()}
    cpu = {name: statistics.median(ms for _, ms in values) for name, values in samples.items()}
    mode = "sequential (one update at a time)" if sequential else f"up to {MAX_CONCURRENT_UPDATES} concurrent updates"
    print(f"{messages} messages from {chats} chats; rate limiter off for every bot; {mode}; median of {rounds} rounds")
    per_round = zip(samples["full"], samples["echo"], strict=True)
    print("CPU ratio per round: " + ", ".join(f"{f[1] / e[1]:.2f}" for f, e in per_round))
    print(
        f"CPU per message (this process, all threads): full {cpu['full']:.2f} ms, echo {cpu['echo']:.2f} ms,"
        f" ratio {cpu['full'] / cpu['echo']:.2f} (goal ≤ 1.3)"
    )
    print(
        f"  = echo {cpu['echo']:.2f} + bigger replies {cpu['replies'] - cpu['echo']:.2f}"
        f" + adapter {cpu['adapter'] - cpu['replies']:.2f} + core {cpu['full'] - cpu['adapter']:.2f} ms"
    )
    print(
        f"throughput: full {rates['full']:.0f} msg/s, echo {rates['echo']:.0f} msg/s"
        f" (ratio {rates['full'] / rates['echo']:.2f}); same replies without core {rates['replies']:.0f},"
        f" adapter only {rates['adapter']:.0f} msg/s"
    )
    print("core costs measured in-process (no HTTP, no competing threads), per message:")
    for label, cost in costs:
        print(f"  {label}: {cost:.3f} ms")


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=2000, help="questions to answer (default 2000)")
    parser.add_argument("--chats", type=int, default=50, help="chats they come from (default 50)")
    parser.add_argument("--sequential", action="store_true", help="every bot handles one update at a time")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; medians are reported (default 3)")
    args = parser.parse_args()
    asyncio.run(main(args.messages, args.chats, args.sequential, args.rounds))


if __name__ == "__main__":
    cli()
