"""Execution: a :class:`Query` over the indexed snapshot, one filter per slot. Pure; today is a parameter.

Tasks are taken from the plans in scope, then narrowed by each slot that is set — agencies (with their role),
topic, status and time window — so any slots combine. What was found is a :class:`Findings` record; rendering turns
it into words.

Scope: a query that names plans (or follows "kế hoạch này") reads those plans, whatever their status. Otherwise it
reads the plans in force; when nothing in force fits, the plans that have ended (never archived ones), and the answer
says they have ended.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from knowledge.answering.catalogue import Catalogue, Occurrence, Passage
from knowledge.answering.query import Query, Role
from knowledge.answering.succession_notes import used_stand_ins
from knowledge.answering.time_window import default_window
from knowledge.base import RoleFilter
from knowledge.records import Agency, Duty, Plan, Task
from knowledge.succession import StandIn
from knowledge.text import fold
from knowledge.time_phrase_tokens import key as time_key

__all__ = ["DoneCheck", "Findings", "execute"]

DoneCheck = Callable[[Task, date], bool]
"""Whether a task's occurrence (its due date) has been reported done; supplied by the caller."""

_TOPIC_LIMIT = 5  # tasks a topic search returns
_FILTERED_TOPIC_LIMIT = 50  # tasks a topic search within other slots returns
_PASSAGE_LIMIT = 3
_YEAR_DAYS = 300  # a window this long is a year: an agency's continuous tasks are listed beside its deadlines
_NEXT_SHOWN = 3  # the next deadlines named when none falls in the default window
_FITTING_COVERAGE = 0.6  # a topic fits the plans in force when their best task covers this much of it
_TASK_SHAPES = frozenset({"tasks", "count", "who", "when", "detail"})


@dataclass(frozen=True, kw_only=True, slots=True)
class Findings:
    """What a query found. Which fields are set depends on the query's shape and slots."""

    query: Query
    today: date
    plans: tuple[Plan, ...]  # the plans in scope
    fell_back: bool = False  # nothing in force fitted: the plans in scope are ended ones
    tasks: tuple[Task, ...] = ()  # the answer's tasks, most relevant (or first due) first
    occurrences: Sequence[Occurrence] = ()  # deadlines, for status and window queries
    next_due: Sequence[Occurrence] = ()  # nothing due in the default window ("sắp đến hạn"): the next deadlines
    ongoing: tuple[Task, ...] = ()  # an agency's year: its tasks done all the time, which fall due on no day
    agencies: tuple[Agency, ...] = ()  # the query's agencies, resolved
    role: Role = "lead"  # the role the listed tasks are held in (an agency listed may fall back to "coordinator")
    led: tuple[Task, ...] = ()  # one agency: the tasks it leads
    coordinated: tuple[Task, ...] = ()  # one agency: the tasks it coordinates
    via_group: str = ""  # one agency: the group through which it holds its tasks ("UBND các quận, huyện")
    stand_ins: tuple[StandIn, ...] = ()  # one agency: bodies it holds tasks through by succession (merged, renamed…)
    kept_apart: tuple[tuple[StandIn, tuple[Task, ...]], ...] = ()  # one agency: predecessors' tasks not counted
    duties: tuple[tuple[Plan, Duty], ...] = ()  # one agency without tasks: the plan body's duties naming it
    counts: tuple[tuple[str, int], ...] = ()  # several agencies, ranks, comparisons: how many tasks each holds
    lead_agency: str = ""  # partner queries: the agency leading the shared tasks
    helper_agency: str = ""  # partner queries: the agency coordinating them
    passages: tuple[Passage, ...] = ()
    coverage: float = 0.0  # topic queries: how much of the topic the best task covers
    elsewhere: tuple[Task, ...] = ()  # an agency's tasks about a topic: none, but this task of another is that work


_ELSEWHERE_COVERAGE = 0.6  # how much of the work asked about another agency's task must cover to be named instead


def execute(query: Query, catalogue: Catalogue, *, today: date, is_done: DoneCheck | None = None) -> Findings:
    """Run ``query`` over ``catalogue`` as of ``today``; ``is_done`` says which occurrences were reported done."""
    plans, fallback = _scope(query, catalogue, today)
    found = _execute(query, catalogue, plans, today, is_done)
    if fallback and query.shape in _TASK_SHAPES and not _fits(found):
        again = _execute(query, catalogue, fallback, today, is_done)
        if (again.tasks or again.duties) and (not found.tasks or again.coverage > found.coverage):
            return replace(again, fell_back=True)
    return found


