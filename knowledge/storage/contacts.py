"""Contacts, invites, registration requests and the audit log in the database.

Nothing is ever deleted: removing a contact marks it inactive, used invites and decided requests stay, and every
admin action is written to ``audit_log`` in the same transaction as the change it records.

Every time is passed in (``now``) and must be timezone-aware; times are stored in UTC and returned as aware UTC
datetimes on every database (SQLite keeps them as naive UTC text, PostgreSQL as ``timestamptz``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    CursorResult,
    and_,
    case,
    func,
    select,
    update,
)
from sqlalchemy.orm import Session

from knowledge.contacts import (
    CHANNELS,
    INVITE_TTL,
    MAX_CHAT_ID,
    ROLES,
    AuditEntry,
    Channel,
    Contact,
    ContactRole,
    Invite,
    InviteError,
    InviteFailure,
    RegistrationError,
    RegistrationRequest,
    RequestStatus,
    new_invite_token,
)
from knowledge.errors import InvalidInputError, NotFoundError
from knowledge.storage.audit_rows import AuditRow
from knowledge.storage.columns import aware as _aware
from knowledge.storage.columns import checked, stored
from knowledge.storage.columns import utc as _utc
from knowledge.storage.contact_rows import ContactRow, InviteRow, RegistrationRequestRow
from knowledge.storage.database import Database
from knowledge.text import nfc

__all__ = ["ContactRepository"]

log = logging.getLogger(__name__)

_STATUSES: tuple[RequestStatus, ...] = ("pending", "approved", "denied")


# -- repository ---------------------------------------------------------------------------------------------------


class ContactRepository:
    """Contacts, invites, registration requests and the audit log. No other module issues SQL for them."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- contacts -------------------------------------------------------------------------------------------------

    def upsert_contact(
        self,
        *,
        channel: Channel,
        chat_id: str | int,
        agency: str | None,
        role: ContactRole = "officer",
        user_id: str | int | None = None,
        display_name: str = "",
        registered_by: str,
        now: datetime,
    ) -> Contact:
        """Register a chat, or update (and re-activate) it: agency and role are replaced, a non-empty name too."""
        at = _utc(now)
        with self.db.session() as session:
            row, created = self._upsert(
                session,
                channel=channel,
                chat_id=_chat(chat_id),
                agency=agency,
                role=role,
                user_id=user_id,
                display_name=display_name,
                registered_by=registered_by,
                at=at,
            )
            _audit(
                session,
                actor=registered_by,
                action="contact.add" if created else "contact.update",
                detail=_describe(row),
                at=at,
            )
            contact = _contact(row)
        log.info("%s %s:%s as %s of %s", "added" if created else "updated", channel, row.chat_id, role, agency)
        return contact

    def get(self, channel: Channel, chat_id: str | int) -> Contact | None:
        """The contact of a chat, active or not; None when the chat is unknown."""
        with self.db.session() as session:
            row = _find(session, channel, _chat(chat_id))
            return None if row is None else _contact(row)

    def find_by_user(self, channel: Channel, user_id: str | int) -> Contact | None:
        """The contact a user registered with (the most recently updated, preferring active ones)."""
        with self.db.session() as session:
            row = session.scalars(
                select(ContactRow)
                .where(ContactRow.channel == channel, ContactRow.user_id == str(user_id))
                .order_by(ContactRow.active.desc(), ContactRow.updated_at.desc(), ContactRow.id.desc())
                .limit(1)
            ).first()
            return None if row is None else _contact(row)

    def fingerprint(self) -> str:
        """Changes whenever a contact is added, changed or removed (cheap; lets other processes notice at once): the
        count, the latest change, and how many are active and active admins (a change stamped with the same time as
        the previous one still shows)."""
        active = func.sum(case((ContactRow.active.is_(True), 1), else_=0))
        admins = func.sum(case((and_(ContactRow.active.is_(True), ContactRow.role == "admin"), 1), else_=0))
        with self.db.session() as session:
            row = session.execute(
                select(func.count(ContactRow.id), func.max(ContactRow.updated_at), active, admins)
            ).one()
            return "|".join(str(v) for v in row)

    def list_contacts(
        self, *, agency: str | None = None, active_only: bool = True, channel: Channel | None = None
    ) -> list[Contact]:
        """Contacts in registration order, optionally of one agency and/or channel; inactive ones on request."""
        query = select(ContactRow).order_by(ContactRow.id)
        if agency is not None:
            query = query.where(ContactRow.agency == agency)
        if active_only:
            query = query.where(ContactRow.active.is_(True))
        if channel is not None:
            query = query.where(ContactRow.channel == channel)
        with self.db.session() as session:
            return [_contact(row) for row in session.scalars(query)]

    def active_contacts_of(self, agency_names: Iterable[str]) -> list[Contact]:
        """Active contacts of any of the agencies named, in registration order."""
        names = sorted(set(agency_names))
        if not names:
            return []
        query = (
            select(ContactRow).where(ContactRow.agency.in_(names), ContactRow.active.is_(True)).order_by(ContactRow.id)
        )
        with self.db.session() as session:
            return [_contact(row) for row in session.scalars(query)]

    def deactivate(self, channel: Channel, chat_id: str | int, *, by: str, now: datetime) -> bool:
        """Mark a contact inactive (never deletes). False when the chat is unknown or already inactive."""
        at = _utc(now)
        chat = _chat(chat_id)
        with self.db.session() as session:
            row = _find(session, channel, chat)
            if row is None:
                _audit(session, actor=by, action="contact.remove", detail=f"{channel}:{chat} not found", at=at)
                changed = False
            elif not row.active:
                _audit(session, actor=by, action="contact.remove", detail=f"{_describe(row)} already inactive", at=at)
                changed = False
            else:
                row.active = False
                row.updated_at = at
                _audit(session, actor=by, action="contact.remove", detail=_describe(row), at=at)
                changed = True
        if changed:
            log.info("deactivated %s:%s", channel, chat)
        return changed

    def set_role(self, channel: Channel, chat_id: str | int, role: ContactRole, *, by: str, now: datetime) -> Contact:
        """Change a contact's role; :class:`NotFoundError` when the chat is unknown."""
        at = _utc(now)
        chat = _chat(chat_id)
        _check_role(role)
        with self.db.session() as session:
            row = _find(session, channel, chat)
            if row is None:
                raise NotFoundError(
                    f"no contact {channel}:{chat}", user_message=f"Không tìm thấy liên hệ {chat} ({channel})."
                )
            previous = row.role
            row.role = role
            row.updated_at = at
            _audit(session, actor=by, action="contact.role", detail=f"{_describe(row)} (was {previous})", at=at)
            contact = _contact(row)
        log.info("role of %s:%s set to %s", channel, chat, role)
        return contact

    # -- invites --------------------------------------------------------------------------------------------------

    def create_invite(
        self, *, agency: str, role: ContactRole = "officer", created_by: str, now: datetime, ttl: timedelta = INVITE_TTL
    ) -> Invite:
        """A fresh single-use invite for ``agency`` with ``role``, valid for ``ttl`` from ``now``."""
        at = _utc(now)
        _check_role(role)
        if ttl <= timedelta(0):
            raise ValueError(f"invite lifetime must be positive, got {ttl}")
        row = InviteRow(
            token=new_invite_token(),
            agency=agency,
            role=role,
            created_by=created_by,
            created_at=at,
            expires_at=at + ttl,
        )
        with self.db.session() as session:
            session.add(row)
            session.flush()
            _audit(
                session,
                actor=created_by,
                action="invite.create",
                detail=f"invite {_token_hint(row.token)} for {role} of {agency}, expires {row.expires_at.isoformat()}",
                at=at,
            )
            invite = _invite(row)
        log.info("invite %s created for %s of %s", _token_hint(invite.token), role, agency)
        return invite

    def get_invite(self, token: str) -> Invite | None:
        """The invite with ``token``, used or not; None when unknown."""
        with self.db.session() as session:
            row = session.scalar(select(InviteRow).where(InviteRow.token == token))
            return None if row is None else _invite(row)

    def redeem_invite(
        self,
        token: str,
        *,
        channel: Channel,
        chat_id: str | int,
        user_id: str | int | None = None,
        display_name: str = "",
        now: datetime,
    ) -> Contact:
        """Use an invite once: registers the chat with the invite's agency and role.

        The invite is claimed with one conditional UPDATE, so of two concurrent redemptions exactly one succeeds.
        Raises :class:`InviteError` (unknown, used or expired); the failed attempt is still audited.
        """
        at = _utc(now)
        chat = _chat(chat_id)
        actor = f"{channel}:{chat}"
        failure: InviteFailure | None = None
        contact: Contact | None = None
        with self.db.session() as session:
            claimed = cast(
                "CursorResult[Any]",
                session.execute(
                    update(InviteRow)
                    .where(InviteRow.token == token, InviteRow.used_at.is_(None), InviteRow.expires_at > at)
                    .values(used_at=at, used_by_chat=chat)
                    .execution_options(synchronize_session=False)
                ),
            )
            invite = session.scalar(select(InviteRow).where(InviteRow.token == token))
            if claimed.rowcount != 1 or invite is None:
                if invite is None:
                    failure = "unknown"
                elif invite.used_at is not None:
                    failure = "used"
                else:
                    failure = "expired"
                _audit(
                    session,
                    actor=actor,
                    action="invite.redeem",
                    detail=f"invite {_token_hint(token)} refused: {failure}",
                    allowed=False,
                    at=at,
                )
            else:
                row, _created = self._upsert(
                    session,
                    channel=channel,
                    chat_id=chat,
                    agency=invite.agency,
                    role=_role(invite.role),
                    user_id=user_id,
                    display_name=display_name,
                    registered_by=f"invite:{invite.created_by}",
                    at=at,
                )
                _audit(
                    session,
                    actor=actor,
                    action="invite.redeem",
                    detail=f"invite {_token_hint(token)} from {invite.created_by}: {_describe(row)}",
                    at=at,
                )
                contact = _contact(row)
        if failure is not None or contact is None:
            log.info("invite %s refused for %s: %s", _token_hint(token), actor, failure)
            raise InviteError(failure or "unknown", f"invite {_token_hint(token)} refused for {actor}: {failure}")
        log.info("invite %s redeemed by %s", _token_hint(token), actor)
        return contact

    # -- registration requests ------------------------------------------------------------------------------------

    def create_request(
        self,
        *,
        channel: Channel,
        chat_id: str | int,
        agency: str | None,
        user_id: str | int | None = None,
        display_name: str = "",
        now: datetime,
    ) -> RegistrationRequest:
        """Record a chat's request to be registered; a chat's pending request is updated, not duplicated."""
        at = _utc(now)
        chat = _chat(chat_id)
        with self.db.session() as session:
            row = session.scalars(
                select(RegistrationRequestRow)
                .where(
                    RegistrationRequestRow.channel == channel,
                    RegistrationRequestRow.chat_id == chat,
                    RegistrationRequestRow.status == "pending",
                )
                .order_by(RegistrationRequestRow.id)
                .limit(1)
            ).first()
            if row is None:
                row = RegistrationRequestRow(channel=channel, chat_id=chat, status="pending", created_at=at)
                session.add(row)
            row.agency = agency
            row.user_id = None if user_id is None else str(user_id)
            row.display_name = nfc(display_name)
            session.flush()
            _audit(
                session,
                actor=f"{channel}:{chat}",
                action="request.create",
                detail=f"request #{row.id} for {agency or '(no agency)'}",
                at=at,
            )
            request = _request(row)
        log.info("registration request #%d from %s:%s for %s", request.id, channel, chat, agency)
        return request

    def pending_requests(self) -> list[RegistrationRequest]:
        """Undecided requests, oldest first."""
        with self.db.session() as session:
            rows = session.scalars(
                select(RegistrationRequestRow)
                .where(RegistrationRequestRow.status == "pending")
                .order_by(RegistrationRequestRow.created_at, RegistrationRequestRow.id)
            )
            return [_request(row) for row in rows]

    def get_request(self, request_id: int) -> RegistrationRequest | None:
        """A request by id, decided or not."""
        with self.db.session() as session:
            row = session.get(RegistrationRequestRow, request_id)
            return None if row is None else _request(row)

    def decide_request(
        self, request_id: int, *, approve: bool, by: str, now: datetime, agency: str | None = None
    ) -> RegistrationRequest:
        """Approve (registering the chat as an officer) or deny a pending request.

        ``agency`` overrides the agency the requester named. Raises :class:`NotFoundError` for an unknown id and
        :class:`RegistrationError` when the request was decided already (also when two admins decide at once).
        """
        at = _utc(now)
        status: RequestStatus = "approved" if approve else "denied"
        with self.db.session() as session:
            claimed = cast(
                "CursorResult[Any]",
                session.execute(
                    update(RegistrationRequestRow)
                    .where(RegistrationRequestRow.id == request_id, RegistrationRequestRow.status == "pending")
                    .values(status=status, decided_by=by, decided_at=at)
                    .execution_options(synchronize_session=False)
                ),
            )
            row = session.get(RegistrationRequestRow, request_id, populate_existing=True)
            if row is None:
                raise NotFoundError(
                    f"no registration request #{request_id}",
                    user_message=f"Không tìm thấy yêu cầu đăng ký số {request_id}.",
                )
            if claimed.rowcount != 1:
                raise RegistrationError(f"registration request #{request_id} was {row.status} already")
            if agency is not None:
                row.agency = agency
            detail = f"request #{row.id} from {row.channel}:{row.chat_id} for {row.agency or '(no agency)'}"
            if approve:
                contact, _created = self._upsert(
                    session,
                    channel=_channel(row.channel),
                    chat_id=row.chat_id,
                    agency=row.agency,
                    role="officer",
                    user_id=row.user_id,
                    display_name=row.display_name,
                    registered_by=by,
                    at=at,
                )
                detail = f"{detail}: {_describe(contact)}"
            _audit(session, actor=by, action=f"request.{'approve' if approve else 'deny'}", detail=detail, at=at)
            request = _request(row)
        log.info("registration request #%d %s by %s", request_id, status, by)
        return request

    # -- audit log ------------------------------------------------------------------------------------------------

    def audit(self, *, actor: str, action: str, detail: str, allowed: bool = True, now: datetime) -> None:
        """Append one entry to the audit log (e.g. a refused admin command)."""
        at = _utc(now)
        with self.db.session() as session:
            _audit(session, actor=actor, action=action, detail=detail, allowed=allowed, at=at)

    def audit_log(self, limit: int = 100) -> list[AuditEntry]:
        """The newest ``limit`` audit entries, newest first."""
        with self.db.session() as session:
            rows = session.scalars(select(AuditRow).order_by(AuditRow.id.desc()).limit(max(0, limit)))
            return [_entry(row) for row in rows]

    # -- helpers --------------------------------------------------------------------------------------------------

    @staticmethod
    def _upsert(
        session: Session,
        *,
        channel: Channel,
        chat_id: str,
        agency: str | None,
        role: ContactRole,
        user_id: str | int | None,
        display_name: str,
        registered_by: str,
        at: datetime,
    ) -> tuple[ContactRow, bool]:
        _check_channel(channel)
        _check_role(role)
        name = nfc(display_name)
        row = _find(session, channel, chat_id)
        created = row is None
        if row is None:
            row = ContactRow(channel=channel, chat_id=chat_id, display_name=name, created_at=at)
            session.add(row)
        elif name:
            row.display_name = name
        if user_id is not None:
            row.user_id = str(user_id)
        row.agency = agency
        row.role = role
        row.active = True
        row.registered_by = registered_by
        row.updated_at = at
        session.flush()
        return row, created


