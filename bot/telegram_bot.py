"""The Telegram adapter: python-telegram-bot updates in, :class:`~bot.conversation.Conversation` replies out.

It stays thin on purpose. A Telegram update becomes an :class:`~bot.conversation.Incoming`, the channel-neutral core
answers with :class:`~bot.conversation.Outgoing` messages, and this module renders them as escaped HTML (split at
4096 characters, the inline keyboard under the last part). What is Telegram-specific lives here: which group
messages are meant for the bot, button presses, blocked chats, errors, polling or webhook.

:func:`build_application` wires everything; its ``post_init`` opens the runtime (unless services are given) and its
``post_shutdown`` closes it. :class:`bot.telegram_channel.TelegramChannel` runs it in :func:`bot.serve.serve`.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, Final, TypeAlias

from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    Update,
    User,
)
from telegram.constants import ChatType, MessageLimit, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    filters,
)

from bot.channel_settings import TelegramChannelSettings
from bot.conversation import COMMANDS, Conversation, Incoming, IncomingFile
from bot.reminder_jobs import ReminderJobs
from bot.runtime import Runtime
from bot.senders import TelegramSender
from bot.services import Services
from bot.settings import Settings
from knowledge.errors import ChannelError
from knowledge.reply import Outgoing
from scheduler.delivery import PartProgress

__all__ = [
    "ERROR_REPLY",
    "BotData",
    "TaskbotApplication",
    "TaskbotContext",
    "api_root",
    "build_application",
    "chat_ref",
    "send_outgoing",
]

log = logging.getLogger(__name__)

ERROR_REPLY: Final = "Đã có lỗi xảy ra, vui lòng thử lại sau."
MAX_TEXT: Final = int(MessageLimit.MAX_TEXT_LENGTH)  # 4096
ADMIN_ALERT_INTERVAL: Final = 600.0  # seconds between two error notifications to the admins
MAX_CONCURRENT_UPDATES: Final = 32
_FORBIDDEN_ACTOR: Final = "telegram:forbidden"
_GROUP_TYPES: Final = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})
_NO_PREVIEW: Final = LinkPreviewOptions(is_disabled=True)


class BotData:
    """The application's ``bot_data``: the shared services and the conversation, set by ``post_init``.

    PTB creates it empty when the application is built; the accessors fail loudly if a handler runs before
    ``post_init`` (which ``run_polling``/``run_webhook`` call, and tests call explicitly).
    """

    def __init__(self) -> None:
        self._services: Services | None = None
        self._conversation: Conversation | None = None
        self.runtime: Runtime | None = None  # set when post_init opened it (and post_shutdown must close it)
        self.admin_chat_ids: tuple[int, ...] = ()
        self.last_admin_alert: float | None = None  # time.monotonic() of the last error notification
        self.jobs: ReminderJobs | None = None  # the reminder sweep, when this process sends reminders

    def attach(self, services: Services, conversation: Conversation) -> None:
        """Make the services and the conversation available to the handlers."""
        self._services = services
        self._conversation = conversation

    def detach(self) -> None:
        """Forget the services and the conversation (after shutdown)."""
        self._services = None
        self._conversation = None

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("the Telegram application has no services: post_init has not run")
        return self._services

    @property
    def conversation(self) -> Conversation:
        if self._conversation is None:
            raise RuntimeError("the Telegram application has no conversation: post_init has not run")
        return self._conversation


TaskbotContext: TypeAlias = CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotData]
TaskbotApplication: TypeAlias = Application[ExtBot[Any], TaskbotContext, dict[Any, Any], dict[Any, Any], BotData, Any]
_Builder: TypeAlias = ApplicationBuilder[ExtBot[Any], TaskbotContext, dict[Any, Any], dict[Any, Any], BotData, Any]


_PTB_SLOTS = 4096


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Handles updates of different chats concurrently and those of one chat one after another, in order.

    A slow answer for one officer then never holds up the others, while a chat still sees its replies in the
    order it wrote (``/start <mã mời>`` is registered before the ``/cuatoi`` that follows it).
    """

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        # PTB's own semaphore is taken before do_process_update; a chat's queued updates would hold its slots while
        # waiting their turn. So PTB's limit is left wide and the real one is applied after the chat's lock.
        super().__init__(max(_PTB_SLOTS, max_concurrent_updates))
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            async with self._slots:
                await coroutine
            return
        held = self._locks.get(chat.id)
        lock, users = held if held is not None else (asyncio.Lock(), 0)  # a new lock only for a chat not waiting
        self._locks[chat.id] = (lock, users + 1)
        try:
            async with lock, self._slots:  # the chat's turn first, then a slot: queued updates hold no slot
                await coroutine
        finally:
            lock, users = self._locks[chat.id]
            if users <= 1:
                del self._locks[chat.id]
            else:
                self._locks[chat.id] = (lock, users - 1)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


