"""``taskbot ask`` and ``taskbot chat``: answer a question the way the bot would, or chat in the terminal.

The ``ask --batch --json`` output is a contract that acceptance tests rely on; keep its shape stable.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from bot.cli_common import (
    JsonOption,
    configure_logging,
    fail,
    load_settings,
    moment,
    open_runtime,
    print_json,
    resolve_agency,
    settle_memory,
)
from knowledge.answering.explain import describe, describe_json
from knowledge.answers import Answer
from knowledge.errors import TaskbotError

__all__ = ["answer_json", "ask_app"]

ask_app = typer.Typer()


def answer_json(answer: Answer) -> dict[str, Any]:
    return {
        "intent": answer.intent,
        "agencies": list(answer.agencies),
        "tasks": [{"plan": t.plan_number, "id": t.code} for t in answer.tasks],
        "text": answer.text,
        "citations": list(answer.citations),
        "suggestions": [s.label for s in answer.suggestions],
        "choices": [c.label for c in answer.choices],
        "page": answer.page,
        "pages": answer.pages,
    }


@ask_app.command("ask")
def ask_command(
    question: Annotated[str | None, typer.Argument(help="Câu hỏi, bằng tiếng Việt.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Trả lời như vào ngày này (YYYY-MM-DD hoặc DD/MM/YYYY).")
    ] = None,
    agency: Annotated[
        str | None, typer.Option("--agency", help="Cơ quan của người hỏi (cho “nhiệm vụ của tôi”).")
    ] = None,
    as_json: JsonOption = False,
    batch: Annotated[
        bool, typer.Option("--batch", help="Đọc các dòng JSON {q, as_of?, agency?} từ đầu vào chuẩn.")
    ] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="In thêm cách đọc câu hỏi: tín hiệu, quy tắc và truy vấn.")
    ] = False,
) -> None:
    """Trả lời một câu hỏi như bot trả lời."""
    with open_runtime() as runtime:
        if agency is not None:
            agency = resolve_agency(runtime.registry, agency).name  # an unknown --agency is an error, not ignored
        engine = runtime.answer_engine()
        settle_memory()
        settings = runtime.settings
    if batch:
        for number, raw in enumerate(sys.stdin, start=1):
            if not raw.strip():
                continue
            try:
                item = json.loads(raw)
                if not isinstance(item, dict) or not isinstance(item.get("q"), str):
                    raise ValueError("cần một đối tượng JSON có trường “q” là chuỗi")
                for key in ("as_of", "agency"):
                    if item.get(key) is not None and not isinstance(item[key], str):
                        raise ValueError(f"trường “{key}” phải là chuỗi")
                when = moment(item.get("as_of") or as_of, settings)
                answer = engine.answer(item["q"], agency=item.get("agency") or agency, now=when)
                sys.stdout.write(json.dumps(answer_json(answer), ensure_ascii=False) + "\n")
            except (ValueError, TaskbotError) as exc:
                message = exc.user_message if isinstance(exc, TaskbotError) else str(exc)
                sys.stdout.write(json.dumps({"error": f"dòng {number}: {message}"}, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        return
    if question is None:
        raise fail('Hãy nhập câu hỏi, ví dụ: taskbot ask "Sở Tài chính có nhiệm vụ gì?"', 2)
    now = moment(as_of, settings)
    answer = engine.answer(question, agency=agency, now=now)
    reading = engine.explain(question, agency=agency, now=now) if explain else None
    if as_json:
        data = answer_json(answer)
        if reading is not None:
            data["explain"] = describe_json(reading.signals, reading.routed)
        print_json(data)
        return
    if reading is not None:
        sys.stdout.write("\n".join(describe(reading.signals, reading.routed)) + "\n\n")
    sys.stdout.write(answer.text + "\n")


# -- chat ---------------------------------------------------------------------------------------------------------


@ask_app.command("chat")
def chat_command(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Trò chuyện như vào ngày này (YYYY-MM-DD hoặc DD/MM/YYYY).")
    ] = None,
    agency: Annotated[str | None, typer.Option("--agency", help="Hỏi với tư cách cán bộ của cơ quan này.")] = None,
) -> None:
    """Trò chuyện với bot ngay trong cửa sổ lệnh (không cần token)."""
    from bot.console import ConsoleChat

    settings = load_settings()
    configure_logging(settings)
    if agency is not None:
        from bot.runtime import load_registry

        agency = resolve_agency(load_registry(settings), agency).name
    fixed = moment(as_of, settings) if as_of else None
    settle_memory()
    ConsoleChat(settings, agency=agency, clock=(lambda: fixed) if fixed else None).run()
