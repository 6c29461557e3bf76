"""Routing: a table of named rules that turn a question's :class:`Signals` into a :class:`Query`.

The rules are tried in the order of :data:`RULES`; the first whose condition holds builds the query. Each rule
names itself, says what it is for, and lists example questions (a test routes every example and expects that
rule), so the table reads as the engine's specification. ``taskbot ask --explain`` prints the rule that fired.

Conditions only read signals; everything a condition needs (cue classes, agencies, plans, topic searches) was read
once by :func:`~knowledge.answering.signals.read_signals`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from knowledge.answering.conditions import (
    DESCRIBED_COVERAGE,
    TO_THE_CITY,
    UNKNOWN_BODY_COVERAGE,
    WHO_COVERAGE,
    agency_named,
    agency_query,
    asks_compare,
    asks_plan_facts,
    asks_plan_tasks,
    asks_rank,
    asks_recurring_tasks,
    asks_upcoming,
    due_topic,
    facts_asked,
    incidental,
    is_blank,
    mine_beside_unknown,
    names_a_task,
    plan_slots,
    recurrence_asked,
    role_of,
    scope_of,
    scoped_topic,
    search_query,
    sections_named,
    strong_facts,
    topic_fits,
    topic_of,
    unknown_body_is_subject,
)
from knowledge.answering.outside import own_procedure, unknown_plan, unstated_figure
from knowledge.answering.query import Query, Shape
from knowledge.answering.signals import Signals
from knowledge.answering.time_window import default_window

__all__ = ["RULES", "Routed", "Rule", "route"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Rule:
    """One way of reading a question: when it applies and the query it asks."""

    name: str
    doc: str
    examples: tuple[str, ...]
    applies: Callable[[Signals], bool]
    query: Callable[[Signals], Query]


@dataclass(frozen=True, kw_only=True, slots=True)
class Routed:
    rule: str
    query: Query


def _naming(name: str, doc: str, examples: tuple[str, ...], shape: Shape, find: Callable[[Signals], str]) -> Rule:
    """A rule that applies when ``find`` names something in the question, and answers with what it named."""
    return Rule(
        name=name,
        doc=doc,
        examples=examples,
        applies=lambda s: bool(find(s)),
        query=lambda s: Query(shape=shape, name=find(s)),
    )


RULES: tuple[Rule, ...] = (
    Rule(
        name="blank",
        doc="nothing to read: what the bot can do",
        examples=("   ", "?!"),
        applies=is_blank,
        query=lambda s: Query(shape="help"),
    ),
    Rule(
        name="task_by_id",
        doc="a task named by its id, alone or with its plan (an id no plan has: say so)",
        examples=("cho xem II.3", "nội dung mục 2 phần XVI", "nhiệm vụ XXV.9 là gì"),
        applies=lambda s: bool(s.task_refs or s.missing_refs),
        query=lambda s: Query(shape="detail", tasks=(*s.task_refs, *s.missing_refs)),
    ),
    _naming(
        "unknown_plan",
        "a plan number that matches no plan: say so, and list the plans there are",
        ("kế hoạch số 9999 giao gì",),
        "plans",
        unknown_plan,
    ),
    Rule(
        name="greeting",
        doc="a greeting on its own",
        examples=("chào anh", "alo alo"),
        applies=lambda s: s.has("greeting") and s.content_words <= 1,
        query=lambda s: Query(shape="greeting"),
    ),
    Rule(
        name="courtesy",
        doc="polite words that ask nothing",
        examples=("Kính chào quý đơn vị", "trân trọng cảm ơn anh chị"),
        applies=lambda s: (
            s.has("courtesy") and not s.has("question_word", "mine") and "?" not in s.question.text
        ),  # "muốn biết việc của bên anh": a request for the asker's own tasks, not a courtesy
        query=lambda s: Query(shape="greeting"),
    ),
    Rule(
        name="help",
        doc="asking what the bot does",
        examples=("bot hướng dẫn giúp", "cách dùng thế nào"),
        applies=lambda s: s.has("help") and len(s.question.words) <= 6,
        query=lambda s: Query(shape="help"),
    ),
    Rule(
        name="plans_list",
        doc="the plans there are, with their status",
        examples=("hiện có những kế hoạch nào", "đang có bao nhiêu kế hoạch"),
        applies=lambda s: s.has("plans_list") and s.agencies.status != "found",
        query=lambda s: Query(shape="plans"),
    ),
    Rule(
        name="agency_ranking",
        doc="agencies ranked by how many tasks they lead (or coordinate): most, fewest, or the whole list",
        examples=("đơn vị nào chủ trì nhiều việc nhất", "cơ quan nào được giao ít nhất", "danh sách các cơ quan"),
        applies=lambda s: asks_rank(s) or (s.has("agency_listing") and s.agencies.status != "found"),
        query=lambda s: Query(shape="rank", least=s.has("rank_least"), role=role_of(s)),
    ),
    Rule(
        name="agency_comparison",
        doc="named agencies compared by their number of tasks",
        examples=("Sở Xây dựng hay Cục Thuế nhiều việc hơn",),
        applies=asks_compare,
        query=lambda s: Query(shape="compare", agencies=tuple(a.name for a in s.agencies.agencies), role=role_of(s)),
    ),
    Rule(
        name="shared_tasks",
        doc="the tasks several agencies hold together in the role asked, no agency named",
        examples=("nhiệm vụ nào do hai cơ quan cùng chủ trì", "việc nào có nhiều đơn vị cùng chủ trì"),
        applies=lambda s: (
            s.has("together") and s.has("agency_word") and s.agencies.status == "none" and not s.first_person
        ),
        query=lambda s: Query(shape="tasks", together=True, role=role_of(s)),
    ),
    _naming(
        "unstated_figure",
        "a rate, price, fee or pay asked as a number that no plan states: no task, whatever words it shares",
        ("giá xăng hôm nay bao nhiêu một lít", "giá cà phê tháng này bao nhiêu"),
        "unstated_figure",
        unstated_figure,
    ),
    _naming(
        "own_procedure",
        "a person's or business's own paper or filing (passport, ID card, tax return …) no plan names: no task",
        ("làm hộ chiếu cho con nộp ở đâu", "hạn nộp tờ khai thuế quý 4"),
        "own_procedure",
        own_procedure,
    ),
    Rule(
        name="time_phrase_tasks",
        doc="the tasks whose time phrase reads as quoted (an agency's, when one is named)",
        examples=(
            "những việc nào ghi thời gian “Năm 2018 - 2020”",
            "UBND các quận, huyện có việc nào thời hạn Quý II/2018",
        ),
        applies=lambda s: bool(s.time_phrase) and s.agencies.status in ("found", "none"),
        query=lambda s: agency_query(s) if s.agencies.status == "found" else Query(shape="tasks"),
    ),
    Rule(
        name="overdue",
        doc="late tasks, of an agency or of the asker when named",
        examples=("những việc trễ hạn", "Sở Xây dựng có gì quá hạn"),
        applies=lambda s: (
            s.has("overdue") and not (agency_named(s) and s.has("agency_tasks") and not s.has("overdue_strict"))
        ),
        query=lambda s: Query(shape="tasks", status="overdue", agencies=scope_of(s), role=role_of(s)),
    ),
    Rule(
        name="due_in_period",
        doc="tasks falling due in a period (30 days when none is named)",
        examples=("việc nào sắp hết hạn", "tháng 9 phải xong những gì"),
        applies=asks_upcoming,
        query=lambda s: Query(
            shape="tasks",
            status="within" if s.has("only_within") and s.window is not None else "due",
            ongoing=not s.has("deadline", "upcoming", "soon"),  # "nhiệm vụ năm nay", not "hạn nào trong năm"
            window=s.window or default_window(s.today),
            agencies=scope_of(s),
            role=role_of(s),
            topic=due_topic(s),
        ),
    ),
    Rule(
        name="reporting_to_city",
        doc="when reports reach the city's People's Committee",
        examples=("báo cáo gửi Ủy ban nhân dân thành phố khi nào", "tổng kết năm báo cáo lên thành phố trước ngày nào"),
        applies=lambda s: (
            (
                (s.agencies.status == "found" and all(a.kind == "city" for a in s.agencies.agencies))
                or any(s.question.has_words(f"{verb} thanh pho") for verb in TO_THE_CITY)
            )
            and s.has("report")
            and s.has("deadline", "send")
        ),
        query=lambda s: Query(shape="reporting"),
    ),
    Rule(
        name="agency_tasks",
        doc="the tasks of the agencies named (with 'phối hợp': those they coordinate)",
        examples=("Sở Xây dựng giao làm những gì", "Cục Thuế phối hợp với Sở Tài chính việc gì"),
        applies=lambda s: (
            agency_named(s) and s.agencies.status == "found" and not strong_facts(s) and not incidental(s)
        ),
        query=agency_query,
    ),
    Rule(
        name="plan_tasks",
        doc="the tasks of a plan named (how many, or which; with 'về …', about a topic)",
        examples=("kế hoạch 435 giao những việc gì", "kế hoạch 435 gồm bao nhiêu nhiệm vụ"),
        applies=asks_plan_tasks,
        query=lambda s: Query(shape="tasks", topic=s.about),
    ),
    Rule(
        name="section_tasks",
        doc="the tasks of a group the plan titles ('lĩnh vực …', 'phần …'), no agency named",
        examples=(),  # the seed's groups are its agencies; tested on a plan with titled groups (test_many_plans)
        applies=lambda s: bool(sections_named(s)) and s.agencies.status not in ("found", "unknown"),
        query=lambda s: Query(
            shape="tasks",
            sections=sections_named(s),
            plans=tuple(dict.fromkeys(number for number, _ in sections_named(s))),
            plan_scope="named",
        ),
    ),
    Rule(
        name="funding",
        doc="where the money for the plans comes from, as their funding section says",
        examples=("kinh phí thực hiện kế hoạch lấy từ nguồn nào",),
        applies=lambda s: s.has("funding") and s.agencies.status != "found" and not s.has("who"),
        query=lambda s: Query(shape="plan_text", facts=("funding",), topic=s.question.text, **plan_slots(s)),
    ),
    Rule(
        name="unknown_scheme",
        doc="a scheme (Đề án) named by a number no plan names: no task, whatever words it shares with some",
        examples=("Đề án 999 về chuyển đổi số ai chủ trì",),
        applies=lambda s: bool(s.missing_schemes) and not (s.agencies.status == "found" and s.agency_is_subject),
        query=lambda s: Query(shape="unknown_scheme", name=s.missing_schemes[0]),
    ),
    Rule(
        name="who_by_topic",
        doc="who leads the task a topic describes",
        examples=("đơn vị nào lo phần mềm kế toán",),
        applies=lambda s: s.has("who") and not strong_facts(s) and s.topics.coverage(topic_of(s)) >= WHO_COVERAGE,
        query=lambda s: Query(shape="who", topic=scoped_topic(s)),
    ),
    Rule(
        name="plan_facts",
        doc="facts of the plan: number, date, issuer, signer, period, targets, what it replaces",
        examples=("ai là người ký văn bản", "kế hoạch số hiệu gì", "kế hoạch 435 đã kết thúc chưa"),
        applies=asks_plan_facts,
        query=lambda s: Query(
            shape="plan_facts",
            **plan_slots(s),
            facts=facts_asked(s) or ("summary",),
            topic="" if s.has("targets_general") and len(s.question.words) <= 6 else s.question.text,
        ),
    ),
    Rule(
        name="ambiguous_agency",
        doc="an agency name that fits several agencies: a choice",
        examples=("sở tài có việc gì",),
        applies=lambda s: agency_named(s) and s.agencies.status == "ambiguous",
        query=lambda s: Query(
            shape="clarify",
            name=s.agencies.text,
            candidates=tuple(a.name for a in s.agencies.agencies),
            role=role_of(s),
        ),
    ),
    Rule(
        name="my_tasks",
        doc="the asker's own agency's tasks",
        examples=("đơn vị chúng tôi được giao gì",),
        applies=lambda s: (
            (
                s.own_kind
                and s.agencies.status == "none"
                and s.topics.coverage(s.question.text) < DESCRIBED_COVERAGE  # no task described: list them
            )
            or (s.has("mine") and (s.agencies.status == "none" or mine_beside_unknown(s)))
        ),
        query=lambda s: Query(shape="tasks", mine=True, agencies=(s.asker,) if s.asker else (), role=role_of(s)),
    ),
    Rule(
        name="unknown_agency",
        doc="a body that looks like an agency but is in no plan: no tasks, never a topic search",
        examples=("Trung tâm Hàng hải làm gì", "Bộ Ngoại giao phải làm những gì"),
        applies=lambda s: (
            agency_named(s)
            and s.agencies.status == "unknown"
            and s.has("agency_tasks")
            and unknown_body_is_subject(s)
            and (s.agencies.state_body or s.topics.coverage(s.question.text) < UNKNOWN_BODY_COVERAGE)
        ),
        query=lambda s: Query(shape="no_agency", name=s.agencies.text),
    ),
    Rule(
        name="reporting",
        doc="when and to whom the plans' reports go",
        examples=("nộp báo cáo năm chậm nhất hôm nào",),
        applies=lambda s: s.has("report") and s.has("deadline", "send", "reporting_regime") and not names_a_task(s),
        query=lambda s: Query(shape="reporting"),
    ),
    Rule(
        name="recurring_tasks",
        doc="the tasks that recur so often (or are done all the time), in the plans in scope",
        examples=("những việc nào làm thường xuyên", "nhiệm vụ nào phải làm hằng quý"),
        applies=asks_recurring_tasks,
        query=lambda s: Query(shape="tasks"),
    ),
    Rule(
        name="topic",
        doc="tasks a topic describes (who leads them, when they fall due, or whether the agency named does them)",
        examples=("phần mềm kế toán cho hợp tác xã", "khi nào xong việc giải thể hợp tác xã"),
        applies=topic_fits,
        query=search_query,
    ),
    Rule(
        name="plan_text",
        doc="passages of the plans' bodies (objectives, general duties) a topic describes",
        examples=("cơ quan thường trực ban chỉ đạo",),
        applies=lambda s: bool(s.topics.passages(s.question.text)),
        query=lambda s: Query(shape="plan_text", topic=s.question.text),
    ),
    Rule(
        name="unknown_body",
        doc="an agency-like name in no registry, whatever else was asked",
        examples=("Trung tâm Hàng hải",),
        applies=lambda s: s.agencies.status == "unknown",
        query=lambda s: Query(shape="no_agency", name=s.agencies.text),
    ),
    Rule(
        name="not_understood",
        doc="anything else: what the bot can do",
        examples=("thời tiết mai ra sao",),
        applies=lambda s: True,
        query=lambda s: Query(shape="not_understood"),
    ),
)


def route(signals: Signals) -> Routed:
    """The first rule that applies, and the query it builds, completed with what every query shares."""
    for rule in RULES:
        if rule.applies(signals):
            return Routed(rule=rule.name, query=_complete(rule.query(signals), signals))
    raise AssertionError("the last rule always applies")  # pragma: no cover


_UNSCOPED = frozenset({"help", "greeting", "not_understood", "plans", "clarify"})


def _complete(query: Query, s: Signals) -> Query:
    """Every query reads the plans the question names (or "kế hoạch này"), counts when asked how many, and answers
    a yes/no question with "Có" or "Không"."""
    changes: dict[str, object] = {}
    if not query.plans and query.shape not in _UNSCOPED:
        slots = plan_slots(s)
        if slots["plans"] or slots["plan_scope"] == "ended":
            changes.update(slots)
    if query.shape == "tasks" and s.has("count"):
        changes["shape"] = "count"
    if query.shape == "tasks" and s.time_phrase:
        changes["time_phrase"] = s.time_phrase  # as the tasks write it: more than how often it recurs
    elif query.shape == "tasks" and query.recurrence is None and (recurrence := recurrence_asked(s)) is not None:
        changes["recurrence"] = recurrence
    if s.yes_no and query.shape not in _UNSCOPED:
        changes["yes_no"] = True
    return replace(query, **changes) if changes else query  # type: ignore[arg-type]
