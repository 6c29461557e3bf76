"""The engine's answer record and the follow-ups it offers (buttons, numbered choices)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from knowledge.answering.query import Query
from knowledge.records import Task
from knowledge.reply import Reply

__all__ = ["Answer", "Intent", "Suggestion"]

Intent = Literal[
    "agency_tasks",
    "my_tasks",
    "who",
    "deadline",
    "upcoming",
    "overdue",
    "task_detail",
    "plan_facts",
    "plans",
    "reporting",
    "search",
    "count",
    "rank",
    "compare",
    "yes_no",
    "clarify",
    "greeting",
    "help",
    "unknown",
]


@dataclass(frozen=True, kw_only=True, slots=True)
class Suggestion:
    """A follow-up the user can pick (a button, or a numbered choice on Zalo).

    ``query`` is what picking it asks the engine; ``text`` (when there is no query) is sent as if typed, e.g. an
    example question or a command such as "/dangky".
    """

    label: str
    query: Query | None = None
    text: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Answer:
    """The engine's answer. ``tasks`` are all relevant tasks by relevance; the reply shows ``page`` of them.

    ``query`` is what was executed (``rule`` the routing rule that built it, "" for a typed query); ``next_page``
    asks for the following page; ``plans`` are the plans the answer drew on (what "kế hoạch này" means next).
    """

    intent: Intent
    reply: Reply
    query: Query
    rule: str = ""
    agencies: tuple[str, ...] = ()
    tasks: tuple[Task, ...] = ()
    plans: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    choices: tuple[Suggestion, ...] = ()
    page: int = 1
    pages: int = 1
    next_page: Query | None = None

    @property
    def text(self) -> str:
        return self.reply.plain()

    @property
    def html(self) -> str:
        return self.reply.html()
