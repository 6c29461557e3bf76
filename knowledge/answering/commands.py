"""Queries for slash commands and buttons, built directly: a command fixes what is asked, its arguments fill slots.

``/nhiemvu Sở Tài chính`` is ``Query(shape="tasks", agencies=("Sở Tài chính",))``, never the sentence "Sở Tài chính
có nhiệm vụ gì" read again. Also here: a typed paging label ("xem thêm", "tiếp", "trang 2") read as a page request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from knowledge.answering.catalogue import Catalogue
from knowledge.answering.plan_resolution import TaskRef, find_plans, find_task_refs
from knowledge.answering.query import Query, Role, Status
from knowledge.answering.question import read_question
from knowledge.answering.time_window import default_window, read_window
from knowledge.answering.vocabulary import CueBook, cue_book
from knowledge.records import Agency

__all__ = ["Commands", "PageRequest", "read_page_request"]

_PAGE_NUMBER = re.compile(r"^(?:xem\s+)?trang\s+(?:so\s+)?(\d{1,3})$")


@dataclass(frozen=True, kw_only=True, slots=True)
class PageRequest:
    """A typed paging label: the next page (``page`` None) or a page by number."""

    page: int | None = None


def read_page_request(text: str, book: CueBook | None = None) -> PageRequest | None:
    """Whether a whole message only asks for more of the previous answer ("xem thêm", "tiếp", "trang 2")."""
    book = book or cue_book()
    fillers = book.words_of("filler")
    words = [w for w in read_question(text).words if w not in fillers]
    if not words:
        return None
    joined = " ".join(words)
    number = _PAGE_NUMBER.match(joined)
    if number:
        return PageRequest(page=max(1, int(number.group(1))))
    if joined in book.classes["more"]:
        return PageRequest()
    return None


class Commands:
    """Typed queries for the bot's commands over one snapshot."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue

    def agency_tasks(self, name: str, *, role: Role = "lead") -> Query:
        """An agency's tasks; a choice when the name fits several agencies, "no tasks" when it fits none."""
        match = self.catalogue.finder.find(read_question(name))
        if match.status == "found" and match.agencies:
            return Query(shape="tasks", agencies=(match.agencies[0].name,), role=role)
        if match.status == "ambiguous":
            return Query(shape="clarify", name=match.text, candidates=tuple(a.name for a in match.agencies), role=role)
        resolution = self.catalogue.kb.registry.resolve(name)
        if resolution is not None:
            return Query(shape="tasks", agencies=(resolution.agency.name,), role=role)
        return Query(shape="no_agency", name=name.strip())

    def asker(self, agency: str | None) -> Agency | None:
        """The agency a registered asker belongs to (canonical name, alias or a close spelling), if any."""
        if not agency:
            return None
        registry = self.catalogue.kb.registry
        found = registry.get(agency)
        if found is not None:
            return found
        resolution = registry.resolve(agency)
        return resolution.agency if resolution else None

    def my_tasks(self, asker: str | None) -> Query:
        """The asker's own agency's tasks (a registration hint when the asker has none)."""
        agency = self.asker(asker)
        return Query(shape="tasks", mine=True, agencies=(agency.name,) if agency else ())

    def deadlines(self, status: Status, args: str, *, asker: str | None, today: date) -> Query:
        """Due soon (``status`` "due") or overdue tasks; ``args`` may name an agency, a period or a plan."""
        question = read_question(args)
        own = self.asker(asker)
        agencies: tuple[str, ...] = (own.name,) if own else ()
        if args.strip():
            match = self.catalogue.finder.find(question)
            agencies = (match.agencies[0].name,) if match.status == "found" and match.agencies else ()
        window = None
        if status == "due":
            window = read_window(question, cue_book().scan(question.words, question.marked), today) or default_window(
                today
            )
        plans = tuple(p for m in find_plans(question, self.catalogue.directory) for p in m.plans)
        return Query(
            shape="tasks",
            status=status,
            window=window,
            agencies=agencies,
            plans=plans,
            plan_scope="named" if plans else "default",
        )

    def search(self, topic: str) -> Query:
        return Query(shape="tasks", topic=topic.strip())

    def plan_info(self, args: str) -> Query:
        """A plan's summary (the plan named in ``args``); the list of plans when there are several and none named."""
        question = read_question(args)
        plans = tuple(p for m in find_plans(question, self.catalogue.directory) for p in m.plans)
        if not plans and args.strip():
            plans = self.catalogue.directory.by_short_number(args.strip().split("/")[0])
        if plans:
            return Query(shape="plan_facts", facts=("summary",), plans=plans, plan_scope="named")
        if len(self.catalogue.kb.plans) > 1:
            return Query(shape="plans")
        return Query(shape="plan_facts", facts=("summary",))

    def task_detail(self, args: str) -> Query | None:
        """The tasks ``args`` names ("XV.6", "120:3", "3 kế hoạch 120"); None when it names no task."""
        question = read_question(args)
        refs = find_task_refs(question, self.catalogue.directory, find_plans(question, self.catalogue.directory))
        code = args.strip().upper()
        if not refs and self.catalogue.directory.plans_with_code(code):
            refs = (TaskRef(code=code),)  # a bare id: "/chitiet 3"
        return Query(shape="detail", tasks=refs) if refs else None

    def help(self) -> Query:
        return Query(shape="help")
