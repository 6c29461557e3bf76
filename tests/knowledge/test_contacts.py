"""Pure rules of contacts: role names, invite tokens and links."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from knowledge.contacts import (
    INVITE_TTL,
    Channel,
    Invite,
    InviteError,
    RegistrationError,
    check_chat_id,
    invite_link,
    is_valid_invite_token,
    new_invite_token,
    parse_channel,
    parse_role,
    role_label,
)
from knowledge.errors import InvalidInputError, TaskbotError

TELEGRAM_START_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("officer", "officer"),
        ("Officer", "officer"),
        ("cán bộ", "officer"),
        ("can bo", "officer"),
        ("CÁN BỘ", "officer"),
        ("chuyên viên", "officer"),
        ("chuyen vien", "officer"),
        ("coordinator", "coordinator"),
        ("điều phối", "coordinator"),
        ("dieu phoi", "coordinator"),
        ("Đầu mối", "coordinator"),
        ("dau moi", "coordinator"),
        ("cán bộ đầu mối", "coordinator"),
        ("admin", "admin"),
        ("ADMIN", "admin"),
        ("quản trị", "admin"),
        ("quan tri", "admin"),
        ("quản trị viên", "admin"),
        ("  quản   trị  ", "admin"),
        ("qua\u0309n tri\u0323", "admin"),  # NFD input from a chat client
    ],
)
def test_parse_role_accepts_english_and_vietnamese(text: str, role: str) -> None:
    assert parse_role(text) == role


@pytest.mark.parametrize("text", ["", "   ", "boss", "cán", "quản", "officers", "giám đốc", "lead"])
def test_parse_role_rejects_other_words(text: str) -> None:
    assert parse_role(text) is None


def test_role_labels_are_vietnamese_and_parse_back() -> None:
    assert role_label("officer") == "cán bộ"
    assert role_label("coordinator") == "điều phối"
    assert role_label("admin") == "quản trị"
    for role in ("officer", "coordinator", "admin"):
        assert parse_role(role_label(role)) == role  # type: ignore[arg-type]


def test_parse_channel() -> None:
    assert parse_channel("telegram") == "telegram"
    assert parse_channel(" Zalo ") == "zalo"
    assert parse_channel("viber") is None


def test_invite_tokens_are_valid_telegram_start_payloads_and_unique() -> None:
    tokens = [new_invite_token() for _ in range(2000)]
    assert len(set(tokens)) == len(tokens)
    for token in tokens:
        assert TELEGRAM_START_PAYLOAD.fullmatch(token), token
        assert len(token) >= 22  # at least 16 random bytes
        assert is_valid_invite_token(token)


def test_is_valid_invite_token_rejects_other_text() -> None:
    assert not is_valid_invite_token("")
    assert not is_valid_invite_token("abc def")
    assert not is_valid_invite_token("a" * 65)
    assert not is_valid_invite_token("mã-mời")


def test_invite_link() -> None:
    assert invite_link("taskbot_test_bot", "Ab-_9") == "https://t.me/taskbot_test_bot?start=Ab-_9"
    assert invite_link("@taskbot_test_bot", "x") == "https://t.me/taskbot_test_bot?start=x"


def test_invite_usable_until_expiry_and_once() -> None:
    now = datetime(2026, 1, 1, 8, tzinfo=UTC)
    invite = Invite(
        token="t", agency="Sở Tài chính", role="officer", created_by="cli", created_at=now, expires_at=now + INVITE_TTL
    )
    assert INVITE_TTL == timedelta(days=7)
    assert invite.usable(now)
    assert invite.usable(now + INVITE_TTL - timedelta(seconds=1))
    assert not invite.usable(now + INVITE_TTL)
    used = Invite(
        token="t",
        agency="Sở Tài chính",
        role="officer",
        created_by="cli",
        created_at=now,
        expires_at=now + INVITE_TTL,
        used_at=now,
        used_by_chat="42",
    )
    assert not used.usable(now)


def test_invite_error_messages() -> None:
    assert InviteError("unknown").user_message == "Mã mời không hợp lệ."
    assert InviteError("used").user_message == "Mã mời này đã được sử dụng."
    assert InviteError("expired").user_message == "Mã mời đã hết hạn. Vui lòng xin quản trị viên mã mới."
    assert InviteError("used").reason == "used"
    assert isinstance(InviteError("used"), TaskbotError)
    assert isinstance(RegistrationError("twice"), TaskbotError)


@pytest.mark.parametrize(
    ("channel", "chat_id", "ok"),
    [
        ("telegram", "123456789", True),
        ("telegram", "-1001234567890", True),
        ("telegram", "abc", False),
        ("telegram", "12\x0034", False),
        ("telegram", "1" * 21, False),
        ("zalo", "6ede9afa66b88fe6d6a9", True),
        ("zalo", "a" * 65, False),
        ("zalo", "có dấu", False),
        ("zalo", "", False),
    ],
)
def test_chat_ids_have_their_channels_shape(channel: Channel, chat_id: str, ok: bool) -> None:
    if ok:
        assert check_chat_id(channel, f" {chat_id} ") == chat_id
    else:
        with pytest.raises(InvalidInputError) as caught:
            check_chat_id(channel, chat_id)
        assert "không hợp lệ" in caught.value.user_message and "\x00" not in caught.value.user_message
