"""Contacts, invites, registration requests and the audit log on real SQLite and PostgreSQL databases."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from knowledge.contacts import Channel, Contact, ContactRole, InviteError, RegistrationError
from knowledge.errors import InvalidInputError, NotFoundError
from knowledge.storage.contacts import ContactRepository
from knowledge.storage.database import Database

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=HCM)
STC = "Sở Tài chính"
SKHDT = "Sở Kế hoạch và Đầu tư"


@pytest.fixture
def repo(db: Database) -> ContactRepository:
    return ContactRepository(db)


def _add(
    repo: ContactRepository,
    chat_id: str | int,
    agency: str | None = STC,
    *,
    channel: Channel = "telegram",
    role: ContactRole = "officer",
    user_id: str | int | None = None,
    display_name: str = "",
    registered_by: str = "cli:admin",
    now: datetime = NOW,
) -> Contact:
    return repo.upsert_contact(
        channel=channel,
        chat_id=chat_id,
        agency=agency,
        role=role,
        user_id=user_id,
        display_name=display_name,
        registered_by=registered_by,
        now=now,
    )


# -- contacts -------------------------------------------------------------------------------------------------------


def test_upsert_and_get(repo: ContactRepository) -> None:
    contact = _add(repo, 1001, user_id=77, display_name="Chị Lan")
    assert contact.chat_id == "1001"
    assert contact.user_id == "77"
    assert contact.channel == "telegram"
    assert contact.agency == STC
    assert contact.role == "officer"
    assert contact.active
    assert contact.registered_by == "cli:admin"
    assert contact.created_at == NOW == contact.updated_at
    assert contact.created_at.tzinfo is not None
    assert repo.get("telegram", 1001) == contact
    assert repo.get("telegram", "1001") == contact
    assert repo.get("zalo", "1001") is None
    assert repo.find_by_user("telegram", 77) == contact
    assert repo.find_by_user("telegram", "78") is None


def test_upsert_updates_in_place_and_keeps_the_name(repo: ContactRepository) -> None:
    first = _add(repo, "1001", display_name="Chị Lan")
    later = NOW + timedelta(hours=1)
    second = _add(repo, "1001", agency=SKHDT, role="coordinator", now=later, registered_by="telegram:9")
    assert second.id == first.id
    assert second.agency == SKHDT
    assert second.role == "coordinator"
    assert second.display_name == "Chị Lan"
    assert second.registered_by == "telegram:9"
    assert second.created_at == NOW
    assert second.updated_at == later
    assert len(repo.list_contacts(active_only=False)) == 1


def test_same_chat_id_on_two_channels_is_two_contacts(repo: ContactRepository) -> None:
    _add(repo, "55", channel="telegram")
    _add(repo, "55", channel="zalo", agency=SKHDT)
    assert [c.channel for c in repo.list_contacts()] == ["telegram", "zalo"]
    assert [c.chat_id for c in repo.list_contacts(channel="zalo")] == ["55"]
    assert [c.agency for c in repo.list_contacts(agency=SKHDT)] == [SKHDT]


def test_deactivate_keeps_the_row_and_upsert_reactivates(repo: ContactRepository) -> None:
    _add(repo, "1", display_name="A")
    _add(repo, "2", display_name="B")
    assert repo.deactivate("telegram", "1", by="cli:admin", now=NOW) is True
    assert repo.deactivate("telegram", "1", by="cli:admin", now=NOW) is False
    assert repo.deactivate("telegram", "404", by="cli:admin", now=NOW) is False
    removed = repo.get("telegram", "1")
    assert removed is not None and not removed.active
    assert [c.chat_id for c in repo.list_contacts()] == ["2"]
    assert [c.chat_id for c in repo.list_contacts(active_only=False)] == ["1", "2"]
    assert [c.chat_id for c in repo.active_contacts_of([STC])] == ["2"]
    back = _add(repo, "1")
    assert back.active and back.display_name == "A" and back.id == removed.id
    assert [c.chat_id for c in repo.list_contacts()] == ["1", "2"]


def test_set_role(repo: ContactRepository) -> None:
    _add(repo, "1")
    changed = repo.set_role("telegram", "1", "admin", by="cli:root", now=NOW + timedelta(minutes=5))
    assert changed.role == "admin"
    assert changed.is_admin
    assert changed.updated_at == NOW + timedelta(minutes=5)
    assert repo.audit_log(1)[0].detail.endswith("(was officer)")
    with pytest.raises(NotFoundError) as caught:
        repo.set_role("telegram", "2", "admin", by="cli:root", now=NOW)
    assert "Không tìm thấy" in caught.value.user_message


def test_active_contacts_of_several_agencies(repo: ContactRepository) -> None:
    _add(repo, "1", agency=STC)
    _add(repo, "2", agency=SKHDT, role="coordinator")
    _add(repo, "3", agency="Sở Xây dựng")
    _add(repo, "4", agency=None)
    assert [c.chat_id for c in repo.active_contacts_of([SKHDT, STC])] == ["1", "2"]
    assert [c.chat_id for c in repo.active_contacts_of(iter([SKHDT]))] == ["2"]
    assert repo.active_contacts_of([]) == []


def test_naive_times_are_refused(repo: ContactRepository) -> None:
    with pytest.raises(ValueError):
        _add(repo, "1", now=datetime(2026, 1, 1))
    assert repo.list_contacts(active_only=False) == []


def test_every_admin_change_is_audited(repo: ContactRepository) -> None:
    _add(repo, "1", registered_by="cli:lan")
    _add(repo, "1", role="coordinator", registered_by="cli:lan")
    repo.set_role("telegram", "1", "admin", by="telegram:9", now=NOW)
    repo.deactivate("telegram", "1", by="telegram:9", now=NOW)
    repo.create_invite(agency=STC, role="officer", created_by="cli:minh", now=NOW)
    repo.audit(actor="telegram:13", action="command.denied", detail="/moi by a non-admin", allowed=False, now=NOW)
    log = repo.audit_log()
    assert [(e.actor, e.action, e.allowed) for e in reversed(log)] == [
        ("cli:lan", "contact.add", True),
        ("cli:lan", "contact.update", True),
        ("telegram:9", "contact.role", True),
        ("telegram:9", "contact.remove", True),
        ("cli:minh", "invite.create", True),
        ("telegram:13", "command.denied", False),
    ]
    assert all(e.at == NOW for e in log)
    assert "telegram:1" in log[-1].detail and STC in log[-1].detail
    assert [e.action for e in repo.audit_log(limit=2)] == ["command.denied", "invite.create"]


def test_a_failed_change_writes_no_audit_entry(repo: ContactRepository) -> None:
    with pytest.raises(NotFoundError):
        repo.set_role("telegram", "404", "admin", by="cli:root", now=NOW)
    assert repo.audit_log() == []


# -- invites --------------------------------------------------------------------------------------------------------


def test_invite_redeemed_once(repo: ContactRepository) -> None:
    invite = repo.create_invite(agency=STC, role="coordinator", created_by="cli:minh", now=NOW)
    assert invite.expires_at == NOW + timedelta(days=7)
    assert invite.used_at is None
    later = NOW + timedelta(days=1)
    contact = repo.redeem_invite(
        invite.token, channel="telegram", chat_id=2024, user_id=31, display_name="Anh Minh", now=later
    )
    assert (contact.chat_id, contact.agency, contact.role, contact.user_id) == ("2024", STC, "coordinator", "31")
    assert contact.registered_by == "invite:cli:minh"
    stored = repo.get_invite(invite.token)
    assert stored is not None and stored.used_at == later and stored.used_by_chat == "2024"

    with pytest.raises(InviteError) as caught:
        repo.redeem_invite(invite.token, channel="telegram", chat_id=3000, now=later)
    assert caught.value.reason == "used"
    assert caught.value.user_message == "Mã mời này đã được sử dụng."
    assert repo.get("telegram", 3000) is None
    refused = repo.audit_log(1)[0]
    assert (refused.actor, refused.action, refused.allowed) == ("telegram:3000", "invite.redeem", False)
    assert invite.token not in refused.detail


def test_expired_invite(repo: ContactRepository) -> None:
    invite = repo.create_invite(agency=STC, role="officer", created_by="cli", now=NOW, ttl=timedelta(hours=2))
    for moment in (NOW + timedelta(hours=2), NOW + timedelta(days=30)):
        with pytest.raises(InviteError) as caught:
            repo.redeem_invite(invite.token, channel="zalo", chat_id="z1", now=moment)
        assert caught.value.reason == "expired"
        assert caught.value.user_message == "Mã mời đã hết hạn. Vui lòng xin quản trị viên mã mới."
    assert repo.get("zalo", "z1") is None
    contact = repo.redeem_invite(invite.token, channel="zalo", chat_id="z1", now=NOW + timedelta(minutes=119))
    assert contact.channel == "zalo" and contact.role == "officer"


def test_expiry_compares_instants_across_time_zones(repo: ContactRepository) -> None:
    invite = repo.create_invite(agency=STC, role="officer", created_by="cli", now=NOW, ttl=timedelta(hours=1))
    in_utc = (NOW + timedelta(minutes=30)).astimezone(UTC)  # earlier wall-clock hour, same instant ordering
    assert repo.redeem_invite(invite.token, channel="telegram", chat_id="1", now=in_utc).agency == STC


def test_unknown_invite(repo: ContactRepository) -> None:
    with pytest.raises(InviteError) as caught:
        repo.redeem_invite("no-such-token", channel="telegram", chat_id="1", now=NOW)
    assert caught.value.reason == "unknown"
    assert caught.value.user_message == "Mã mời không hợp lệ."
    assert repo.list_contacts(active_only=False) == []


def test_redeeming_an_invite_updates_an_existing_contact(repo: ContactRepository) -> None:
    _add(repo, "1", agency=SKHDT, display_name="Chị Lan")
    repo.deactivate("telegram", "1", by="cli", now=NOW)
    invite = repo.create_invite(agency=STC, role="officer", created_by="cli", now=NOW)
    contact = repo.redeem_invite(invite.token, channel="telegram", chat_id="1", now=NOW)
    assert contact.active and contact.agency == STC and contact.display_name == "Chị Lan"


def _redeem_concurrently(repo: ContactRepository, token: str, chats: list[str]) -> dict[str, object]:
    """Redeem ``token`` from each chat in its own thread, all released at once; each chat's outcome."""
    barrier = threading.Barrier(len(chats))
    results: dict[str, object] = {}

    def redeem(chat: str) -> None:
        barrier.wait()
        try:
            results[chat] = repo.redeem_invite(token, channel="telegram", chat_id=chat, now=NOW)
        except Exception as exc:  # any failure is reported by the caller's assertions
            results[chat] = exc

    threads = [threading.Thread(target=redeem, args=(chat,)) for chat in chats]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_concurrent_redemptions_of_one_invite_exactly_one_wins(repo: ContactRepository) -> None:
    for round_ in range(5):
        invite = repo.create_invite(agency=STC, role="officer", created_by="cli", now=NOW)
        chats = [f"r{round_}-a", f"r{round_}-b"]
        results = _redeem_concurrently(repo, invite.token, chats)
        winners = [chat for chat in chats if isinstance(results[chat], Contact)]
        losers = [results[chat] for chat in chats if not isinstance(results[chat], Contact)]
        assert len(winners) == 1, results
        assert len(losers) == 1 and isinstance(losers[0], InviteError) and losers[0].reason == "used", results
        stored = repo.get_invite(invite.token)
        assert stored is not None and stored.used_by_chat == winners[0]
        loser_chat = next(chat for chat in chats if chat != winners[0])
        assert repo.get("telegram", winners[0]) is not None
        assert repo.get("telegram", loser_chat) is None