def _find(session: Session, channel: str, chat_id: str) -> ContactRow | None:
    return session.scalar(select(ContactRow).where(ContactRow.channel == channel, ContactRow.chat_id == chat_id))


def _audit(session: Session, *, actor: str, action: str, detail: str, at: datetime, allowed: bool = True) -> None:
    session.add(AuditRow(at=at, actor=actor, action=action, detail=detail, allowed=allowed))


def _chat(chat_id: str | int) -> str:
    """A chat id fit for the database: non-empty, at most MAX_CHAT_ID characters, no control characters (a NUL byte
    or a 65-character id must be refused here, in Vietnamese, not by PostgreSQL as a database failure)."""
    chat = str(chat_id).strip()
    if not chat or len(chat) > MAX_CHAT_ID or any(ord(c) < 32 or c == "\x7f" for c in chat):
        shown = chat[:20].encode("unicode_escape").decode("ascii")
        raise InvalidInputError(
            f"invalid chat id {shown!r}",
            user_message=(
                f"Mã chat “{shown}” không hợp lệ (rỗng, dài quá {MAX_CHAT_ID} ký tự hoặc có ký tự điều khiển)."
            ),
        )
    return chat


def _token_hint(token: str) -> str:
    """Enough of a token to tell invites apart in logs, not enough to redeem one."""
    return f"{token[:6]}…"


