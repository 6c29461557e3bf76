"""Plans and tasks named in questions: by number, period, title or "kế hoạch này"; ids alone or with their plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.agencies import AgencyRegistry
from knowledge.answering.plan_resolution import (
    PlanDirectory,
    TaskRef,
    find_missing_refs,
    find_plans,
    find_task_refs,
)
from knowledge.answering.question import read_question
from knowledge.plan_parser import parse_plan_source
from knowledge.records import ParsedPlan
from tests.knowledge.answering.plans import digital_2026, plain_2024


@pytest.fixture(scope="module")
def directory(seed_plan: ParsedPlan, registry: AgencyRegistry) -> PlanDirectory:
    return PlanDirectory([seed_plan.plan, digital_2026(registry), plain_2024(registry)])


def plans(directory: PlanDirectory, text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(m.kind, m.plans) for m in find_plans(read_question(text), directory)]


def refs(directory: PlanDirectory, text: str) -> list[TaskRef]:
    question = read_question(text)
    return list(find_task_refs(question, directory, find_plans(question, directory)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kế hoạch số 88 có gì", [("number", ("88/KH-UBND",))]),
        ("KH 435 do ai ký", [("number", ("435/KH-UBND",))]),
        ("theo Kế hoạch số 12/KH-UBND", [("number", ("12/KH-UBND",))]),
        ("KH12 có mấy việc", [("number", ("12/KH-UBND",))]),  # glued, as officers type it
        ("khó khăn 12", []),
        ("kế hoạch 435 và 88", [("number", ("435/KH-UBND",)), ("number", ("88/KH-UBND",))]),
        (
            "KH 12, 88 và 435 có gì",
            [("number", ("12/KH-UBND",)), ("number", ("88/KH-UBND",)), ("number", ("435/KH-UBND",))],
        ),
        ("kế hoạch 435 và 2 việc", [("number", ("435/KH-UBND",))]),  # "2" is no plan here: left alone
        ("cả hai kế hoạch", [("all", ("435/KH-UBND", "12/KH-UBND", "88/KH-UBND"))]),
        ("tất cả các kế hoạch", [("all", ("435/KH-UBND", "12/KH-UBND", "88/KH-UBND"))]),
        ("kế hoạch 999", [("number", ())]),  # named, but no such plan: the answer must say so
        ("kế hoạch 2024-2025", [("period", ("88/KH-UBND",))]),
        ("kế hoạch năm 2027", [("period", ("12/KH-UBND",))]),
        ("kế hoạch chuyển đổi số kinh tế tập thể có mấy việc", [("title", ("12/KH-UBND",))]),
        ("kh kinh tế tập thể 12 có mấy việc", [("number", ("12/KH-UBND",))]),  # title words, then the number
        ("kế hoạch chuyển đổi số 5 nhiệm vụ", [("title", ("12/KH-UBND",))]),  # "5" is no plan: a title still
        ("kế hoạch chuyển đổi số giai đoạn 2023 - 2025 số 214", [("number", ())]),  # its number said late: unknown
        ("kế hoạch kinh tế tập thể số 12 giao gì", [("number", ("12/KH-UBND",))]),
        ("kế hoạch này có mấy nhiệm vụ số 3", [("this", ())]),  # a task's number, not a plan's
        ("kế hoạch này", [("this", ())]),
        ("kế hoạch phát triển", []),  # too little of a title to tell plans apart
        ("sở tài chính giai đoạn 2024 - 2025 làm gì", [("period", ("88/KH-UBND",))]),  # a plan's exact period
        ("giai đoạn 2024 - 2026 có gì", []),  # no plan has exactly that period
        ("kế hoạch phát triển hợp tác xã giai đoạn 2021 - 2023 có gì", [("period", ())]),  # a plan's period: none
        ("kế hoạch cải cách giai đoạn 2024 - 2025", [("period", ("88/KH-UBND",))]),  # a title, then its period
        ("kh phát triển hợp tác xã 2022 giao gì", [("period", ())]),  # title words and a year no plan holds
        ("kế hoạch tuyên truyền Luật HTX 2012", []),  # the law's year
        ("sở tài chính có nhiệm vụ gì", []),
    ],
)
def test_plans_named(directory: PlanDirectory, text: str, expected: list[tuple[str, tuple[str, ...]]]) -> None:
    assert plans(directory, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("XV.6", [TaskRef(code="XV.6")]),
        ("chi tiết II.1", [TaskRef(code="II.1")]),  # in two plans: either
        ("chi tiết II.1 kế hoạch 12", [TaskRef(code="II.1", plan="12/KH-UBND")]),
        ("435:II.1", [TaskRef(code="II.1", plan="435/KH-UBND")]),
        ("88:3", [TaskRef(code="3", plan="88/KH-UBND")]),
        ("3 kế hoạch 88", [TaskRef(code="3", plan="88/KH-UBND")]),
        ("mục 3 KH 88", [TaskRef(code="3", plan="88/KH-UBND")]),
        ("chi tiết 2", [TaskRef(code="2")]),
        ("mục 6 phần XV", [TaskRef(code="XV.6")]),
        ("phần XV mục 6", [TaskRef(code="XV.6")]),
        ("XII.1", []),  # no such task in any plan
        ("việc 30 ngày tới", []),
        ("3 kế hoạch 435", []),  # 435 has no task "3"
    ],
)
def test_task_references(directory: PlanDirectory, text: str, expected: list[TaskRef]) -> None:
    assert refs(directory, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("XII.1", [TaskRef(code="XII.1")]),  # shaped like an id, in no plan
        ("KH 435 nhiệm vụ XIII.2 là gì", [TaskRef(code="XIII.2", plan="435/KH-UBND")]),
        ("88:99", [TaskRef(code="99", plan="88/KH-UBND")]),
        ("435:II.1", []),  # it exists
        ("kế hoạch 88 mục XV.6", []),  # another plan has it: that one is shown
        ("họp lúc 8:30", []),  # a time: no plan 8
        ("chi tiết 99", []),  # a plain number is an id only when some plan has it
        ("Quý II/2026", []),
    ],
)
def test_ids_no_plan_has(directory: PlanDirectory, text: str, expected: list[TaskRef]) -> None:
    question = read_question(text)
    assert list(find_missing_refs(question, directory, find_plans(question, directory))) == expected


LETTERED = Path(__file__).parents[1] / "data" / "plans" / "kh-2026-cchc-stt-columns.md"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("chi tiết B.3", [TaskRef(code="B.3")]),
        ("nhiệm vụ c.7 là gì", [TaskRef(code="C.7")]),
        ("87:D.2", [TaskRef(code="D.2", plan="87/KH-UBND")]),
        ("mục 2 phần A", [TaskRef(code="A.2")]),
        ("B.9", []),  # group B has six tasks
        ("điểm b.3 khoản 2 Điều 5 của kế hoạch 435", []),  # B.3 is 87's: a plan named without it holds no such id
    ],
)
def test_ids_of_groups_lettered_a_b_c(
    seed_plan: ParsedPlan, registry: AgencyRegistry, text: str, expected: list[TaskRef]
) -> None:
    lettered = parse_plan_source(LETTERED.read_bytes(), name=LETTERED.name, registry=registry).plan
    assert refs(PlanDirectory([seed_plan.plan, lettered]), text) == expected


DECIMAL = Path(__file__).parents[1] / "data" / "plans" / "kh-2026-de-an-06-decimal.docx"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("chi tiết 142:2.4", [TaskRef(code="2.4", plan="142/KH-UBND")]),
        ("cho xem nhiệm vụ 3.2", [TaskRef(code="3.2")]),
        ("mục 1.5 là gì", [TaskRef(code="1.5")]),
        ("việc 30 ngày tới", []),
    ],
)
def test_decimal_ids(seed_plan: ParsedPlan, registry: AgencyRegistry, text: str, expected: list[TaskRef]) -> None:
    decimal = parse_plan_source(DECIMAL.read_bytes(), name=DECIMAL.name, registry=registry).plan
    assert refs(PlanDirectory([seed_plan.plan, decimal]), text) == expected
