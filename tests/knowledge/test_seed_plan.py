"""Golden tests on the bundled plan, Hải Phòng's 435/KH-UBND (2018), read exactly as printed."""

from __future__ import annotations

from datetime import date

from knowledge.records import ParsedPlan

LEAD_BY_SECTION = {
    "I": "Sở Kế hoạch và Đầu tư",
    "II": "Sở Tài chính",
    "III": "Sở Nông nghiệp và Phát triển nông thôn",
    "IV": "Sở Công Thương",
    "V": "Sở Giao thông vận tải",
    "VI": "Sở Xây dựng",
    "VII": "Sở Tài nguyên và Môi trường",
    "VIII": "Sở Lao động - Thương binh và Xã hội",
    "IX": "Sở Thông tin và Truyền thông",
    "X": "Sở Khoa học và Công nghệ",
    "XI": "Cảnh sát Phòng cháy và chữa cháy thành phố",
    "XIII": "Ngân hàng Nhà nước Việt Nam - Chi nhánh Hải Phòng",
    "XIV": "Cục Thuế thành phố",
    "XV": "Liên minh Hợp tác xã và Doanh nghiệp thành phố",
    "XVI": "UBND các quận, huyện",
    "XVII": "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố",
}

EXPECTED_IDS = (
    "I.1 I.2 I.3 I.4 II.1 II.2 II.3 III.1 III.2 IV.1 IV.2 V.1 V.2 VI.1 VII.1 VII.2 VII.3 VIII.1 IX.1 X.1 X.2 X.3 "
    "XI.1 XI.2 XIII.1 XIII.3 XIV.1 XIV.2 XV.1 XV.2 XV.3 XV.4 XV.5 XV.6 XV.7 XV.8 XVI.1 XVI.2 XVI.3 XVI.4 XVI.5 "
    "XVI.6 XVII.1"
).split()

LHTX = "Liên minh Hợp tác xã và Doanh nghiệp thành phố"
SO_NGANH = "Các Sở, ngành liên quan"
QUAN_HUYEN = "UBND các quận, huyện"


def test_all_43_appendix_tasks_with_ids_as_printed(seed_plan: ParsedPlan) -> None:
    ids = [t.code for t in seed_plan.plan.tasks]
    assert ids == EXPECTED_IDS
    assert len(ids) == 43
    assert not any(i.startswith("XII.") for i in ids)
    assert "XIII.2" not in ids


def test_every_task_has_its_section_agency_as_lead(seed_plan: ParsedPlan) -> None:
    for task in seed_plan.plan.tasks:
        assert task.lead == (LEAD_BY_SECTION[task.section_code],), task.code


def test_row_split_across_page_break_is_merged(seed_plan: ParsedPlan) -> None:
    task = next(t for t in seed_plan.plan.tasks if t.code == "III.2")
    assert task.content == (
        "Hướng dẫn các hợp tác xã nông nghiệp, dịch vụ nông nghiệp sản xuất, chế biến nông, thủy sản theo các quy "
        "định về tiêu chuẩn vệ sinh, an toàn thực phẩm, phát triển nông nghiệp xanh."
    )
    assert task.coordinators == (SO_NGANH, QUAN_HUYEN)
    assert task.time_text == "Hàng năm"
    assert [d.due for d in task.schedule.deadlines] == [date(2018, 11, 15), date(2019, 11, 15), date(2020, 11, 15)]


def test_coordinators_are_resolved_to_canonical_agencies(seed_plan: ParsedPlan) -> None:
    by_id = {t.code: t for t in seed_plan.plan.tasks}
    assert by_id["I.1"].coordinators == (LHTX, SO_NGANH, QUAN_HUYEN)
    assert by_id["II.2"].coordinators == (LHTX,)
    assert by_id["VII.2"].coordinators == ("Sở Khoa học và Công nghệ", QUAN_HUYEN)
    assert by_id["XI.2"].coordinators == (QUAN_HUYEN,)
    assert by_id["XV.5"].coordinators == (SO_NGANH, QUAN_HUYEN, "Các cơ quan thông tấn báo chí")
    assert by_id["XV.8"].coordinators == (SO_NGANH, QUAN_HUYEN, "Các hợp tác xã")
    assert by_id["XVI.1"].coordinators == ("Các phòng chuyên môn của UBND quận, huyện",)
    assert by_id["XVI.2"].coordinators == ("Sở Công Thương",)
    assert by_id["XVII.1"].coordinators == (LHTX, SO_NGANH)
    assert not seed_plan.warnings, seed_plan.warnings


