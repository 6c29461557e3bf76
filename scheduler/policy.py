"""When to remind whom: a pure, configurable reminder policy, tested with fixed clocks.

For every deadline occurrence of every task, the lead agency's active contacts are reminded at 08:00 local time 7, 3
and 1 days before, on the day, and when overdue the day after and then weekly until a done report arrives.
Coordinators get a weekly digest on Monday at 08:00. Nothing is sent in quiet hours (21:00-07:00). A sweep that runs
late (the bot was down) catches up: for each occurrence it sends only the latest stage that fell due in the last
``catch_up_days``, never a backlog of stale ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from knowledge.agencies import AgencyRegistry
from knowledge.contacts import Contact
from knowledge.records import Task
from scheduler.records import DoneReports, Reminder, ReminderKind

__all__ = [
    "DoneLookup",
    "ReminderPlanner",
    "ReminderPolicy",
    "Stage",
    "contacts_by_agency",
    "done_lookup",
    "stage_on",
]

DoneLookup = Callable[[Task, date, str | None], bool]
"""(task, occurrence, recipient's agency) → whether the occurrence is reported done for that recipient."""


def done_lookup(done: DoneReports) -> DoneLookup:
    """A :data:`DoneLookup` over done reports: done for a recipient when it or the task's lead reported it."""

    def is_done(task: Task, occurrence: date, agency: str | None) -> bool:
        agencies = (*task.lead, agency) if agency else task.lead
        return done.done_for(task.plan_number, task.code, occurrence, agencies)

    return is_done


@dataclass(frozen=True, kw_only=True, slots=True)
class ReminderPolicy:
    """Reminder timing. All times are local (the settings' time zone)."""

    before_days: tuple[int, ...] = (7, 3, 1)
    send_at: time = time(8, 0)
    overdue_first_day: int = 1
    overdue_every_days: int = 7
    digest_weekday: int = 0  # Monday
    digest_horizon_days: int = 14
    quiet_start: time = time(21, 0)
    quiet_end: time = time(7, 0)
    catch_up_days: int = 7

    def in_quiet_hours(self, moment: datetime) -> bool:
        clock = moment.timetz().replace(tzinfo=None)
        if self.quiet_start <= self.quiet_end:
            return self.quiet_start <= clock < self.quiet_end
        return clock >= self.quiet_start or clock < self.quiet_end

    def send_time(self, day: date, tz: object) -> datetime:
        return datetime.combine(day, self.send_at, tzinfo=tz)  # type: ignore[arg-type]


@dataclass(frozen=True, kw_only=True, slots=True)
class Stage:
    kind: ReminderKind
    offset_days: int  # days from the send day to the deadline; negative when late


def stage_on(day: date, occurrence: date, policy: ReminderPolicy) -> Stage | None:
    """The reminder stage for ``occurrence`` sent on ``day``, if any."""
    delta = (occurrence - day).days
    if delta in policy.before_days:
        return Stage(kind="before", offset_days=delta)
    if delta == 0:
        return Stage(kind="due", offset_days=0)
    late = -delta
    if late >= policy.overdue_first_day and (late - policy.overdue_first_day) % policy.overdue_every_days == 0:
        return Stage(kind="overdue", offset_days=delta)
    return None


def contacts_by_agency(contacts: Iterable[Contact]) -> dict[str, list[Contact]]:
    """Active contacts grouped by their agency."""
    grouped: dict[str, list[Contact]] = defaultdict(list)
    for contact in contacts:
        if contact.active and contact.agency:
            grouped[contact.agency].append(contact)
    return dict(grouped)


class _Recipients:
    """Who hears about a lead agency on a day: its contacts, the contacts of the bodies that took over its tasks by
    then (succession: a merged Sở's contacts hear about its predecessors' tasks), and for a group its members'."""

    def __init__(self, by_agency: Mapping[str, Sequence[Contact]], registry: AgencyRegistry) -> None:
        self._by_agency = by_agency
        self._registry = registry
        self._cache: dict[tuple[tuple[str, ...], date], list[Contact]] = {}

    def of(self, leads: tuple[str, ...], day: date) -> list[Contact]:
        cached = self._cache.get((leads, day))
        if cached is not None:
            return cached
        seen: dict[int, Contact] = {}
        for lead in leads:
            bodies = [lead, *self._registry.succession.heirs(lead, on=day)]
            names = list(bodies)
            for body in bodies:
                agency = self._registry.get(body)
                if agency is not None:
                    names.extend(agency.members)
            for name in dict.fromkeys(names):
                for contact in self._by_agency.get(name, ()):
                    seen.setdefault(contact.id, contact)
        result = list(seen.values())
        self._cache[(leads, day)] = result
        return result


class ReminderPlanner:
    """Indexes tasks by deadline and contacts by agency once, then answers "what is due" for days and sweeps."""

    def __init__(
        self,
        *,
        tasks: Sequence[Task],
        contacts: Iterable[Contact],
        registry: AgencyRegistry,
        is_done: DoneLookup,
        policy: ReminderPolicy | None = None,
    ) -> None:
        self.policy = policy or ReminderPolicy()
        self._contacts = [c for c in contacts if c.active]
        self._coordinators = [c for c in self._contacts if c.is_coordinator]
        self._recipients = _Recipients(contacts_by_agency(self._contacts), registry)
        self._is_done = is_done
        by_occurrence: dict[date, list[Task]] = defaultdict(list)
        for task in tasks:
            for deadline in task.schedule.deadlines:
                by_occurrence[deadline.due].append(task)
        self._by_occurrence = dict(by_occurrence)
        self._past = sorted(by_occurrence)

    def on(self, day: date) -> list[Reminder]:
        """Every reminder scheduled for the send time on ``day``."""
        policy = self.policy
        candidates = [day + timedelta(days=d) for d in (*policy.before_days, 0)]
        candidates += [o for o in self._past if o < day and stage_on(day, o, policy) is not None]
        out: list[Reminder] = []
        for occurrence in sorted(set(candidates)):
            stage = stage_on(day, occurrence, policy)
            if stage is None:
                continue
            for task in self._by_occurrence.get(occurrence, ()):
                if self._is_done(task, occurrence, None):
                    continue  # the lead reported it done: nobody is reminded
                for contact in self._recipients.of(task.lead, day):
                    if not self._is_done(task, occurrence, contact.agency):
                        out.append(_reminder(contact, stage, task.plan_number, task.code, occurrence))
        if day.weekday() == policy.digest_weekday:
            digest = Stage(kind="digest", offset_days=0)
            out.extend(_reminder(contact, digest, None, None, day) for contact in self._coordinators)
        return out

    def due(self, now: datetime) -> list[Reminder]:
        """What a sweep at ``now`` must make sure is sent: the latest due stage of each occurrence, and digest.

        Empty in quiet hours. Catching up after downtime never sends stale stages: if the D-3 and D-1 reminders were
        both missed, only D-1 goes out. The outbox's unique keys make repeated sweeps harmless.
        """
        policy = self.policy
        if policy.in_quiet_hours(now):
            return []
        today = now.date()
        before_send_time = now.timetz().replace(tzinfo=None) < policy.send_at
        latest: dict[tuple[int, str | None, str | None, date], tuple[date, Reminder]] = {}
        for back in range(policy.catch_up_days + (1 if before_send_time else 0), -1, -1):
            day = today - timedelta(days=back)
            for reminder in self.on(day):
                occurrence = date.min if reminder.kind == "digest" else reminder.occurrence
                latest[(reminder.contact_id, reminder.plan, reminder.task, occurrence)] = (day, reminder)
        # Before today's send time, today's stages are not due yet; a missed earlier stage that today's replaces
        # is not sent either (it would arrive minutes before the newer one).
        return [reminder for day, reminder in latest.values() if not (before_send_time and day == today)]


def _reminder(contact: Contact, stage: Stage, plan: str | None, task: str | None, occurrence: date) -> Reminder:
    return Reminder(
        contact_id=contact.id,
        channel=contact.channel,
        chat_id=contact.chat_id,
        agency=contact.agency,
        kind=stage.kind,
        plan=plan,
        task=task,
        occurrence=occurrence,
        offset_days=stage.offset_days,
    )
