"""The channel-neutral conversation on a real SQLite database: commands, choices, invites, registration, admin."""

from __future__ import annotations

from bot.conversation import COMMANDS, Conversation, Incoming, Outgoing
from bot.services import Services


def officer(text: str, chat: str = "2002", channel: str = "telegram", **kwargs: object) -> Incoming:
    return Incoming(channel=channel, chat_id=chat, user_id=chat, display_name="Cán bộ A", text=text, **kwargs)  # type: ignore[arg-type]


def admin(text: str) -> Incoming:
    return Incoming(channel="telegram", chat_id="1001", user_id="1001", display_name="Quản trị", text=text)


def plain(outgoing: list[Outgoing]) -> str:
    return "\n".join(o.reply.plain() for o in outgoing if o.chat_id is None)


def actions(outgoing: list[Outgoing]) -> dict[str, str]:
    return {b.label: b.action for o in outgoing for row in o.buttons for b in row}


async def test_question_and_detail_button(services: Services) -> None:
    conv = Conversation(services)
    out = await conv.on_text(officer("Sở Tài chính có nhiệm vụ gì?"))
    assert "II.1" in plain(out)
    detail = await conv.on_action(officer(""), actions(out)["Chi tiết II.2"])
    assert "Nhiệm vụ II.2" in plain(detail)


async def test_ambiguous_agency_by_button_and_by_number(services: Services) -> None:
    conv = Conversation(services)
    out = await conv.on_text(officer("sở tài có nhiệm vụ gì"))
    assert set(actions(out)) >= {"Sở Tài chính", "Sở Tài nguyên và Môi trường"}
    by_button = await conv.on_action(officer(""), actions(out)["Sở Tài chính"])
    assert "II.1" in plain(by_button)
    await conv.on_text(officer("sở tài có nhiệm vụ gì", channel="zalo"))
    by_number = await conv.on_text(officer("2", channel="zalo"))
    assert "VII.1" in plain(by_number)


async def test_stale_action_is_explained(services: Services) -> None:
    out = await Conversation(services).on_action(officer(""), "nonexistent")
    assert "hết hạn" in plain(out)


async def test_invite_flow_single_use(services: Services) -> None:
    conv = Conversation(services, admin_user_ids=frozenset({"1001"}), bot_username="taskbot_bot")
    created = plain(await conv.on_text(admin("/moi Sở Tài chính")))
    assert "https://t.me/taskbot_bot?start=" in created
    token = created.split("start=")[1].split()[0]
    joined = plain(await conv.on_text(officer(f"/start {token}")))
    assert "Đăng ký thành công" in joined and "Sở Tài chính" in joined
    mine = await conv.on_text(officer("/cuatoi"))
    assert "II.1" in plain(mine) and "II.3" in plain(mine)
    again = plain(await conv.on_text(officer(f"/start {token}", chat="3003")))
    assert "đã được sử dụng" in again


async def test_zalo_user_can_send_the_code_alone(services: Services) -> None:
    conv = Conversation(services, admin_user_ids=frozenset({"1001"}))
    created = plain(await conv.on_text(admin("/moi Sở Xây dựng điều phối")))
    token = created.split("/start ")[1].split()[0]
    joined = plain(await conv.on_text(officer(token, chat="z-77", channel="zalo")))
    assert "điều phối của Sở Xây dựng" in joined


async def test_non_admin_is_refused_and_logged(services: Services) -> None:
    conv = Conversation(services, admin_user_ids=frozenset({"1001"}))
    out = plain(await conv.on_text(officer("/moi Sở Tài chính")))
    assert "chỉ dành cho quản trị viên" in out
    log = services.contacts.audit_log()
    assert any(not entry.allowed and "/moi" in entry.action for entry in log)