def _fits(found: Findings) -> bool:
    """Whether the plans in force answer: some task (or duty) fits, and a topic fits well enough."""
    if not (found.tasks or found.duties):
        return False
    return not found.query.topic or found.coverage >= _FITTING_COVERAGE


def _execute(
    query: Query, catalogue: Catalogue, plans: tuple[Plan, ...], today: date, is_done: DoneCheck | None
) -> Findings:
    base = Findings(query=query, today=today, plans=plans)
    shape = query.shape
    if shape in ("tasks", "count"):
        return _task_list(query, catalogue, base, today, is_done)
    if shape in ("who", "when"):
        within = catalogue.subset(catalogue.scope(plans))
        hits = catalogue.topics.search(query.topic, limit=_TOPIC_LIMIT, within=within)
        agencies = tuple(a for n in query.agencies if (a := catalogue.kb.agency(n)) is not None)
        coverage = hits[0].coverage if hits else 0.0
        return replace(base, tasks=tuple(h.item for h in hits), agencies=agencies, coverage=coverage)
    if shape == "detail":
        tasks = [t for ref in query.tasks for t in catalogue.task(ref)]
        return replace(base, tasks=tuple(dict.fromkeys(tasks)))
    if shape == "plan_text" and "funding" in query.facts:  # where each plan's money comes from, as it says
        funding = [Passage(kind="duty", plan=p, duty=d) for p in plans for d in p.duties if d.funding]
        without = {p.number for p in plans} - {f.plan.number for f in funding}
        funding += [  # a plan with no funding section: what its other duties say of the money
            Passage(kind="duty", plan=p, duty=d)
            for p in plans
            if p.number in without
            for d in p.duties
            if "kinh phi" in fold(d.text)
        ]
        return replace(base, passages=tuple(funding))
    if shape == "plan_text":
        passages = catalogue.search_passages(query.topic, limit=_PASSAGE_LIMIT)
        return replace(base, passages=tuple(h.item for h in passages))
    if shape == "rank":
        return _rank(query, base)
    if shape == "compare":
        return _compare(query, catalogue, base)
    return base


# -- scope --------------------------------------------------------------------------------------------------------


def _scope(query: Query, catalogue: Catalogue, today: date) -> tuple[tuple[Plan, ...], tuple[Plan, ...]]:
    """The plans a query reads, and the plans to read instead when nothing there fits."""
    if query.plans:
        return tuple(catalogue.plans[n] for n in query.plans if n in catalogue.plans), ()
    if query.shape in ("detail", "plans") or (query.shape == "plan_text" and "funding" not in query.facts):
        return tuple(catalogue.kb.plans), ()
    in_force, ended = catalogue.by_status(today)
    if query.plan_scope == "ended":
        return ended, ()
    if not in_force:
        return ended, ()
    return in_force, ended


# -- task lists ---------------------------------------------------------------------------------------------------