# -- building -----------------------------------------------------------------------------------------------------


def build_application(
    settings: Settings,
    *,
    services: Services | None = None,
    clock: Callable[[], datetime] | None = None,
    rate_limit: bool = True,
    reminders: bool = False,
) -> TaskbotApplication:
    """The Telegram application, ready for ``run_polling``/``run_webhook`` (or ``async with`` in tests).

    ``services`` is used as given (and left open) when passed; otherwise ``post_init`` opens the runtime named by
    ``settings`` (with ``clock``, for tests) and ``post_shutdown`` closes it. ``rate_limit=False`` drops the
    :class:`~telegram.ext.AIORateLimiter` (only for benchmarks: Telegram enforces the limits anyway).
    ``reminders=True`` also runs the reminder sweep (APScheduler) in this process; ``taskbot run`` does.
    """
    config = TelegramChannelSettings.from_settings(settings)
    builder: _Builder = (
        ApplicationBuilder()
        .token(config.token.get_secret_value())
        .context_types(ContextTypes(bot_data=BotData))
        # No PTB Defaults and no PTB JobQueue: reminders run on our own scheduler (bot.reminder_jobs), and every send
        # passes its options; Defaults would copy the link-preview options into each message sent.
        .job_queue(None)
        .concurrent_updates(PerChatUpdateProcessor())
    )
    if config.api_base_url:
        base = api_root(config.api_base_url)
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))

    async def post_init(application: TaskbotApplication) -> None:
        await _open(application, settings, services, clock)
        if reminders:
            data = application.bot_data
            data.services.senders["telegram"] = TelegramSender(application.bot)
            data.jobs = ReminderJobs(data.services, data.services.senders)
            data.jobs.start()

    async def post_shutdown(application: TaskbotApplication) -> None:
        await _close(application)

    application = builder.post_init(post_init).post_shutdown(post_shutdown).build()
    _add_handlers(application)
    return application


def api_root(base_url: str) -> str:
    """``http://host:8081/`` or ``http://host:8081/bot`` → ``http://host:8081`` (PTB appends ``/bot<token>``)."""
    root = base_url.strip().rstrip("/")
    return root.removesuffix("/bot")


def _add_handlers(application: TaskbotApplication) -> None:
    only_new = filters.UpdateType.MESSAGE  # not edits, not channel posts
    # Free text first: it is most messages, and no command handler could take it (PTB stops at the first match).
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & only_new, _on_text))
    for name, _description in COMMANDS:
        application.add_handler(CommandHandler(name, _on_command, filters=only_new))
    # Same group, after the CommandHandlers: only commands none of them took get here (no double answers).
    application.add_handler(MessageHandler(filters.COMMAND & only_new, _on_unknown_command))
    # Files: an admin sends or forwards a plan document in a private chat (a group's files are not ours).
    application.add_handler(MessageHandler(filters.Document.ALL & filters.ChatType.PRIVATE & only_new, _on_document))
    application.add_handler(CallbackQueryHandler(_on_button))
    application.add_error_handler(_on_error)


async def _open(
    application: TaskbotApplication,
    settings: Settings,
    services: Services | None,
    clock: Callable[[], datetime] | None,
) -> None:
    """``post_init``: open the runtime (unless services were given), build the conversation, register commands."""
    data = application.bot_data
    if services is None:
        runtime = await asyncio.to_thread(Runtime.open, settings)
        data.runtime = runtime  # post_shutdown closes it, even if what follows fails
        services = await asyncio.to_thread(Services, runtime, clock=clock)
    conversation = Conversation(
        services,
        admin_user_ids=frozenset(str(i) for i in settings.admin_ids),
        bot_username=application.bot.username,
    )
    data.attach(services, conversation)
    services.on_contact_change(conversation.forget_contact)
    data.admin_chat_ids = tuple(sorted(settings.admin_ids))
    try:
        await application.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])
    except TelegramError as exc:  # the bot works without the menu; do not refuse to start over it
        log.warning("could not register the bot commands with Telegram: %s", exc)
    log.info("Telegram bot @%s ready", application.bot.username)


async def _close(application: TaskbotApplication) -> None:
    """``post_shutdown``: close what ``post_init`` opened (and nothing it was given)."""
    data = application.bot_data
    if data.jobs is not None:
        data.jobs.shutdown()
        data.jobs = None
    data.detach()
    runtime, data.runtime = data.runtime, None
    if runtime is not None:
        await asyncio.to_thread(runtime.close)


