"""What a question asks, as a typed record: the engine executes a :class:`Query`, never a sentence.

Routing builds a Query from a question's signals; slash commands and buttons build one directly; the next page of
an answer is the same Query with ``page + 1``. Every slot filters on its own, so slots combine freely: an agency
with a time window, an agency with a topic, a plan with a window and a status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from knowledge.answering.plan_resolution import TaskRef
from knowledge.answering.time_window import TimeWindow
from knowledge.records import Recurrence

__all__ = ["Fact", "PlanScope", "Query", "Role", "Shape", "Status"]

Shape = Literal[
    "tasks",  # the tasks that fit the slots, listed
    "count",  # how many tasks fit (and which)
    "rank",  # agencies ordered by how many tasks they lead ("cơ quan nào được giao ít nhất")
    "compare",  # the named agencies side by side ("Sở X hay Sở Y nhiều việc hơn")
    "who",  # who leads the task the topic describes (with agencies: whether they lead it)
    "when",  # the deadline of the task the topic describes
    "detail",  # named tasks in full
    "plan_facts",  # facts of a plan: number, date, issuer, signer, period, targets, what it replaces …
    "plan_text",  # passages of the plans' bodies (objectives, general duties) that fit the topic
    "plans",  # the plans there are (with ``name``: a plan number that matches none)
    "reporting",  # the reporting duties plans state
    "clarify",  # an agency name that fits several agencies: a choice
    "no_agency",  # a body that has no task in any plan
    "unknown_scheme",  # a scheme (Đề án) named by a number no plan names: no task, whatever words it shares
    "unstated_figure",  # a rate, price or pay asked as a number, which no plan states: no task
    "own_procedure",  # a person's or business's own paper or filing (passport, tax return …) no plan names: no task
    "greeting",
    "help",
    "not_understood",
]
Status = Literal["any", "due", "within", "upcoming", "overdue"]  # due: falls due inside ``window``; within: every
# deadline of the task falls inside it ("việc nào chỉ làm trong năm 2018")
Role = Literal["lead", "coordinator", "any"]
PlanScope = Literal["default", "named", "previous", "ended"]  # default: plans in force (ended ones when nothing in
# force fits); ended: "trong các kế hoạch đã kết thúc" — the plans ended on the day asked
Fact = Literal[
    "number",
    "issued",
    "issuer",
    "signer",
    "title",
    "basis",
    "period",
    "in_force",  # whether it is in force (asked that way: "còn hiệu lực không")
    "ended",  # whether it has ended (asked that way: "hết hiệu lực chưa")
    "replaces",
    "targets",
    "reporting",
    "funding",  # where the money for the plan comes from ("Kinh phí thực hiện")
    "summary",
    "tasks",
]


@dataclass(frozen=True, kw_only=True, slots=True)
class Query:
    """A question as the engine executes it. Empty slots do not filter."""

    shape: Shape
    plans: tuple[str, ...] = ()  # plan numbers; () with scope "default": the plans in force
    plan_scope: PlanScope = "default"
    agencies: tuple[str, ...] = ()  # canonical agency names
    role: Role = "lead"
    lead_only: bool = False  # the lead role named ("X chủ trì việc gì"): no falling back to the tasks it coordinates
    partner: str = ""  # "X phối hợp với Y": tasks one of them leads and the other coordinates
    together: bool = False  # "X và Y cùng phối hợp việc gì": only the tasks all the agencies named hold
    mine: bool = False  # asked for the asker's own agency (``agencies`` holds it when known)
    topic: str = ""  # what the tasks are about, as asked (searched in the tasks' text)
    window: TimeWindow | None = None
    status: Status = "any"
    ongoing: bool = False  # the work of a period asked, not only its deadlines: tasks done all the time count too
    time_phrase: str = ""  # tasks whose time phrase reads so (keyed as knowledge.time_phrase_tokens.key does)
    recurrence: Recurrence | None = None  # "việc nào làm thường xuyên", "… định kỳ 6 tháng": how often tasks recur
    tasks: tuple[TaskRef, ...] = ()
    sections: tuple[tuple[str, str], ...] = ()  # (plan number, section title): the tasks of a group the plan titles
    facts: tuple[Fact, ...] = ()
    least: bool = False  # rank: fewest first
    yes_no: bool = False  # asked as a yes/no question: the answer starts with "Có" or "Không"
    name: str = ""  # a name as typed that fits no agency or several (no_agency, clarify)
    candidates: tuple[str, ...] = ()  # clarify: the agencies the name may mean
    page: int = 1