def _describe(row: ContactRow) -> str:
    name = f" “{row.display_name}”" if row.display_name else ""
    return f"{row.channel}:{row.chat_id}{name} {row.role} of {row.agency or '(no agency)'}"


def _contact(row: ContactRow) -> Contact:
    return Contact(
        id=row.id,
        channel=_channel(row.channel),
        chat_id=row.chat_id,
        user_id=row.user_id,
        display_name=row.display_name,
        agency=row.agency,
        role=_role(row.role),
        active=row.active,
        registered_by=row.registered_by,
        created_at=_aware(row.created_at),
        updated_at=_aware(row.updated_at),
    )


def _invite(row: InviteRow) -> Invite:
    return Invite(
        token=row.token,
        agency=row.agency,
        role=_role(row.role),
        created_by=row.created_by,
        created_at=_aware(row.created_at),
        expires_at=_aware(row.expires_at),
        used_at=None if row.used_at is None else _aware(row.used_at),
        used_by_chat=row.used_by_chat,
    )


def _request(row: RegistrationRequestRow) -> RegistrationRequest:
    return RegistrationRequest(
        id=row.id,
        channel=_channel(row.channel),
        chat_id=row.chat_id,
        user_id=row.user_id,
        display_name=row.display_name,
        agency=row.agency,
        status=_status(row.status),
        created_at=_aware(row.created_at),
        decided_by=row.decided_by,
        decided_at=None if row.decided_at is None else _aware(row.decided_at),
    )


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        id=row.id, at=_aware(row.at), actor=row.actor, action=row.action, detail=row.detail, allowed=row.allowed
    )


def _check_channel(channel: str) -> None:
    checked(channel, CHANNELS, "channel")


def _check_role(role: str) -> None:
    checked(role, ROLES, "role")


def _channel(value: str) -> Channel:
    return stored(value, CHANNELS, "channel")


def _role(value: str) -> ContactRole:
    return stored(value, ROLES, "contact role")


def _status(value: str) -> RequestStatus:
    return stored(value, _STATUSES, "request status")