# -- handlers -----------------------------------------------------------------------------------------------------


async def _on_command(update: Update, context: TaskbotContext) -> None:
    """A known command (in a group PTB already dropped ``/lệnh@bot_khác``)."""
    message = update.effective_message
    if message is not None and message.text:
        await _converse(update, context, message.text)


async def _on_text(update: Update, context: TaskbotContext) -> None:
    """Free text: always in private chats; in groups only when @mentioned or replying to the bot."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or not message.text:
        return
    text = _addressed_text(message, context.bot) if chat.type in _GROUP_TYPES else message.text
    if text is not None:
        await _converse(update, context, text)


async def _on_unknown_command(update: Update, context: TaskbotContext) -> None:
    """A command none of the CommandHandlers took: the core answers with help (in groups only if meant for us)."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or not message.text:
        return
    if chat.type in _GROUP_TYPES:
        target = message.text.split(maxsplit=1)[0].partition("@")[2]
        if target.casefold() != context.bot.username.casefold() and not _replies_to_bot(message, context.bot):
            return  # another bot's command, or a bare /lệnh the group did not address to us
    await _converse(update, context, message.text)


async def _on_document(update: Update, context: TaskbotContext) -> None:
    """A file in a private chat: the core decides (an admin's plan is previewed; anyone else is refused)."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or message.document is None:
        return
    document = message.document
    bot = context.bot

    async def fetch() -> bytes:
        try:
            file = await bot.get_file(document.file_id)
            return bytes(await file.download_as_bytearray())
        except TelegramError as exc:
            raise ChannelError(
                f"cannot download {document.file_name!r}: {exc}",
                user_message="Không tải được tệp từ Telegram; vui lòng gửi lại.",
            ) from exc

    incoming = _incoming(chat.id, chat.type, update.effective_user, message.caption or "")
    file = IncomingFile(name=document.file_name or "tep-ke-hoach", size=document.file_size, fetch=fetch)
    outgoing = await context.bot_data.conversation.on_file(incoming, file)
    await _deliver(context, chat.id, outgoing)


async def _on_button(update: Update, context: TaskbotContext) -> None:
    """A button press: acknowledge it at once, then run its action."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer()
    except BadRequest as exc:  # too old (e.g. pressed before a restart): still do what was asked
        log.debug("could not answer callback query %s: %s", query.id, exc)
    message = query.message
    if message is None or not query.data:
        return
    chat = message.chat
    incoming = _incoming(chat.id, chat.type, query.from_user, "")
    outgoing = await context.bot_data.conversation.on_action(incoming, query.data)
    await _deliver(context, chat.id, outgoing)


async def _converse(update: Update, context: TaskbotContext, text: str) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    incoming = _incoming(chat.id, chat.type, update.effective_user, text)
    outgoing = await context.bot_data.conversation.on_text(incoming)
    await _deliver(context, chat.id, outgoing)


def _incoming(chat_id: int, chat_type: str, user: User | None, text: str) -> Incoming:
    return Incoming(
        channel="telegram",
        chat_id=str(chat_id),
        user_id=str(user.id) if user is not None else None,
        display_name=user.full_name if user is not None else "",
        text=text,
        is_group=chat_type in _GROUP_TYPES,
    )


def _replies_to_bot(message: Message, bot: Bot) -> bool:
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == bot.id


def _addressed_text(message: Message, bot: Bot) -> str | None:
    """The text of a group message meant for the bot, its mention removed; None when it is not meant for us."""
    text = message.text or ""
    mention = re.compile(rf"@{re.escape(bot.username)}\b", re.IGNORECASE)
    addressed = mention.search(text) is not None
    stripped = mention.sub(" ", text)
    for entity, shown in message.parse_entities([MessageEntity.TEXT_MENTION]).items():
        if entity.user is not None and entity.user.id == bot.id:
            addressed = True
            stripped = stripped.replace(shown, " ", 1)
    if not addressed and not _replies_to_bot(message, bot):
        return None
    return " ".join(stripped.split()).lstrip(",:;- ")


# -- sending ------------------------------------------------------------------------------------------------------


async def _deliver(context: TaskbotContext, origin: int, outgoing: Sequence[Outgoing]) -> None:
    """Send the core's messages: to the chat that wrote, or to the chat each names (admin notifications).

    A chat that blocked the bot is marked inactive. A failure towards another chat is logged and skipped; a
    failure towards the chat that wrote goes to the error handler.
    """
    for out in outgoing:
        if out.channel is not None and out.channel != "telegram":
            if out.chat_id is not None:
                await context.bot_data.services.send_elsewhere(out.channel, out.chat_id, out)
            continue
        target = chat_ref(out.chat_id) if out.chat_id is not None else origin
        try:
            await send_outgoing(context.bot, target, out)
        except Forbidden as exc:
            log.info("chat %s refuses messages (%s): marking it inactive", target, exc.message)
            await context.bot_data.services.mark_unreachable("telegram", str(target), by=_FORBIDDEN_ACTOR)
        except TelegramError:
            if target == origin:
                raise
            log.warning("could not send a message to chat %s", target, exc_info=True)