def test_time_phrases_become_deadlines_with_reasons(seed_plan: ParsedPlan) -> None:
    by_id = {t.code: t for t in seed_plan.plan.tasks}
    conversion = by_id["XVI.5"].schedule
    assert conversion.recurrence == "once"
    assert [d.due for d in conversion.deadlines] == [date(2018, 6, 30)]
    assert [d.due for d in by_id["XVI.6"].schedule.deadlines] == [date(2018, 12, 31)]
    multi_year = by_id["I.1"].schedule
    assert multi_year.deadlines[-1].due == date(2020, 12, 31)
    assert multi_year.deadlines[-1].final
    yearly = by_id["XV.6"].schedule
    assert yearly.recurrence == "yearly"
    assert "15/11" in yearly.deadlines[0].reason and "IV.4" in yearly.deadlines[0].reason
    assert all(t.schedule.recognised for t in seed_plan.plan.tasks)


def test_plan_facts(seed_plan: ParsedPlan) -> None:
    plan = seed_plan.plan
    assert plan.number == "435/KH-UBND"
    assert plan.issued_on == date(2018, 5, 23)
    assert plan.issuer == "Ủy ban nhân dân thành phố Hải Phòng"
    assert plan.period is not None and (plan.period.start, plan.period.end) == (2018, 2020)
    assert plan.replaces == "7344/KH-UBND"
    assert plan.signer == "Nguyễn Văn Thành"
    assert plan.signer_title == "Phó Chủ tịch"
    assert plan.title.startswith("Thực hiện Kết luận số 13-KL/TU")
    assert len(plan.source_hash) == 64


def test_reporting_dates_from_section_iv4(seed_plan: ParsedPlan) -> None:
    plan = seed_plan.plan
    assert plan.reporting_date is not None
    assert (plan.reporting_date.day, plan.reporting_date.month, plan.reporting_date.label) == (15, 11, "IV.4")
    assert plan.city_reporting_date is not None
    assert (plan.city_reporting_date.day, plan.city_reporting_date.month) == (10, 12)


def test_objectives_and_targets_with_dates(seed_plan: ParsedPlan) -> None:
    objectives = seed_plan.plan.objectives
    by_text = {o.text: o for o in objectives}
    conversion = next(o for o in objectives if "chuyển đổi" in o.text)
    assert conversion.target_date == date(2018, 6, 30)
    dissolution = next(o for o in objectives if "giải thể" in o.text)
    assert dissolution.target_date == date(2018, 12, 31)
    grdp = next(o for o in objectives if "GRDP" in o.text)
    assert "1,0 - 1,2%" in grdp.text and grdp.target_date == date(2020, 12, 31)
    training = next(o for o in objectives if "Trên 50%" in o.text)
    assert "70%" in training.text and training.target_date == date(2020, 12, 31)
    models = next(o for o in objectives if "10 hợp tác xã điển hình" in o.text)
    assert models.target_date == date(2020, 12, 31)
    assert len(by_text) == len(objectives)


def test_general_duties_have_ids_unlike_appendix_rows(seed_plan: ParsedPlan) -> None:
    duties = seed_plan.plan.duties
    assert [d.code for d in duties] == ["TCTH.1", "TCTH.2", "TCTH.3", "TCTH.4", "TCTH.5"]
    assert [d.label for d in duties] == ["IV.1", "IV.2", "IV.3", "IV.4", "IV.5"]
    assert "15 tháng 11" in duties[3].text and "10 tháng 12" in duties[3].text
    appendix_ids = {t.code for t in seed_plan.plan.tasks}
    assert not appendix_ids & {d.code for d in duties}


def test_import_report_notes_typos_gaps_and_continuation(seed_plan: ParsedPlan) -> None:
    codes = [(i.level, i.code) for i in seed_plan.issues]
    assert codes.count(("note", "typo-corrected")) == 3  # SƠ KẾ HOẠCH, SỐ TÀI CHÍNH, SỐ NÔNG NGHIỆP
    gaps = [i.message for i in seed_plan.issues if i.code == "numbering-gap"]
    assert any("XII" in m for m in gaps) and any("XIII.2" in m for m in gaps)
    assert any(i.code == "row-continued" and "III.2" in i.message for i in seed_plan.issues)
