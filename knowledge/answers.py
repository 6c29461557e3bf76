"""The answer engine: an officer's question in, a short Vietnamese answer with tasks, deadlines and sources out.

Pure and channel-neutral: no Telegram, no database, and the time is a parameter. Build one :class:`AnswerEngine` per
knowledge-base snapshot (at start and after each import); it indexes everything once.

A question goes through a pipeline of pure steps (:mod:`knowledge.answering`): its **signals** are read once
(cue words, agencies, plans, task ids, time window, topic), a table of named **routing** rules turns them into a
typed :class:`Query`, the query is **executed** over the snapshot (one filter per slot), and the findings are
**rendered** into an :class:`Answer`. Slash commands and buttons skip the first two steps: they run a Query.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from knowledge.answering.answer import Answer, Intent, Suggestion
from knowledge.answering.catalogue import Catalogue
from knowledge.answering.commands import Commands, PageRequest, read_page_request
from knowledge.answering.drafting import PAGE_SIZE
from knowledge.answering.execution import DoneCheck, execute
from knowledge.answering.query import Query
from knowledge.answering.rendering import render
from knowledge.answering.routing import Routed, route
from knowledge.answering.signals import Signals, read_signals
from knowledge.answering.time_window import YEARS
from knowledge.base import KnowledgeBase
from knowledge.errors import QuestionError
from knowledge.records import Agency

__all__ = [
    "PAGE_SIZE",
    "Answer",
    "AnswerEngine",
    "DoneCheck",
    "Explanation",
    "Intent",
    "PageRequest",
    "Query",
    "Suggestion",
    "read_page_request",
]


@dataclass(frozen=True, kw_only=True, slots=True)
class Explanation:
    """How a question was read: its signals, the rule that fired and the query it built."""

    signals: Signals
    routed: Routed


_EXPLAINED_KEPT = 256


class AnswerEngine:
    """Answers questions (and runs typed queries) from one knowledge-base snapshot."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.catalogue = Catalogue(kb)
        self.commands = Commands(self.catalogue)
        # How recent questions were read and routed: a pure function of the question, the asker, the day and the
        # chat's previous plans over this snapshot (officers ask the same few things). Execution is never kept: it
        # reads the reports of the moment.
        self._explained: dict[tuple[str, str | None, date, tuple[str, ...]], Explanation] = {}

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_explained"] = {}  # a cached engine starts with nothing remembered
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)

    def answer(
        self,
        text: str,
        *,
        agency: str | None = None,
        now: datetime,
        page: int = 1,
        is_done: DoneCheck | None = None,
        previous_plans: tuple[str, ...] = (),
    ) -> Answer:
        """Answer ``text`` asked by someone from ``agency`` (canonical name or alias, or None) at ``now``.

        ``previous_plans`` are the plans of the chat's previous answer: what "kế hoạch này" refers to.
        """
        check_day(now)
        explanation = self.explain(text, agency=agency, now=now, previous_plans=previous_plans)
        query = explanation.routed.query
        if page != 1:
            query = replace(query, page=page)
        return self.run(query, now=now, is_done=is_done, rule=explanation.routed.rule)

    def run(self, query: Query, *, now: datetime, is_done: DoneCheck | None = None, rule: str = "") -> Answer:
        """Execute a typed query (a slash command, a button, the next page) and render its answer."""
        check_day(now)
        findings = execute(query, self.catalogue, today=now.date(), is_done=is_done)
        return render(findings, self.catalogue, rule=rule)

    def explain(
        self, text: str, *, agency: str | None = None, now: datetime, previous_plans: tuple[str, ...] = ()
    ) -> Explanation:
        """The signals of ``text`` and the routing rule they fire, without executing the query."""
        key = (text, agency, now.date(), previous_plans)
        remembered = self._explained.get(key)
        if remembered is not None:
            return remembered
        asker = self.asker(agency)
        signals = read_signals(
            text,
            self.catalogue,
            today=now.date(),
            asker=asker.name if asker else None,
            previous_plans=previous_plans,
        )
        explanation = Explanation(signals=signals, routed=route(signals))
        if len(self._explained) >= _EXPLAINED_KEPT:
            self._explained.pop(next(iter(self._explained)), None)  # the oldest
        self._explained[key] = explanation
        return explanation

    def asker(self, agency: str | None) -> Agency | None:
        """The agency a registered asker belongs to (canonical name, alias or a close spelling), if any."""
        return self.commands.asker(agency)


def check_day(now: datetime) -> None:
    """Refuse a "today" outside the years the engine works with (an ``--as-of 9999-12-31``), with a clear message."""
    if now.year not in YEARS:
        raise QuestionError(
            f"as-of year {now.year} out of range",
            user_message=(
                f"Ngày {now.day:02d}/{now.month:02d}/{now.year:04d} nằm ngoài khoảng bot làm việc "
                f"(năm {YEARS.start}–{YEARS.stop - 1}); "
                "hãy chọn một ngày trong khoảng đó."
            ),
        )
