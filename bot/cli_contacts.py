"""``taskbot contacts``: register chats with agencies, list and remove them, and issue invites.

The main CLI mounts :data:`contacts_app` as ``taskbot contacts``. JSON outputs are contracts that acceptance tests
rely on; keep their shapes stable. ``bot.cli`` imports this module, so its helpers are imported inside the commands.
"""

from __future__ import annotations

import getpass
import logging
import re
from datetime import date, datetime, tzinfo
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bot.cli_common import open_runtime, print_json, resolve_agency
from knowledge.agencies import AgencyRegistry
from knowledge.contacts import (
    AuditEntry,
    Channel,
    Contact,
    ContactRole,
    check_chat_id,
    invite_link,
    parse_channel,
    parse_role,
    role_label,
)
from knowledge.errors import InvalidInputError
from knowledge.storage.contacts import ContactRepository

__all__ = ["contacts_app", "contact_json"]

log = logging.getLogger(__name__)

contacts_app = typer.Typer(
    help="Liên hệ: đăng ký các cuộc trò chuyện (Telegram, Zalo) với cơ quan, vai trò và mã mời.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

_BOT_USERNAME = re.compile(r"[A-Za-z0-9_]{5,32}")

JsonOption = Annotated[bool, typer.Option("--json", help="In JSON thay cho bảng.")]
ChatIdOption = Annotated[str, typer.Option("--chat-id", help="Mã cuộc trò chuyện (Telegram: số chat id).")]
ChannelOption = Annotated[str, typer.Option("--channel", help="Kênh: telegram hoặc zalo.")]
RoleOption = Annotated[
    str, typer.Option("--role", help="Vai trò: officer (cán bộ), coordinator (điều phối) hoặc admin (quản trị).")
]


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]Lỗi:[/red] {escape(message)}", highlight=False)
    return typer.Exit(code)