async def send_outgoing(bot: Bot, chat_id: int | str, out: Outgoing, *, progress: PartProgress | None = None) -> None:
    """Send one message to ``chat_id`` as escaped HTML, without link preview, in parts of at most 4096 characters.

    The inline keyboard goes under the last part. Telegram errors (``Forbidden``, ``RetryAfter``...) propagate.
    With ``progress`` (reminders), parts accepted before are skipped and each accepted part is reported.
    """
    chunks = [chunk for chunk in out.reply.html_chunks(MAX_TEXT) if chunk.strip()]
    if not chunks:
        log.warning("the core produced an empty reply for chat %s; nothing sent", chat_id)
        return
    markup = _keyboard(out)
    last = len(chunks) - 1
    progress = progress or PartProgress()
    offset = 0
    if out.attachment is not None:  # the file first, the text after it (a caption holds only 1024 characters)
        offset = 1
        if progress.pending(0):
            if out.attachment.mime.startswith("image/"):  # a chart: shown as a picture
                await bot.send_photo(
                    chat_id=chat_id, photo=InputFile(out.attachment.data, filename=out.attachment.name)
                )
            else:
                await bot.send_document(
                    chat_id=chat_id,
                    document=InputFile(out.attachment.data, filename=out.attachment.name),
                    caption=out.attachment.name,
                )
            await progress.accepted()
    for i, chunk in enumerate(chunks):
        if not progress.pending(offset + i):
            continue
        await bot.send_message(
            chat_id=chat_id,
            text=chunk,
            parse_mode=ParseMode.HTML,
            link_preview_options=_NO_PREVIEW,
            reply_markup=markup if i == last else None,
        )
        await progress.accepted()


def _keyboard(out: Outgoing) -> InlineKeyboardMarkup | None:
    rows = [[InlineKeyboardButton(b.label, callback_data=b.action) for b in row] for row in out.buttons if row]
    return InlineKeyboardMarkup(rows) if rows else None


def chat_ref(chat_id: str) -> int | str:
    """Telegram chat ids are integers; ``@channelusername`` stays a string."""
    return int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id


# -- errors -------------------------------------------------------------------------------------------------------


async def _on_error(update: object, context: TaskbotContext) -> None:
    """Log the error, tell the user something went wrong, and notify the admins (at most every 10 minutes)."""
    error = context.error
    chat = update.effective_chat if isinstance(update, Update) else None
    if isinstance(error, Forbidden) and chat is not None:
        log.info("chat %s refuses messages (%s)", chat.id, error.message)
        await context.bot_data.services.mark_unreachable("telegram", str(chat.id), by=_FORBIDDEN_ACTOR)
        return
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("error while handling update %s", update_id, exc_info=error)
    if chat is not None:
        try:
            await context.bot.send_message(chat_id=chat.id, text=ERROR_REPLY)
        except Exception:
            log.warning("could not tell chat %s about the error", chat.id, exc_info=True)
    await _alert_admins(context, error, chat.id if chat is not None else None)


async def _alert_admins(context: TaskbotContext, error: BaseException | None, chat_id: int | None) -> None:
    """Send the admins a short notice of an error, rate-limited; never raises."""
    try:
        data = context.bot_data
        now = time.monotonic()
        if not data.admin_chat_ids or (
            data.last_admin_alert is not None and now - data.last_admin_alert < ADMIN_ALERT_INTERVAL
        ):
            return
        data.last_admin_alert = now
        where = f" (chat {chat_id})" if chat_id is not None else ""
        detail = f"{type(error).__name__}: {error}" if error is not None else "không rõ"
        text = (
            f"⚠️ Trợ lý nhiệm vụ gặp lỗi khi xử lý tin nhắn{where}: {detail}"[:1000]
            + "\nXem nhật ký máy chủ để biết chi tiết. Các lỗi khác trong 10 phút tới sẽ không được báo."
        )
        for admin in data.admin_chat_ids:
            try:
                await context.bot.send_message(chat_id=admin, text=text, link_preview_options=_NO_PREVIEW)
            except Exception:
                log.warning("could not notify admin %s of an error", admin, exc_info=True)
    except Exception:
        log.exception("could not notify the admins of an error")
