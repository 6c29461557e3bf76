"""The answer engine: scored question sets, intents, agency resolution, bad input and rendering."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.agencies import AgencyRegistry
from knowledge.answers import AnswerEngine
from knowledge.base import KnowledgeBase
from knowledge.plan_parser import parse_plan_source
from knowledge.records import ParsedPlan
from tests.knowledge import question_sets

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DATA = Path(__file__).parent / "data"
SHARED_DEV = Path(__file__).resolve().parents[3] / "shared" / "dev_questions.jsonl"


def at(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=TZ)


NOW = at(date(2018, 10, 1))


@pytest.fixture(scope="module")
def engine(seed_plan: ParsedPlan, registry: AgencyRegistry) -> AnswerEngine:
    return AnswerEngine(KnowledgeBase([seed_plan.plan], registry))


def _score_file(engine: AnswerEngine, path: Path, threshold: float, *, no_task_misses_allowed: int = 0) -> None:
    questions = question_sets.load(path)
    correct, misses = question_sets.score(engine, questions)
    for miss in misses:
        print("MISS", miss)
    rate = correct / len(questions)
    print(f"{path.name}: {correct}/{len(questions)} = {rate:.1%}")
    no_task_misses = [m for m in misses if m.expect.get("no_tasks")]
    assert len(no_task_misses) <= no_task_misses_allowed, "a no_tasks question got tasks: " + "; ".join(
        map(str, no_task_misses)
    )
    assert rate >= threshold, f"{rate:.1%} < {threshold:.0%}: " + "; ".join(map(str, misses))


def test_dev_questions_score_at_least_95_percent(engine: AnswerEngine) -> None:
    path = SHARED_DEV if SHARED_DEV.exists() else DATA / "dev_questions.jsonl"
    _score_file(engine, path, 0.95)


@pytest.mark.parametrize(
    "name",
    [
        "heldout_questions.jsonl",
        "heldout2_questions.jsonl",
        "heldout3_questions.jsonl",
        "heldout4_questions.jsonl",
        "heldout5_questions.jsonl",
        "heldout6_questions.jsonl",
    ],
)
def test_heldout_questions_written_without_seeing_the_engine(engine: AnswerEngine, name: str) -> None:
    _score_file(engine, DATA / name, 0.99)  # saturated regression sets: one miss in a hundred is already a regression


def _parsed(name: str, registry: AgencyRegistry) -> ParsedPlan:
    return parse_plan_source((DATA / "plans" / name).read_bytes(), name=name, registry=registry)


@pytest.mark.parametrize(
    ("name", "plans", "floor"),
    [
        ("heldout_multi1_questions.jsonl", ("kh-2026-htx-topic-table.md",), 0.95),
        (
            "honest/honest_multi2_questions.jsonl",
            ("kh-2025-chuyen-doi-so-plain.md", "kh-2026-lang-nghe-merged.docx"),
            0.95,
        ),
        ("honest/honest4_questions.jsonl", ("kh-2026-cchc-stt-columns.md",), 0.95),
        ("honest/honest5_questions.jsonl", ("kh-2026-de-an-06-decimal.docx",), 0.95),
        ("honest/honest6_questions.jsonl", ("kh-2026-attp-by-agency.docx",), 0.95),
        ("honest/honest7_questions.jsonl", ("kh-2026-ktn-continuous.txt",), 0.9),
        ("honest/honest9_questions.jsonl", ("kh-2026-snv-department.md",), 0.9),
        ("honest/honest10_questions.jsonl", ("kh-2026-pccc-progress.md",), 0.95),
        ("honest/honest11_questions.jsonl", ("kh-2026-htx-topic-table.md",), 0.95),
        ("honest/honest14_questions.jsonl", ("kh-2026-htx-topic-table.md",), 0.95),
        ("honest/honest15_questions.jsonl", ("kh-2026-htx-topic-table.md",), 0.95),
        ("honest/honest16_questions.jsonl", ("kh-2026-htx-topic-table.md",), 0.95),
        ("honest/honest17_questions.jsonl", ("kh-2026-htx-topic-table.md",), 0.95),
        ("honest/honest18_questions.jsonl", ("kh-2026-htx-topic-table.md",), 0.95),
        ("honest/honest12_questions.jsonl", ("kh-2026-prose-duties.md",), 0.95),
        ("honest/honest13_questions.jsonl", ("kh-2027-group-column.docx",), 0.95),
        ("honest/honest20_questions.jsonl", ("kh-2026-prose-duties.md",), 0.9),
        ("honest/honest21_questions.jsonl", ("kh-2027-group-column.docx",), 0.9),
        ("honest/honest22_questions.jsonl", ("kh-2026-prose-duties.md",), 0.95),
        ("honest/honest23_questions.jsonl", ("kh-2027-group-column.docx",), 0.95),
        ("honest/honest24_questions.jsonl", ("kh-2026-htx-topic-table.md",), 0.95),
        ("honest/honest27_questions.jsonl", ("kh-2026-htx-topic-table.md",), 0.95),
        ("honest/honest29_questions.jsonl", ("kh-2026-htx-topic-table.md",), 0.95),
        ("honest/honest31_questions.jsonl", ("kh-2026-htx-topic-table.md",), 0.95),
        ("honest/honest34_questions.jsonl", ("kh-2027-group-column.docx",), 0.95),
        ("honest/honest33_questions.jsonl", ("kh-2026-prose-duties.md",), 0.95),
        ("honest/honest35_questions.jsonl", ("kh-2026-htx-topic-table.md",), 0.95),
        ("honest/honest36_questions.jsonl", ("kh-2026-htx-topic-table.md",), 0.95),
        ("honest/honest40_questions.jsonl", ("kh-2026-htx-topic-table.md",), 0.95),
        ("honest/honest39_questions.jsonl", ("kh-2026-htx-topic-table.md",), 0.95),
        ("honest/honest41_questions.jsonl", ("kh-2026-htx-topic-table.md",), 0.95),
        ("honest/honest43_questions.jsonl", ("kh-2026-htx-topic-table.md",), 0.95),
        ("honest/honest44_questions.jsonl", ("kh-2026-htx-topic-table.md",), 0.95),
        ("honest/honest46_questions.jsonl", ("kh-2026-htx-topic-table.md",), 0.9),
        ("honest/honest48_questions.jsonl", ("kh-2026-htx-topic-table.md",), 0.95),
        ("honest/honest28_questions.jsonl", ("kh-2026-htx-topic-table.md",), 0.95),
        ("honest/honest30_questions.jsonl", ("kh-2026-htx-topic-table.md",), 0.95),
        ("honest/honest37_questions.jsonl", ("kh-2026-htx-topic-table.md",), 0.95),
        ("honest/honest38_questions.jsonl", ("kh-2026-htx-topic-table.md",), 0.95),
    ],
)
def test_multi_plan_regression_sets(
    seed_plan: ParsedPlan, registry: AgencyRegistry, name: str, plans: tuple[str, ...], floor: float
) -> None:
    """Sets over several plans whose misses have been looked at (README): kept from regressing (two of multi1's
    questions that must list no task still do: a plan named by title words that is not loaded, and an unrelated
    public service sharing words with a task). The honest set (honest/honest2_questions.jsonl) is not here: it is
    measured, never tested against."""
    parsed = [seed_plan, *(_parsed(p, registry) for p in plans)]
    # as an import stores them: agencies a plan names that the registry lacks are known to the snapshot too
    kb = KnowledgeBase.build([p.plan for p in parsed], [a for p in parsed for a in p.agencies], registry)
    engine = AnswerEngine(kb)
    _score_file(engine, DATA / name, floor, no_task_misses_allowed=2)


# -- intents --------------------------------------------------------------------------------------------------------


def ids(engine: AnswerEngine, text: str, **kwargs: object) -> list[str]:
    now = kwargs.pop("now", NOW)
    assert isinstance(now, datetime)
    agency = kwargs.pop("agency", None)
    assert agency is None or isinstance(agency, str)
    return [t.code for t in engine.answer(text, agency=agency, now=now).tasks]


def test_agency_tasks_list_lead_tasks_and_count_coordinated(engine: AnswerEngine) -> None:
    answer = engine.answer("Liên minh HTX có nhiệm vụ gì", now=NOW)
    assert answer.intent == "agency_tasks"
    assert [t.code for t in answer.tasks] == [f"XV.{i}" for i in range(1, 9)]
    assert "phối hợp" in answer.text.lower()


def test_coordinated_tasks_when_asked(engine: AnswerEngine) -> None:
    assert ids(engine, "Sở Công Thương phối hợp những việc nào") == ["XVI.2"]


def test_named_district_resolves_to_group_and_says_so(engine: AnswerEngine) -> None:
    answer = engine.answer("quận Lê Chân phải làm gì", now=NOW)
    assert [t.code for t in answer.tasks] == [f"XVI.{i}" for i in range(1, 7)]
    assert "UBND các quận, huyện" in answer.text and "Lê Chân" in answer.text


def test_agency_not_in_plan_gets_clear_no_tasks(engine: AnswerEngine) -> None:
    for question in ("Sở Y tế có nhiệm vụ gì?", "Sở Ngoại giao có nhiệm vụ gì", "Công an thành phố làm gì"):
        answer = engine.answer(question, now=NOW)
        assert answer.tasks == (), question
        assert "không có nhiệm vụ nào" in answer.text, question


def test_ambiguous_agency_offers_choices(engine: AnswerEngine) -> None:
    answer = engine.answer("sở tài có nhiệm vụ gì", now=NOW)
    assert answer.intent == "clarify"
    assert {c.label for c in answer.choices} == {"Sở Tài chính", "Sở Tài nguyên và Môi trường"}
    choice = answer.choices[0].query
    assert choice is not None
    follow = engine.run(choice, now=NOW)
    assert follow.intent == "agency_tasks" and follow.tasks


def test_typos_abbreviations_and_no_diacritics(engine: AnswerEngine) -> None:
    assert ids(engine, "so tai chanh co nv j") == ["II.1", "II.2", "II.3"]
    assert ids(engine, "SKHĐT lam gi") == ["I.1", "I.2", "I.3", "I.4"]
    assert ids(engine, "Sở TN&MT") == ["VII.1", "VII.2", "VII.3"]
    nfd = unicodedata.normalize("NFD", "Sở Xây dựng có nhiệm vụ gì")
    assert ids(engine, nfd) == ["VI.1"]


def test_my_tasks_uses_the_askers_agency(engine: AnswerEngine) -> None:
    assert ids(engine, "nhiem vu cua toi", agency="Sở Tài chính") == ["II.1", "II.2", "II.3"]
    answer = engine.answer("nhiệm vụ của tôi", now=NOW)
    assert answer.intent == "my_tasks" and answer.tasks == ()
    assert "/dangky" in answer.text


def test_who_is_responsible_for_a_topic(engine: AnswerEngine) -> None:
    answer = engine.answer("ai lo phần mềm kế toán cho HTX?", now=NOW)
    assert answer.intent == "who"
    assert answer.tasks[0].code == "I.2"
    assert answer.text.startswith("Sở Kế hoạch và Đầu tư")


def test_deadline_of_a_topic_explains_its_reason(engine: AnswerEngine) -> None:
    answer = engine.answer("hạn tặng phần mềm kế toán khi nào", now=NOW)
    assert answer.tasks[0].code == "I.2"
    assert "31/12/2020" in answer.text
    yearly = engine.answer("chi tiết XV.6", now=NOW)
    assert "15/11" in yearly.text and "IV.4" in yearly.text
    assert "Phụ lục, mục XV.6 — Kế hoạch 435/KH-UBND" in yearly.text


def test_annual_reporting_deadline(engine: AnswerEngine) -> None:
    answer = engine.answer("hạn báo cáo hằng năm?", now=NOW)
    assert answer.intent == "reporting"
    assert "15/11" in answer.text and "10/12" in answer.text and "IV.4" in answer.text


def test_task_detail_by_id_in_several_spellings(engine: AnswerEngine) -> None:
    for question in ("XV.6", "chi tiết nhiệm vụ xv.6", "mục 6 phần XV", "phần XV mục 6"):
        answer = engine.answer(question, now=NOW)
        assert answer.intent == "task_detail", question
        assert [t.code for t in answer.tasks] == ["XV.6"], question
    missing = engine.answer("XII.1", now=NOW)  # no section XII in the plan: said so, no task listed
    assert not missing.tasks
    assert "Không kế hoạch nào có nhiệm vụ XII.1" in missing.text


def test_upcoming_windows(engine: AnswerEngine) -> None:
    assert ids(engine, "sắp đến hạn việc gì", now=at(date(2018, 12, 1)))[-1] == "XVI.6"
    november = ids(engine, "tháng 11 có hạn gì", now=at(date(2019, 10, 20)))
    assert "XV.6" in november and "I.1" not in november
    assert ids(engine, "tuần này đến hạn gì", now=at(date(2019, 11, 13))) != []
    later = engine.answer("sắp đến hạn việc gì", now=at(date(2026, 11, 25)))
    assert later.tasks == () and "31/12/2020" in later.text


def test_overdue_respects_done_reports_and_paginates(engine: AnswerEngine) -> None:
    now = at(date(2019, 1, 10))
    answer = engine.answer("việc nào quá hạn", now=now)
    assert answer.intent == "overdue"
    assert "XVI.5" in [t.code for t in answer.tasks]
    done = engine.answer("việc nào quá hạn", now=now, is_done=lambda task, due: task.code == "XVI.5")
    assert "XVI.5" not in [t.code for t in done.tasks]
    assert answer.pages > 1 and answer.next_page is not None
    second = engine.run(answer.next_page, now=now)
    assert second.page == 2 and "Trang 2/" in second.text
    assert [t.code for t in second.tasks] == [t.code for t in answer.tasks]


def test_plan_facts(engine: AnswerEngine) -> None:
    assert "Nguyễn Văn Thành" in engine.answer("ai ký kế hoạch này", now=NOW).text
    assert "7344/KH-UBND" in engine.answer("kế hoạch này thay thế kế hoạch nào", now=NOW).text
    assert "1,0 - 1,2%" in engine.answer("GRDP bao nhiêu phần trăm", now=NOW).text
    summary = engine.answer("thông tin kế hoạch", now=NOW)
    assert summary.intent == "plan_facts"
    assert "435/KH-UBND" in summary.text and "43 nhiệm vụ" in summary.text


def test_greeting_and_unknown_get_help_not_a_random_match(engine: AnswerEngine) -> None:
    for question in ("xin chào", "chào bạn", "hello ad", "thời tiết hôm nay thế nào", "asdkjh qwe zzz"):
        answer = engine.answer(question, now=NOW)
        assert answer.tasks == (), question
        assert answer.intent in ("greeting", "help", "unknown"), question
        assert "Sở Tài chính có nhiệm vụ gì?" in answer.text


BAD_INPUTS = [
    "",
    "   \n\t ",
    "x" * 10_000,
    "nhiệm vụ " * 2_000,
    "😀🎉🔥",
    "\x00\x01\x02\x7f",
    "'; DROP TABLE tasks; --",
    "<script>alert(1)</script> Sở KH&ĐT <b>",
    "\u202eSở Tài chính",
]


@pytest.mark.parametrize("text", BAD_INPUTS)
def test_bad_input_gets_a_sensible_reply(engine: AnswerEngine, text: str) -> None:
    answer = engine.answer(text, now=NOW)
    assert answer.text
    assert len(answer.text) < 4096
    html = answer.html
    assert "<script>" not in html


def test_html_rendering_escapes_dynamic_text(engine: AnswerEngine) -> None:
    answer = engine.answer("Sở KH&ĐT có nhiệm vụ gì", now=NOW)
    assert "Sở KH&amp;ĐT" in answer.html or "HTX và DN" in answer.html
    assert "&ĐT" not in answer.html.replace("&amp;", "")
    for chunk in answer.reply.html_chunks(200):
        assert len(chunk) > 0


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_engine_never_raises_and_is_deterministic(engine: AnswerEngine, text: str) -> None:
    first = engine.answer(text, now=NOW)
    second = engine.answer(text, now=NOW)
    assert first.text == second.text
    assert [t.code for t in first.tasks] == [t.code for t in second.tasks]


def test_over_long_lines_split_without_breaking_entities_or_tags() -> None:
    from knowledge.reply import ReplyBuilder, bold

    reply = ReplyBuilder().line("a & b " * 1000).line(bold("x" * 5000)).build()
    chunks = reply.html_chunks(4096)
    assert len(chunks) >= 3
    for chunk in chunks:
        assert chunk.count("<b>") == chunk.count("</b>")
        assert "&am" not in chunk.replace("&amp;", "")
    plain = reply.plain_chunks(2000)
    assert all(0 < len(c) <= 2000 for c in plain)
    assert "".join("".join(plain).split()) == "".join(reply.plain().split())  # nothing lost but white space


def test_review_regressions(engine: AnswerEngine) -> None:
    for bare in ("sở y tế", "sở văn hóa"):
        answer = engine.answer(bare, now=NOW)
        assert answer.tasks == () and "không có nhiệm vụ nào" in answer.text, bare
    assert ids(engine, "sở kế hoạch hay sở tài chính lo phần mềm kế toán")[:1] == ["I.2"]
    assert ids(engine, "ai lo phần mềm kế toán, sở kế hoạch à")[:1] == ["I.2"]
    both = engine.answer("Sở Tài chính và Sở KH&ĐT có nhiệm vụ gì", now=NOW)
    assert [t.code for t in both.tasks] == ["II.1", "II.2", "II.3", "I.1", "I.2", "I.3", "I.4"]
    assert "Sở Tài chính 3" in both.text and "Sở Kế hoạch và Đầu tư 4" in both.text
    unknown = engine.answer("ngân hàng chính sách xã hội làm gì", now=NOW)
    assert "ngân hàng chính sách xã hội" in unknown.text and unknown.tasks == ()
    city = engine.answer("Sở KH&ĐT phải tổng hợp báo cáo UBND TP trước ngày nào?", now=NOW)
    assert "10/12" in city.text


def test_yes_no_question_about_an_agency_and_a_task(engine: AnswerEngine) -> None:
    answer = engine.answer("sở nông nghiệp có lo xử lý ô nhiễm làng nghề không", now=NOW)
    assert answer.tasks[0].code == "VII.2"
    assert answer.text.startswith("Không, Sở Nông nghiệp và Phát triển nông thôn không được giao nhiệm vụ VII.2")
    assert "Sở Tài nguyên và Môi trường" in answer.text
    yes = engine.answer("sở kế hoạch có phải lo tặng phần mềm kế toán cho htx không", now=NOW)
    assert yes.text.startswith("Có, Sở Kế hoạch và Đầu tư chủ trì nhiệm vụ I.2")
    for verb in ("có phụ trách", "có chủ trì", "có được giao"):
        no = engine.answer(f"Sở Nông nghiệp {verb} xử lý ô nhiễm làng nghề không", now=NOW)
        assert no.text.startswith("Không, Sở Nông nghiệp và Phát triển nông thôn"), verb


def test_coordination_between_two_agencies(engine: AnswerEngine) -> None:
    assert ids(engine, "UBND các quận huyện phối hợp với Cảnh sát PCCC trong việc gì?") == ["XI.1", "XI.2"]
    assert ids(engine, "Sở Công Thương phối hợp với UBND quận huyện việc gì") == ["XVI.2"]


def test_a_ministry_asked_first_is_a_body_with_no_task(engine: AnswerEngine) -> None:
    """A state body that opens the question is its subject, whatever asks for its tasks; the same head word inside a
    topic ("vay ngân hàng") is no body."""
    for text in ("Bộ Ngoại giao chủ trì gì", "Bộ Ngoại giao có việc gì trong các kế hoạch này không"):
        answer = engine.answer(text, now=NOW)
        assert answer.tasks == () and answer.query.shape == "no_agency", text
    loan = engine.answer("hợp tác xã muốn vay ngân hàng thì ai giúp", now=NOW)
    assert loan.query.shape != "no_agency"