def _task_list(query: Query, catalogue: Catalogue, base: Findings, today: date, is_done: DoneCheck | None) -> Findings:
    kb = catalogue.kb
    agencies = tuple(a for n in query.agencies if (a := kb.agency(n)) is not None)
    found = replace(base, agencies=agencies)
    in_scope = catalogue.scope(base.plans)
    pool: list[Task] | None = None  # None: every task in scope
    if query.partner:
        partner = kb.agency(query.partner)
        if agencies and partner is not None:
            found = _partners(found, catalogue, agencies[0], partner, in_scope)
            pool = list(found.tasks)
    elif len(agencies) >= 2:
        found = _several(found, catalogue, agencies, query.role, in_scope, together=query.together)
        pool = list(found.tasks)
    elif agencies:
        listing = query.status == "any" and query.window is None and not query.topic and not query.lead_only
        found = _one_agency(found, catalogue, agencies[0], query.role, in_scope, fall_back=listing)
        pool = list(found.tasks)
    elif query.mine:
        pool = []  # the asker's own tasks, but the asker has no agency
    elif query.together:  # "việc nào có hai cơ quan cùng chủ trì": the tasks several agencies hold in the role asked
        pool = [t for p in base.plans for t in p.tasks if len(_names_of(t, query.role)) >= 2]
    if query.topic:
        # an agency's tasks in a plan whose very subject is the topic are all about it, worded so or not
        # and so are its tasks in a group titled by the topic ("Giảm thiểu chất thải nhựa" for waste)
        subject = catalogue.directory.about(query.topic) if pool is not None else frozenset()
        groups = catalogue.groups_about(query.topic) if pool else frozenset()
        whole = [t for t in pool or () if t.plan_number in subject or (t.plan_number, t.section_title) in groups]
        within = catalogue.subset(in_scope) if pool is None else catalogue.subset_of(pool)
        limit = _TOPIC_LIMIT if pool is None else _FILTERED_TOPIC_LIMIT
        hits = catalogue.topics.search(query.topic, limit=limit, within=within)
        kept = {id(t) for t in whole}
        pool = [*whole, *(h.item for h in hits if id(h.item) not in kept)]
        found = replace(found, coverage=1.0 if whole else hits[0].coverage if hits else 0.0)
        if agencies and not pool:  # "does X do <work>?" — no: say who does, when a task of the plans is that work
            best = catalogue.topics.search(query.topic, limit=1, within=catalogue.subset(in_scope))
            if best and best[0].coverage >= _ELSEWHERE_COVERAGE:
                found = replace(found, elsewhere=(best[0].item,))
    if query.sections:
        wanted = set(query.sections)
        pool = [
            t for t in (pool if pool is not None else catalogue.tasks) if (t.plan_number, t.section_title) in wanted
        ]
    if query.time_phrase:
        if pool is None:
            pool = [t for p in base.plans for t in p.tasks]
        pool = [t for t in pool if time_key(t.time_text) == query.time_phrase]
        if found.led or found.coordinated:
            found = replace(
                found,
                led=tuple(t for t in found.led if time_key(t.time_text) == query.time_phrase),
                coordinated=tuple(t for t in found.coordinated if time_key(t.time_text) == query.time_phrase),
            )
    if query.recurrence is not None:
        recurrence = query.recurrence
        if pool is None:
            pool = [t for p in base.plans for t in p.tasks]
        pool = [t for t in pool if t.schedule.repeats(recurrence)]
        if found.led or found.coordinated:
            found = replace(
                found,
                led=tuple(t for t in found.led if t.schedule.repeats(recurrence)),
                coordinated=tuple(t for t in found.coordinated if t.schedule.repeats(recurrence)),
            )
    if query.status == "overdue":
        occurrences = _overdue(catalogue, pool, in_scope, today, is_done)
        return replace(found, occurrences=occurrences, tasks=tuple(t for _, t in occurrences))
    if query.status == "within" and query.window is not None:
        start, end = query.window.start, query.window.end
        if pool is None:
            pool = [t for p in base.plans for t in p.tasks]
        inside = [t for t in pool if t.schedule.deadlines and all(start <= d.due <= end for d in t.schedule.deadlines)]
        return replace(found, tasks=tuple(inside))
    if query.status == "due" or query.window is not None:
        window = query.window
        start, end = (window.start, window.end) if window is not None else (today, today)
        occurrences = _due(catalogue, pool, in_scope, start, end, is_done)
        if not occurrences and not query.topic and window == default_window(today):
            # "việc gì sắp đến hạn" and nothing within the month: the next deadlines, however far
            following = _next_due(catalogue, pool, in_scope, end + timedelta(days=1), is_done)
            return replace(found, next_due=following, tasks=_unique(t for _, t in following))
        ongoing: tuple[Task, ...] = ()
        if query.ongoing and pool is not None and agencies and not query.topic and (end - start).days >= _YEAR_DAYS:
            # "nhiệm vụ năm nay của Sở X": its tasks done all the time belong to the year too
            ongoing = tuple(t for t in pool if not t.schedule.deadlines and t.schedule.repeats("continuous"))
        tasks = _unique([*(t for _, t in occurrences), *ongoing])
        return replace(found, occurrences=occurrences, tasks=tasks, ongoing=ongoing)
    if pool is None:
        pool = [t for p in base.plans for t in p.tasks]
    return replace(found, tasks=tuple(pool))


def _one_agency(
    found: Findings,
    catalogue: Catalogue,
    agency: Agency,
    role: Role,
    in_scope: frozenset[str] | None,
    *,
    fall_back: bool,
) -> Findings:
    """One agency's tasks in ``role``; with ``fall_back``, an agency that leads none shows those it coordinates."""
    kb = catalogue.kb
    today = found.today
    led = _kept(kb.tasks_of(agency, role="lead", today=today), in_scope)
    coordinated = _kept(kb.tasks_of(agency, role="coordinator", today=today), in_scope)
    shown_role: Role = role
    if fall_back and role == "lead" and not led and coordinated:
        shown_role = "coordinator"
    tasks = led if shown_role == "lead" else coordinated if shown_role == "coordinator" else led + coordinated
    linked = kb.stand_ins(agency, today=today)
    duties: tuple[tuple[Plan, Duty], ...] = ()
    if not led and not coordinated:
        duties = tuple((p, d) for p in found.plans for d in p.duties if agency.name in d.agencies)
    return replace(
        found,
        tasks=tasks,
        role=shown_role,
        led=led,
        coordinated=coordinated,
        via_group=_via_group(catalogue, agency, tasks),
        stand_ins=tuple(used_stand_ins(linked, tasks, kb.registry.group_names)),
        kept_apart=_kept_apart(catalogue, linked, tasks, shown_role, in_scope),
        duties=duties,
    )