async def test_admin_contact_commands(services: Services) -> None:
    conv = Conversation(services, admin_user_ids=frozenset({"1001"}))
    assert "Đã thêm" in plain(await conv.on_text(admin("/them 5555 Sở Công Thương điều phối")))
    listing = plain(await conv.on_text(admin("/danhba Sở Công Thương")))
    assert "5555" in listing and "điều phối" in listing
    assert "quản trị" in plain(await conv.on_text(admin("/vaitro 5555 quản trị")))
    assert "Đã ngừng" in plain(await conv.on_text(admin("/xoa 5555")))
    assert "Không nhận ra cơ quan" in plain(await conv.on_text(admin("/them 6666 Sở Không Có Thật")))


async def test_registration_request_approved_by_admin(services: Services) -> None:
    conv = Conversation(services, admin_user_ids=frozenset({"1001"}))
    out = await conv.on_text(officer("/dangky Sở Giao thông vận tải", chat="4004"))
    assert "Đã gửi yêu cầu" in plain(out)
    notices = [o for o in out if o.chat_id == "1001"]
    assert notices and "Sở Giao thông vận tải" in notices[0].reply.plain()
    approve = {b.label: b.action for row in notices[0].buttons for b in row}["Duyệt"]
    decided = await conv.on_action(admin(""), approve)
    assert any(o.chat_id == "4004" and "đã được duyệt" in o.reply.plain() for o in decided)
    mine = plain(await conv.on_text(officer("/cuatoi", chat="4004")))
    assert "V.1" in mine


async def test_unknown_command_gets_help_and_commands_are_described(services: Services) -> None:
    out = plain(await Conversation(services).on_text(officer("/abc")))
    assert "Không có lệnh /abc" in out and "Sở Tài chính có nhiệm vụ gì?" in out
    assert all(name.isascii() and description for name, description in COMMANDS)


async def test_console_asker_agency_without_contacts(services: Services) -> None:
    conv = Conversation(services)
    incoming = Incoming(channel="console", chat_id="console", text="nhiệm vụ của tôi", agency="Cục Thuế")
    assert "XIV.1" in plain(await conv.on_text(incoming))
    refused = Incoming(channel="console", chat_id="console", text="/moi Sở Tài chính")
    assert "Telegram hoặc Zalo" in plain(await conv.on_text(refused))


async def test_progress_reports_by_command_and_button(services: Services) -> None:
    conv = Conversation(services, admin_user_ids=frozenset({"1001"}))
    await conv.on_text(admin("/them 2002 Sở Tài chính"))
    out = plain(await conv.on_text(officer("/baocao II.1 xong đã trình UBND")))
    assert "II.1" in out and "15/11/2018" in out and "hoàn thành đúng hạn" in out
    assert services.done.done_for("435/KH-UBND", "II.1", __import__("datetime").date(2018, 11, 15), ["Sở Tài chính"])
    pressed = plain(await conv.on_action(officer(""), "r|p|435/KH-UBND|II.2|2018-11-15"))
    assert "đang thực hiện trong hạn" in pressed and "/baocao II.2 đang" in pressed
    refused = plain(await conv.on_text(officer("/baocao XV.6 xong")))
    assert "Liên minh" in refused and "không báo cáo" in refused
    assert "Cú pháp" in plain(await conv.on_text(officer("/baocao II.1 có lẽ")))
    status = plain(await conv.on_text(officer("/tinhhinh")))
    assert "II.1 (hạn 15/11/2018): hoàn thành đúng hạn" in status
    assert "II.3 (hạn 15/11/2018): đang thực hiện trong hạn" in status  # the clock is 1/10/2018