def test_many_concurrent_redemptions_one_winner(repo: ContactRepository) -> None:
    invite = repo.create_invite(agency=STC, role="officer", created_by="cli", now=NOW)
    chats = [f"c{i}" for i in range(6)]
    results = _redeem_concurrently(repo, invite.token, chats)
    assert sum(isinstance(r, Contact) for r in results.values()) == 1, results
    assert all(isinstance(r, Contact | InviteError) for r in results.values()), results
    assert len(repo.list_contacts()) == 1


# -- registration requests ------------------------------------------------------------------------------------------


def test_approve_request_registers_an_officer(repo: ContactRepository) -> None:
    request = repo.create_request(
        channel="telegram", chat_id=500, agency=STC, user_id=600, display_name="Chị Hoa", now=NOW
    )
    assert request.status == "pending" and request.chat_id == "500" and request.user_id == "600"
    assert repo.pending_requests() == [request]
    assert repo.get("telegram", 500) is None

    decided = repo.decide_request(request.id, approve=True, by="telegram:1", now=NOW + timedelta(hours=1))
    assert decided.status == "approved"
    assert decided.decided_by == "telegram:1"
    assert decided.decided_at == NOW + timedelta(hours=1)
    assert repo.pending_requests() == []
    contact = repo.get("telegram", 500)
    assert contact is not None
    assert (contact.agency, contact.role, contact.display_name, contact.user_id) == (STC, "officer", "Chị Hoa", "600")
    assert contact.registered_by == "telegram:1"
    assert [(e.actor, e.action) for e in repo.audit_log(2)] == [
        ("telegram:1", "request.approve"),
        ("telegram:500", "request.create"),
    ]

    with pytest.raises(RegistrationError) as caught:
        repo.decide_request(request.id, approve=False, by="telegram:2", now=NOW)
    assert caught.value.user_message == "Yêu cầu đăng ký này đã được xử lý."
    again = repo.get_request(request.id)
    assert again is not None and again.status == "approved" and again.decided_by == "telegram:1"