def _kept_apart(
    catalogue: Catalogue,
    linked: Sequence[StandIn],
    tasks: Sequence[Task],
    role: Role,
    in_scope: frozenset[str] | None,
) -> tuple[tuple[StandIn, tuple[Task, ...]], ...]:
    """Predecessors' tasks in scope that the agency does not hold (knowledge.succession.kept_apart: a plan that names
    the agency itself and ended before the change), so the answer can say where they went."""
    kb = catalogue.kb
    listed = {(t.plan_number, t.code) for t in tasks}
    found: list[tuple[StandIn, tuple[Task, ...]]] = []
    for stand_in in linked:
        predecessor = kb.agency(stand_in.name) if stand_in.earlier else None
        if predecessor is None:
            continue
        theirs = _kept(kb.tasks_of(predecessor, role=role), in_scope)
        left = tuple(t for t in theirs if (t.plan_number, t.code) not in listed and stand_in.name in _names_of(t, role))
        if left:
            found.append((stand_in, left))
    return tuple(found)


def _names_of(task: Task, role: Role) -> tuple[str, ...]:
    if role == "lead":
        return task.lead
    if role == "coordinator":
        return task.coordinators
    return (*task.lead, *task.coordinators)


def _several(
    found: Findings,
    catalogue: Catalogue,
    agencies: Sequence[Agency],
    role: Role,
    in_scope: frozenset[str] | None,
    *,
    together: bool = False,
) -> Findings:
    """Several agencies' tasks in ``role``: those any of them holds, or with ``together`` those all of them hold."""
    tasks: dict[tuple[str, str], Task] = {}
    counts: list[tuple[str, int]] = []
    wanted: RoleFilter = role
    shared: set[tuple[str, str]] | None = None
    for agency in agencies:
        own = _kept(catalogue.kb.tasks_of(agency, role=wanted, today=found.today), in_scope)
        counts.append((agency.name, len(own)))
        keys = {(task.plan_number, task.code) for task in own}
        shared = keys if shared is None else shared & keys
        for task in own:
            tasks.setdefault((task.plan_number, task.code), task)
    kept = [t for key, t in tasks.items() if not together or key in (shared or set())]
    return replace(found, tasks=tuple(kept), counts=tuple(counts), role=role)


def _partners(
    found: Findings,
    catalogue: Catalogue,
    subject: Agency,
    partner: Agency,
    in_scope: frozenset[str] | None,
) -> Findings:
    """Tasks ``partner`` leads and ``subject`` coordinates, else the other way round."""
    kb = catalogue.kb
    today = found.today

    def led_by(agency: Agency, task: Task) -> bool:
        return kb.named_for(agency, task.lead, plan_number=task.plan_number, today=today)

    helped = _kept(kb.tasks_of(subject, role="coordinator", today=today), in_scope)
    tasks = [t for t in helped if led_by(partner, t)]
    lead, helper = partner, subject
    if not tasks:
        helped = _kept(kb.tasks_of(partner, role="coordinator", today=today), in_scope)
        tasks = [t for t in helped if led_by(subject, t)]
        lead, helper = subject, partner
    return replace(
        found,
        tasks=tuple(tasks),
        agencies=(subject, partner),
        role="coordinator",
        lead_agency=lead.name,
        helper_agency=helper.name,
    )


def _via_group(catalogue: Catalogue, agency: Agency, tasks: Sequence[Task]) -> str:
    """The group an agency holds ``tasks`` through, when the tasks name the group and not the agency itself."""
    if agency.kind == "group" or not tasks:
        return ""
    named = {n for t in tasks for n in (*t.lead, *t.coordinators)}
    if agency.name in named:
        return ""
    groups = [n for n in catalogue.kb.responsible_names(agency)[1:] if n in named]
    return groups[0] if groups else ""


# -- counts -------------------------------------------------------------------------------------------------------