async def test_status_by_role_with_pages(services: Services) -> None:
    conv = Conversation(services, admin_user_ids=frozenset({"1001"}))
    stranger = plain(await conv.on_text(officer("/tinhhinh", chat="9999")))
    assert "chỉ dành cho cơ quan đã đăng ký" in stranger and "hoàn thành" not in stranger
    await conv.on_text(admin("/them 2002 Sở Tài chính"))
    await conv.on_text(admin("/them 3001 UBND huyện Tiên Lãng"))
    assert "Bạn chỉ xem được tình hình của Sở Tài chính" in plain(await conv.on_text(officer("/tinhhinh Cục Thuế")))
    await conv.on_text(officer("/baocao XVI.1 xong", chat="3001"))
    district = plain(await conv.on_text(officer("/tinhhinh", chat="3001")))
    assert "XVI.1 (hạn 15/11/2018): hoàn thành đúng hạn" in district  # its own row of the group task
    everyone = await conv.on_text(admin("/tinhhinh"))
    text = plain(everyone)
    assert "Trang 1/2" in text and len(text) < 4096 and "42 đang thực hiện trong hạn, 1 quá hạn" in text
    more = actions(everyone)["Xem thêm"]
    second = plain(await conv.on_action(admin(""), more))
    assert "Trang 2/2" in second and "XVII.1" in second
    assert "XVI.1 (hạn 15/11/2018): đang thực hiện trong hạn" in second  # the group is not done yet …
    assert "còn 14/15 đơn vị chưa báo cáo hoàn thành" in second  # … one of the 15 districts of 2018 has reported


async def test_an_import_by_another_process_is_picked_up(services: Services, tmp_path: object) -> None:
    from knowledge.importer import import_plan_bytes

    plan = "\n".join(
        [
            "Số: 12/KH-UBND",
            "Hải Phòng, ngày 10 tháng 3 năm 2018",  # issued before the fixed clock: a plan of the future is not asked
            "## KẾ HOẠCH",
            "Chuyển đổi số giai đoạn 2018 - 2019",
            "| STT | Nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành |",
            "|---|---|---|---|",
            "| I | **Hạ tầng số** | | |",
            "| 1 | Xây dựng trung tâm dữ liệu thành phố | Sở Y tế | Quý IV năm 2018 |",
        ]
    )
    assert not await services.reload_if_changed()
    import_plan_bytes(
        plan.encode(), name="cds.md", registry=services.runtime.registry, repository=services.runtime.repository
    )
    assert await services.reload_if_changed()
    out = plain(await Conversation(services).on_text(officer("Sở Y tế có nhiệm vụ gì")))
    assert "I.1" in out and "trung tâm dữ liệu" in out


async def test_a_district_report_covers_that_district_only(services: Services) -> None:
    from datetime import date

    conv = Conversation(services, admin_user_ids=frozenset({"1001"}))
    await conv.on_text(admin("/them 3001 UBND huyện Tiên Lãng"))
    await conv.on_text(admin("/them 3002 UBND quận Ngô Quyền"))
    reported = plain(await conv.on_text(officer("/baocao XVI.5 xong", chat="3001")))
    assert "hoàn thành quá hạn" in reported or "hoàn thành đúng hạn" in reported
    task = services.engine.kb.task("XVI.5")
    assert task is not None
    assert services.is_done(task, date(2018, 6, 30), "UBND huyện Tiên Lãng")
    assert not services.is_done(task, date(2018, 6, 30), "UBND quận Ngô Quyền")
    assert not services.is_done(task, date(2018, 6, 30))  # the group as a whole has not reported


