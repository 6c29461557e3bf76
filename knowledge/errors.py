"""The project's one small exception tree.

Every error carries a Vietnamese sentence for users (``user_message``); the ``str()`` of the error is English, for
logs and admins. Foreign errors (SQLAlchemy, Telegram, httpx) are translated at the edge with ``raise ... from exc``.
"""

from __future__ import annotations


class TaskbotError(Exception):
    """Base of every error the project raises on purpose."""

    user_message = "Đã có lỗi xảy ra. Vui lòng thử lại sau."

    def __init__(self, message: str, *, user_message: str | None = None) -> None:
        super().__init__(message)
        if user_message is not None:
            self.user_message = user_message


class ConfigError(TaskbotError):
    """The settings are missing or wrong."""

    user_message = "Cấu hình chưa đúng."


class PlanFormatError(TaskbotError):
    """A plan document could not be read: says which file, where, and what was expected."""

    user_message = "Tệp kế hoạch không đúng định dạng."

    def __init__(
        self, message: str, *, source: str = "", where: str = "", expected: str = "", user_message: str | None = None
    ) -> None:
        parts = [p for p in (source, where) if p]
        prefix = ":".join(parts)
        text = f"{prefix}: {message}" if prefix else message
        if expected:
            text = f"{text} (expected {expected})"
        fallback = f"Tệp {source} không đúng định dạng kế hoạch." if source else self.user_message
        super().__init__(text, user_message=user_message or fallback)
        self.source = source
        self.where = where
        self.expected = expected


class RegistryError(TaskbotError):
    """The agency registry data file is malformed."""

    user_message = "Danh mục cơ quan không hợp lệ."


class NotFoundError(TaskbotError):
    """A plan, task, agency or contact that was asked for does not exist."""

    user_message = "Không tìm thấy."


class StorageError(TaskbotError):
    """The database failed; nothing was changed."""

    user_message = "Cơ sở dữ liệu đang gặp sự cố, dữ liệu chưa bị thay đổi. Vui lòng thử lại sau."


class PermissionDeniedError(TaskbotError):
    """The user may not do this."""

    user_message = "Bạn không có quyền thực hiện thao tác này."


class ChannelError(TaskbotError):
    """A chat channel (Telegram, Zalo) failed to deliver or answer."""

    user_message = "Không gửi được tin nhắn."


class VocabularyError(TaskbotError):
    """A reviewed word list of the answer engine (cue words, thesaurus) is malformed."""

    user_message = "Danh mục từ ngữ của bộ trả lời không hợp lệ."


class QuestionError(TaskbotError):
    """A question that reads but cannot be answered as asked (a year outside the years the bot works with)."""

    user_message = "Câu hỏi có ngày tháng nằm ngoài khoảng bot hiểu (năm 1900–2200); hãy hỏi lại với ngày đúng."


class InvalidInputError(TaskbotError):
    """A value a person typed (a chat id, say) is not of the right shape; nothing was written."""

    user_message = "Giá trị nhập vào không hợp lệ."
