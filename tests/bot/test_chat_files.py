"""Files in chat. Plans sent to the bot (issue #11): an admin sends a .docx / .pdf / .md through the fake Bot API
(getFile and the file download included), sees the preview, confirms or cancels; strangers, oversize and broken
files are refused and change nothing; /luutru and /khoiphuc archive and restore from chat. Exports (issue #12):
/xuat sends the file as a document (sendDocument), by role."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from pathlib import Path

import matplotlib.image
import openpyxl
import pytest

from bot.settings import Settings
from bot.telegram_bot import TaskbotApplication, build_application
from tests.bot.test_telegram_bot import ADMIN, OCT_2018, STRANGER, TOKEN, make_settings, press, running, send
from tests.fakes.telegram_api import FakeTelegram, SentMessage

PLANS = Path(__file__).parents[1] / "knowledge" / "data" / "plans"
DOCX = PLANS / "kh-2026-lang-nghe-merged.docx"
PDF = PLANS / "kh-2026-htx-topic-table.pdf"
MD = PLANS / "kh-2025-chuyen-doi-so-plain.md"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(token=TOKEN) as server:
        yield server
    assert server.internal_errors == []


@pytest.fixture
def settings(fake: FakeTelegram, tmp_path: Path) -> Settings:
    return make_settings(tmp_path, fake)


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[TaskbotApplication]:
    application = build_application(settings, clock=lambda: OCT_2018)
    async with running(application) as app:
        yield app


async def send_file(fake: FakeTelegram, chat_id: int, path: Path, **kwargs: object) -> list[SentMessage]:
    before = len(fake.sent)
    data = await asyncio.to_thread(path.read_bytes)
    fake.push_document(chat_id, data, path.name, **kwargs)  # type: ignore[arg-type]
    return (await fake.wait_for_sent(before + 1))[before:]


def plan_numbers(app: TaskbotApplication) -> list[str]:
    return [p.number for p in app.bot_data.services.engine.kb.plans]


@pytest.mark.parametrize("path", [DOCX, PDF, MD], ids=lambda p: p.suffix)
async def test_an_admins_plan_file_is_previewed_then_imported(
    fake: FakeTelegram, bot: TaskbotApplication, path: Path
) -> None:
    [preview] = await send_file(fake, ADMIN, path)
    assert "Xem trước kế hoạch" in preview.text and "Kế hoạch mới" in preview.text and "Chủ trì:" in preview.text
    assert [b["text"] for row in preview.reply_markup["inline_keyboard"] for b in row] == ["Nhập kế hoạch", "Hủy"]
    assert fake.downloads  # fetched through getFile and the file URL, as PTB does against Telegram
    number = preview.plain_text.split("Xem trước kế hoạch ", 1)[1].split(" ", 1)[0]
    assert number not in plan_numbers(bot)  # nothing written yet
    [done] = await press(fake, preview, "Nhập kế hoạch", user_id=ADMIN)
    assert f"Đã thêm kế hoạch {number}" in done.text
    assert number in plan_numbers(bot)  # this process answers from it at once


async def test_cancel_writes_nothing_and_a_second_press_is_stale(fake: FakeTelegram, bot: TaskbotApplication) -> None:
    [preview] = await send_file(fake, ADMIN, MD)
    [cancelled] = await press(fake, preview, "Hủy", user_id=ADMIN)
    assert "Đã hủy" in cancelled.text and plan_numbers(bot) == ["435/KH-UBND"]
    [stale] = await press(fake, preview, "Nhập kế hoạch", user_id=ADMIN)
    assert "hết hạn" in stale.text and plan_numbers(bot) == ["435/KH-UBND"]


async def test_a_strangers_file_is_refused_audited_and_never_downloaded(
    fake: FakeTelegram, bot: TaskbotApplication
) -> None:
    [refused] = await send_file(fake, STRANGER, MD)
    assert "chỉ dành cho quản trị viên" in refused.text
    assert fake.downloads == [] and not any(method == "getFile" for method, _ in fake.calls)
    audit = bot.bot_data.services.contacts.audit_log()
    assert any(e.action.startswith("plan.upload") and not e.allowed for e in audit)


async def test_an_oversize_file_is_refused_before_download(fake: FakeTelegram, bot: TaskbotApplication) -> None:
    [refused] = await send_file(fake, ADMIN, MD, file_size=25 * 1024 * 1024)
    assert "quá giới hạn 20 MB" in refused.text and "taskbot import" in refused.text
    assert fake.downloads == []


async def test_a_broken_file_says_why_and_changes_nothing(fake: FakeTelegram, bot: TaskbotApplication) -> None:
    before = len(fake.sent)
    fake.push_document(ADMIN, b"%PDF-1.4\n1 0 obj << broken", "ke-hoach.pdf")
    [reply] = (await fake.wait_for_sent(before + 1))[before:]
    assert "ke-hoach.pdf" in reply.text and "không thay đổi" in reply.text
    assert plan_numbers(bot) == ["435/KH-UBND"]


async def test_archive_and_restore_from_chat(fake: FakeTelegram, bot: TaskbotApplication) -> None:
    [archived] = await send(fake, ADMIN, "/luutru 435")
    assert "435/KH-UBND" in archived.text
    assert bot.bot_data.services.engine.kb.plans[0].archived
    [restored] = await send(fake, ADMIN, "/khoiphuc 435")
    assert "435/KH-UBND" in restored.text and not bot.bot_data.services.engine.kb.plans[0].archived
    [refused] = await send(fake, STRANGER, "/luutru 435")
    assert "chỉ dành cho quản trị viên" in refused.text


async def test_export_is_sent_as_a_document_by_role(fake: FakeTelegram, bot: TaskbotApplication) -> None:
    [refused] = await send(fake, STRANGER, "/xuat xlsx")
    assert "chỉ dành cho cơ quan đã đăng ký" in refused.text
    before = len(fake.sent)
    fake.push_text(ADMIN, "/xuat xlsx")
    document, text = (await fake.wait_for_sent(before + 2))[before:]
    assert document.method == "sendDocument" and document.document_name is not None
    assert document.document_name.endswith(".xlsx") and document.document_bytes
    book = openpyxl.load_workbook(io.BytesIO(document.document_bytes))
    assert book["Nhiệm vụ"].max_row == 44  # the header and the 43 tasks of the plan in force
    assert "43 nhiệm vụ của mọi cơ quan" in text.text
    [usage] = await send(fake, ADMIN, "/xuat pdf")
    assert "Cú pháp: /xuat" in usage.text


async def test_status_comes_with_a_chart_on_telegram(fake: FakeTelegram, bot: TaskbotApplication) -> None:
    before = len(fake.sent)
    fake.push_text(ADMIN, "/tinhhinh")
    photo, text = (await fake.wait_for_sent(before + 2))[before:]
    assert photo.method == "sendPhoto" and photo.document_bytes is not None
    assert photo.document_bytes.startswith(b"\x89PNG\r\n\x1a\n")
    image = matplotlib.image.imread(io.BytesIO(photo.document_bytes), format="png")
    assert image.shape[0] > 100 and image.shape[1] > 300  # a real picture, rendered off the event loop
    assert "Tình hình thực hiện" in text.text and "Trang 1/2" in text.plain_text
    before = len(fake.sent)
    fake.push_text(ADMIN, "/tinhhinh trang 2")
    [second] = (await fake.wait_for_sent(before + 1))[before:]
    assert second.method == "sendMessage"  # the chart comes with the first page only