async def test_the_same_task_id_in_two_plans(services: Services) -> None:
    from knowledge.importer import import_plan_bytes

    plan = "\n".join(
        [
            "Số: 12/KH-UBND",
            "Hải Phòng, ngày 10 tháng 3 năm 2018",  # issued before the fixed clock: a plan of the future is not asked
            "## KẾ HOẠCH",
            "Chuyển đổi số giai đoạn 2018 - 2019",
            "| STT | Nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành |",
            "|---|---|---|---|",
            "| I | **Hạ tầng số** | | |",
            "| 1 | Xây dựng trung tâm dữ liệu thành phố | Sở Y tế | Quý IV năm 2018 |",
        ]
    )
    import_plan_bytes(
        plan.encode(), name="cds.md", registry=services.runtime.registry, repository=services.runtime.repository
    )
    await services.reload_if_changed()
    conv = Conversation(services, admin_user_ids=frozenset({"1001"}))
    detail = plain(await conv.on_text(officer("chi tiết I.1")))
    assert "Kế hoạch 435/KH-UBND" in detail and "Kế hoạch 12/KH-UBND" in detail
    await conv.on_text(admin("/them 7007 Sở Y tế"))
    mine = plain(await conv.on_text(officer("/baocao I.1 xong", chat="7007")))
    assert "Đã ghi nhận" in mine and "31/12/2018" in mine
    await conv.on_text(admin("/them 7008 Sở Xây dựng điều phối"))
    ambiguous = plain(await conv.on_text(officer("/baocao I.1 xong", chat="7008")))
    assert "nhiều kế hoạch" in ambiguous
    chosen = plain(await conv.on_text(officer("/baocao 12/KH-UBND I.1 đang", chat="7008")))
    assert "Đã ghi nhận" in chosen


async def test_typed_paging_labels_continue_the_previous_answer(services: Services) -> None:
    conv = Conversation(services)
    first = plain(await conv.on_text(officer("tháng 11 có hạn gì", channel="zalo")))
    assert "Trang 1/" in first
    assert "Chưa có câu trả lời" in plain(await conv.on_text(officer("xem thêm", chat="9999")))
    second = plain(await conv.on_text(officer("xem thêm", channel="zalo")))
    assert "Trang 2/" in second and second != first
    third = plain(await conv.on_text(officer("tiếp", channel="zalo")))
    assert "Trang 3/" in third
    back = plain(await conv.on_text(officer("trang 1", channel="zalo")))
    assert back.split("\n")[:3] == first.split("\n")[:3]
    assert "đã hết" in plain(await conv.on_text(officer("trang 99", channel="zalo")))


async def test_commands_run_typed_queries(services: Services) -> None:
    conv = Conversation(services)
    assert "Nhiệm vụ XV.6" in plain(await conv.on_text(officer("/chitiet 435:XV.6")))
    assert "Không có nhiệm vụ mã" in plain(await conv.on_text(officer("/chitiet ZZ.9")))
    assert "XIV.1" in plain(await conv.on_text(officer("/nhiemvu cục thuế")))
    assert "không có nhiệm vụ nào" in plain(await conv.on_text(officer("/nhiemvu Trung tâm Hàng hải")))
    assert "Hạ tầng" not in plain(await conv.on_text(officer("/timkiem phần mềm kế toán")))
    assert "435/KH-UBND" in plain(await conv.on_text(officer("/kehoach")))
    soon = plain(await conv.on_text(officer("/sapden tháng 11")))
    assert "tháng 11/2018" in soon and "I.3" in soon


async def test_reports_are_checked_on_every_path(services: Services) -> None:
    conv = Conversation(services, admin_user_ids=frozenset({"1001"}))
    await conv.on_text(admin("/them 2002 Sở Tài chính"))
    await conv.on_text(admin("/them 4004 Sở Công Thương điều phối"))
    # a button for a deadline the task does not have (forged or stale) records nothing
    forged = plain(await conv.on_action(officer(""), "r|d|435/KH-UBND|II.1|2019-02-28"))
    assert "không có hạn 28/02/2019" in forged
    assert services.reports.list_reports(plan="435/KH-UBND") == []
    # a coordinator of another body reports the lead's task: recorded as input, the task stays open for its lead
    coordinator = plain(await conv.on_text(officer("/baocao II.1 xong", chat="4004")))
    assert "ý kiến của Sở Công Thương" in coordinator and "Sở Tài chính báo cáo" in coordinator
    occurrence = __import__("datetime").date(2018, 11, 15)
    assert not services.done.done_for("435/KH-UBND", "II.1", occurrence, ["Sở Tài chính"])
    # the lead closes it
    assert "Nhắc việc cho lần hạn này đã dừng" in plain(await conv.on_text(officer("/baocao II.1 xong")))