def _rank(query: Query, base: Findings) -> Findings:
    """Agencies by how many tasks of the plans in scope they hold in ``query.role`` (most first, or fewest)."""
    counts: Counter[str] = Counter()
    for plan in base.plans:
        for task in plan.tasks:
            lead = task.lead if query.role != "coordinator" else ()
            coordinators = task.coordinators if query.role != "lead" else ()
            counts.update(dict.fromkeys((*lead, *coordinators), 1))
    ordered = sorted(counts.items(), key=lambda kv: (kv[1], kv[0]) if query.least else (-kv[1], kv[0]))
    return replace(base, counts=tuple(ordered))


def _compare(query: Query, catalogue: Catalogue, base: Findings) -> Findings:
    kb = catalogue.kb
    in_scope = catalogue.scope(base.plans)
    agencies = tuple(a for n in query.agencies if (a := kb.agency(n)) is not None)
    wanted: RoleFilter = query.role
    counts = tuple((a.name, len(_kept(kb.tasks_of(a, role=wanted, today=base.today), in_scope))) for a in agencies)
    return replace(base, agencies=agencies, counts=counts)


# -- deadlines ----------------------------------------------------------------------------------------------------


def _due(
    catalogue: Catalogue,
    pool: list[Task] | None,
    in_scope: frozenset[str] | None,
    start: date,
    end: date,
    is_done: DoneCheck | None,
) -> list[Occurrence]:
    if pool is not None:
        items = [(d, t) for t in pool for d in t.schedule.deadlines if start <= d.due <= end]
        items.sort(key=catalogue.occurrence_key)
    else:
        items = catalogue.due_between(start, end, in_scope)
    if is_done is None:
        return items
    return [(d, t) for d, t in items if not is_done(t, d.due)]


def _next_due(
    catalogue: Catalogue,
    pool: list[Task] | None,
    in_scope: frozenset[str] | None,
    start: date,
    is_done: DoneCheck | None,
) -> list[Occurrence]:
    """The deadlines not reported done on the first day from ``start`` that has any (at most :data:`_NEXT_SHOWN`):
    the occurrences are walked in order and the walk stops there, not filtered all the way to the plans' end."""
    if pool is not None:
        items: Iterable[Occurrence] = sorted(
            ((d, t) for t in pool for d in t.schedule.deadlines if d.due >= start), key=catalogue.occurrence_key
        )
    else:
        items = catalogue.due_between(start, date.max, in_scope)
    found: list[Occurrence] = []
    for deadline, task in items:
        if found and deadline.due != found[0][0].due:
            break
        if is_done is None or not is_done(task, deadline.due):
            found.append((deadline, task))
            if len(found) == _NEXT_SHOWN:
                break
    return found


def _overdue(
    catalogue: Catalogue,
    pool: list[Task] | None,
    in_scope: frozenset[str] | None,
    today: date,
    is_done: DoneCheck | None,
) -> list[Occurrence]:
    """For each task with a past deadline not reported done, its latest such deadline; oldest first."""
    done: DoneCheck = is_done or _never_done
    if pool is not None:
        latest: dict[tuple[str, str], Occurrence] = {}
        for task in pool:
            for deadline in task.schedule.deadlines:
                if deadline.due < today and not done(task, deadline.due):
                    latest[(task.plan_number, task.code)] = (deadline, task)
        return sorted(latest.values(), key=catalogue.occurrence_key)
    candidates = catalogue.latest_past(today, in_scope)
    if is_done is None:
        return candidates
    items: list[Occurrence] = []
    moved = False
    for deadline, task in candidates:
        if not is_done(task, deadline.due):
            items.append((deadline, task))
            continue
        earlier = [d for d in task.schedule.deadlines if d.due < deadline.due and not is_done(task, d.due)]
        if earlier:
            items.append((earlier[-1], task))
            moved = True
    if moved:
        items.sort(key=catalogue.occurrence_key)
    return items


# -- helpers ------------------------------------------------------------------------------------------------------


def _never_done(_task: Task, _due: date) -> bool:
    return False


def _kept(tasks: Iterable[Task], scope: frozenset[str] | None) -> tuple[Task, ...]:
    return tuple(tasks) if scope is None else tuple(t for t in tasks if t.plan_number in scope)


def _unique(tasks: Iterable[Task]) -> tuple[Task, ...]:
    seen: dict[tuple[str, str], Task] = {}
    for task in tasks:
        seen.setdefault((task.plan_number, task.code), task)
    return tuple(seen.values())