def _actor() -> str:
    """Who runs this command, for ``registered_by`` and the audit log: ``cli:<login>``."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError, ImportError):  # no login name in containers without a passwd entry
        return "cli"
    return f"cli:{user}" if user else "cli"


def _channel(text: str) -> Channel:
    channel = parse_channel(text)
    if channel is None:
        raise _fail(f"Kênh “{text}” không hợp lệ: dùng telegram hoặc zalo.", 2)
    return channel


def _role(text: str) -> ContactRole:
    role = parse_role(text)
    if role is None:
        raise _fail(f"Vai trò “{text}” không hợp lệ: dùng officer (cán bộ), coordinator (điều phối) hoặc admin.", 2)
    return role


def _agency(registry: AgencyRegistry, text: str) -> str:
    return resolve_agency(registry, text).name


def _chat_id(text: str, channel: Channel) -> str:
    try:
        return check_chat_id(channel, text)
    except InvalidInputError as exc:
        raise _fail(exc.user_message, 2) from exc


def contact_json(contact: Contact, tz: tzinfo | None = None) -> dict[str, Any]:
    """The JSON shape of a contact in ``taskbot contacts list --json``; times in ``tz`` (default UTC)."""
    return {
        "chat_id": contact.chat_id,
        "channel": contact.channel,
        "agency": contact.agency,
        "role": contact.role,
        "name": contact.display_name,
        "active": contact.active,
        "user_id": contact.user_id,
        "registered_by": contact.registered_by,
        "created_at": _iso(contact.created_at, tz),
        "updated_at": _iso(contact.updated_at, tz),
    }


def _iso(value: datetime, tz: tzinfo | None) -> str:
    return (value.astimezone(tz) if tz is not None else value).isoformat()


def _who(contact: Contact) -> str:
    name = f"{contact.display_name} " if contact.display_name else ""
    return f"{name}({contact.channel} {contact.chat_id})"


# -- commands -----------------------------------------------------------------------------------------------------


@contacts_app.command("add")
def add_command(
    agency: Annotated[str, typer.Option("--agency", help="Tên cơ quan, tên khác hoặc viết tắt.")],
    chat_id: ChatIdOption,
    channel: ChannelOption = "telegram",
    role: RoleOption = "officer",
    name: Annotated[str, typer.Option("--name", help="Tên hiển thị của người hoặc nhóm.")] = "",
    user_id: Annotated[str | None, typer.Option("--user-id", help="Mã người dùng trên kênh.")] = None,
) -> None:
    """Đăng ký một cuộc trò chuyện với một cơ quan (hoặc cập nhật, kích hoạt lại liên hệ đã ngừng)."""

    chosen_channel = _channel(channel)
    chosen_role = _role(role)
    chat = _chat_id(chat_id, chosen_channel)
    with open_runtime() as runtime:
        canonical = _agency(runtime.registry, agency)
        contact = ContactRepository(runtime.db).upsert_contact(
            channel=chosen_channel,
            chat_id=chat,
            agency=canonical,
            role=chosen_role,
            user_id=user_id,
            display_name=name,
            registered_by=_actor(),
            now=datetime.now(tz=runtime.settings.timezone),
        )
    out.print(
        f"Đã đăng ký {escape(_who(contact))} là {role_label(contact.role)} của [bold]{escape(canonical)}[/bold].",
        highlight=False,
    )


@contacts_app.command("list")
def list_command(
    agency: Annotated[str | None, typer.Option("--agency", help="Chỉ liên hệ của cơ quan này.")] = None,
    as_json: JsonOption = False,
    include_inactive: Annotated[bool, typer.Option("--all", help="Kể cả liên hệ đã ngừng.")] = False,
    stale: Annotated[
        bool,
        typer.Option(
            "--stale",
            help="Chỉ liên hệ thuộc cơ quan đã kết thúc (hợp nhất, đổi tên, giải thể), kèm cơ quan cần chuyển sang.",
        ),
    ] = False,
) -> None:
    """Danh sách liên hệ đã đăng ký."""

    with open_runtime() as runtime:
        registry = runtime.registry
        canonical = _agency(registry, agency) if agency is not None else None
        contacts = ContactRepository(runtime.db).list_contacts(agency=canonical, active_only=not include_inactive)
        tz = runtime.settings.timezone
    today = datetime.now(tz=tz).date()
    move_to = {c.agency: stale_agency_heirs(registry, c.agency, today) for c in contacts if c.agency}
    if stale:
        contacts = [c for c in contacts if c.agency and move_to[c.agency] is not None]
    if as_json:
        rows = [contact_json(c, tz) for c in contacts]
        if stale:
            for item, contact in zip(rows, contacts, strict=True):
                item["move_to"] = move_to.get(contact.agency or "") or []
        print_json(rows)
        return
    columns = ["Kênh", "Chat ID", "Tên", "Cơ quan", "Vai trò", "Trạng thái"]
    title = f"{len(contacts)} liên hệ"
    if stale:
        columns.append("Chuyển sang")
        title = f"{len(contacts)} liên hệ thuộc cơ quan đã kết thúc"
    table = Table(*columns, title=title)
    for contact in contacts:
        row = [
            contact.channel,
            escape(contact.chat_id),
            escape(contact.display_name),
            escape(contact.agency or ""),
            role_label(contact.role),
            "đang hoạt động" if contact.active else "đã ngừng",
        ]
        if stale:
            heirs = move_to.get(contact.agency or "") or []
            row.append(escape(", ".join(heirs) or "(không có cơ quan kế thừa)"))
        table.add_row(*row)
    out.print(table)
    if stale and contacts:
        out.print(
            'Chuyển một liên hệ: taskbot contacts add --agency "<cơ quan mới>" --chat-id <chat id> --channel <kênh>'
        )


def stale_agency_heirs(registry: AgencyRegistry, name: str, today: date) -> list[str] | None:
    """For a body that has ended by ``today``: the bodies in existence that carry on its tasks — its own successors,
    else those of its group (a district of 2018: "UBND các xã, phường, đặc khu", one of whose members the officer
    now works for); ``None`` for a body that still exists or that the registry does not know."""
    agency = registry.get(name)
    if agency is None:
        return None
    taken_over = registry.succession.heirs(name, on=today)  # a change without a known day counts as done
    if agency.exists_on(today) and not taken_over:
        return None
    heirs = registry.succession.current(name, on=today) or [
        h for h in taken_over if (body := registry.get(h)) is not None and body.exists_on(today)
    ]
    if not heirs:
        groups = registry.group_names(name)
        heirs = [h for g in groups for h in registry.succession.heirs(g, on=today)]
    return list(dict.fromkeys(heirs))


@contacts_app.command("remove")
def remove_command(chat_id: ChatIdOption, channel: ChannelOption = "telegram") -> None:
    """Ngừng một liên hệ (vẫn giữ lại, đánh dấu đã ngừng; ``add`` kích hoạt lại)."""

    chosen_channel = _channel(channel)
    chat = _chat_id(chat_id, chosen_channel)
    with open_runtime() as runtime:
        repository = ContactRepository(runtime.db)
        existing = repository.get(chosen_channel, chat)
        if existing is None:
            raise _fail(f"Không tìm thấy liên hệ {chat} ({chosen_channel}).", 2)
        changed = repository.deactivate(
            chosen_channel, chat, by=_actor(), now=datetime.now(tz=runtime.settings.timezone)
        )
    if changed:
        out.print(f"Đã ngừng liên hệ {escape(_who(existing))}. Dữ liệu vẫn được lưu lại.", highlight=False)
    else:
        out.print(f"Liên hệ {escape(_who(existing))} đã ngừng hoạt động từ trước.", highlight=False)


@contacts_app.command("invite")
def invite_command(
    agency: Annotated[str, typer.Option("--agency", help="Cơ quan mà cuộc trò chuyện được mời sẽ đại diện.")],
    role: RoleOption = "officer",
    bot_username: Annotated[
        str | None, typer.Option("--bot-username", help="Tên bot Telegram, để in đường dẫn t.me.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Tạo mã mời dùng một lần (hiệu lực 7 ngày): ai dùng mã sẽ được đăng ký."""

    chosen_role = _role(role)
    username: str | None = None
    if bot_username is not None:
        username = bot_username.strip().lstrip("@")
        if not _BOT_USERNAME.fullmatch(username):
            raise _fail(f"Tên bot “{bot_username}” không hợp lệ.", 2)
    with open_runtime() as runtime:
        canonical = _agency(runtime.registry, agency)
        invite = ContactRepository(runtime.db).create_invite(
            agency=canonical, role=chosen_role, created_by=_actor(), now=datetime.now(tz=runtime.settings.timezone)
        )
        expires = invite.expires_at.astimezone(runtime.settings.timezone)
    link = invite_link(username, invite.token) if username else None
    if as_json:
        print_json(
            {
                "token": invite.token,
                "agency": invite.agency,
                "role": invite.role,
                "expires_at": expires.isoformat(),
                "link": link,
            }
        )
        return
    out.print(f"Mã mời: [bold]{invite.token}[/bold]", highlight=False)
    out.print(f"Cơ quan: {escape(invite.agency)} — vai trò: {role_label(invite.role)}", highlight=False)
    out.print(f"Hết hạn: {expires:%H:%M %d/%m/%Y} (dùng được một lần)", highlight=False)
    if link:
        out.print(f"Liên kết: {link}", highlight=False)
    else:
        out.print(f"Gửi cho bot tin nhắn: /start {invite.token}", highlight=False)


@contacts_app.command("audit")
def audit_command(
    limit: Annotated[int, typer.Option("--limit", min=1, help="Số dòng, mới nhất trước.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Nhật ký thao tác quản trị, mới nhất trước."""

    with open_runtime() as runtime:
        entries = ContactRepository(runtime.db).audit_log(limit)
        tz = runtime.settings.timezone
    if as_json:
        print_json([_entry_json(e, tz) for e in entries])
        return
    table = Table("Thời điểm", "Người thực hiện", "Thao tác", "Chi tiết", "Cho phép", title="Nhật ký quản trị")
    for entry in entries:
        table.add_row(
            f"{entry.at.astimezone(tz):%d/%m/%Y %H:%M:%S}",
            escape(entry.actor),
            entry.action,
            escape(entry.detail),
            "có" if entry.allowed else "không",
        )
    out.print(table)


def _entry_json(entry: AuditEntry, tz: tzinfo | None) -> dict[str, Any]:
    return {
        "at": _iso(entry.at, tz),
        "actor": entry.actor,
        "action": entry.action,
        "detail": entry.detail,
        "allowed": entry.allowed,
    }