async def test_a_task_without_a_lead_is_reported_without_crashing(services: Services) -> None:
    from knowledge.importer import import_plan_bytes

    plan = "\n".join(
        [
            "Số: 77/KH-UBND",
            "Hải Phòng, ngày 10 tháng 3 năm 2026",
            "## KẾ HOẠCH",
            "Hỗ trợ doanh nghiệp nhỏ giai đoạn 2026 - 2027",
            "## PHỤ LỤC",
            "| STT | Nội dung | Cơ quan chủ trì | Thời gian thực hiện |",
            "|---|---|---|---|",
            "| 1 | Khảo sát nhu cầu hỗ trợ doanh nghiệp nhỏ | | Quý IV năm 2026 |",
        ]
    )
    import_plan_bytes(
        plan.encode(),
        name="dn.md",
        registry=services.runtime.registry,
        repository=services.runtime.repository,
        allow_missing_lead=True,  # refused by default; an admin may still import it
    )
    await services.reload_if_changed()
    conv = Conversation(services, admin_user_ids=frozenset({"1001"}))
    await conv.on_text(admin("/them 8008 Sở Tài chính"))
    refused = plain(await conv.on_text(officer("/baocao 77/KH-UBND 1 xong", chat="8008")))
    assert "chưa có cơ quan chủ trì" in refused
    await conv.on_text(admin("/them 8009 Sở Công Thương điều phối"))
    noted = plain(await conv.on_text(officer("/baocao 77/KH-UBND 1 đang khảo sát", chat="8009")))
    assert "Đã ghi nhận" in noted and "ý kiến của Sở Công Thương" in noted


async def test_a_bare_number_never_approves_a_request_that_arrived_meanwhile(services: Services) -> None:
    conv = Conversation(services, admin_user_ids=frozenset({"1001"}))
    # a group chat registered as admin: registration notices (names, chat ids) never go there
    await conv.on_text(admin("/them -100200 Sở Tài chính quản trị"))
    asked = await conv.on_text(admin("sở tài có nhiệm vụ gì"))  # choices 1, 2 …
    assert "Sở Tài chính" in actions(asked)
    request = await conv.on_text(officer("/dangky Sở Xây dựng", chat="4005"))
    assert not any(o.chat_id == "-100200" for o in request)
    notice = next(o for o in request if o.chat_id == "1001").reply.plain()
    request_id = notice.split("Yêu cầu đăng ký mới số ")[1].split(":")[0]
    chosen = plain(await conv.on_text(admin("1")))  # the admin means the first choice shown
    assert "II.1" in chosen  # Sở Tài chính's tasks
    assert [r.id for r in services.contacts.pending_requests()] == [int(request_id)]  # nobody was approved
    decided = await conv.on_text(admin(f"/duyet {request_id}"))
    assert any(o.chat_id == "4005" and "đã được duyệt" in o.reply.plain() for o in decided)
    assert services.contacts.pending_requests() == []
    assert "Cú pháp: /tuchoi" in plain(await conv.on_text(admin("/tuchoi abc")))


async def test_registration_requests_are_rate_limited_per_user(services: Services) -> None:
    conv = Conversation(services, admin_user_ids=frozenset({"1001"}))
    notices = 0
    for _ in range(20):
        out = await conv.on_text(officer("/dangky Sở Xây dựng", chat="4006"))
        notices += sum(1 for o in out if o.chat_id == "1001")
    assert notices == 3
    assert "nhiều lần trong một giờ" in plain(await conv.on_text(officer("/dangky Sở Xây dựng", chat="4006")))
    assert any(not e.allowed and e.action == "request.create" for e in services.contacts.audit_log())
    # another user is not held back
    assert "Đã gửi yêu cầu" in plain(await conv.on_text(officer("/dangky Sở Xây dựng", chat="4007")))