def test_deny_request_registers_nobody(repo: ContactRepository) -> None:
    request = repo.create_request(channel="zalo", chat_id="z9", agency=None, now=NOW)
    decided = repo.decide_request(request.id, approve=False, by="cli:admin", now=NOW)
    assert decided.status == "denied"
    assert repo.get("zalo", "z9") is None
    with pytest.raises(RegistrationError):
        repo.decide_request(request.id, approve=True, by="cli:admin", now=NOW)
    assert repo.get("zalo", "z9") is None


def test_approve_with_a_corrected_agency(repo: ContactRepository) -> None:
    request = repo.create_request(channel="telegram", chat_id="7", agency=None, now=NOW)
    decided = repo.decide_request(request.id, approve=True, by="cli:admin", now=NOW, agency=SKHDT)
    assert decided.agency == SKHDT
    contact = repo.get("telegram", "7")
    assert contact is not None and contact.agency == SKHDT


def test_a_chat_has_one_pending_request(repo: ContactRepository) -> None:
    first = repo.create_request(channel="telegram", chat_id="7", agency=STC, now=NOW)
    second = repo.create_request(
        channel="telegram", chat_id="7", agency=SKHDT, now=NOW + timedelta(minutes=1), display_name="B"
    )
    assert second.id == first.id and second.agency == SKHDT and second.display_name == "B"
    assert len(repo.pending_requests()) == 1
    repo.decide_request(first.id, approve=False, by="cli", now=NOW)
    third = repo.create_request(channel="telegram", chat_id="7", agency=STC, now=NOW)
    assert third.id != first.id
    assert [r.id for r in repo.pending_requests()] == [third.id]


def test_deciding_an_unknown_request(repo: ContactRepository) -> None:
    with pytest.raises(NotFoundError):
        repo.decide_request(999, approve=True, by="cli", now=NOW)
    assert repo.audit_log() == []


def test_a_nul_byte_or_an_overlong_chat_id_is_refused_before_the_database(db: Database) -> None:
    repository = ContactRepository(db)
    now = datetime(2026, 11, 25, tzinfo=UTC)
    for chat in ("12\x0034", "9" * 65, "   "):
        with pytest.raises(InvalidInputError) as caught:
            repository.upsert_contact(
                channel="telegram", chat_id=chat, agency="Sở Tài chính", registered_by="t", now=now
            )
        assert "không hợp lệ" in caught.value.user_message  # not "Cơ sở dữ liệu đang gặp sự cố"
        assert repository.get("telegram", "9" * 3) is None
