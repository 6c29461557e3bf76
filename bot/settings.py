"""The one typed settings object, read once at the entry point from the environment (and a ``.env`` file)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_cache_path, user_data_path
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "default_database_url"]


def default_database_url() -> str:
    """An SQLite file in the user's data directory, e.g. ``~/.local/share/taskbot/taskbot.sqlite3``."""
    return f"sqlite:///{user_data_path('taskbot', appauthor=False) / 'taskbot.sqlite3'}"


class Settings(BaseSettings):
    """Configuration. Each field is read from the environment variable of the same name in upper case."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True)

    database_url: str = Field(default_factory=default_database_url)
    taskbot_timezone: str = "Asia/Ho_Chi_Minh"
    taskbot_agencies_file: Path | None = None
    taskbot_log_level: str = "WARNING"
    taskbot_log_format: Literal["text", "json"] = "text"
    taskbot_log_user_text: bool = False  # log what users write (DEBUG lines of python-telegram-bot)
    # Reminder messages in flight at once (scheduler.delivery.CONCURRENCY): what a kill -9 can repeat at most.
    taskbot_reminder_concurrency: int = Field(default=1, ge=1, le=32)
    # The knowledge snapshot cached between starts (knowledge.storage.snapshot_cache), e.g. ~/.cache/taskbot.
    taskbot_snapshot_cache: bool = True
    taskbot_cache_dir: Path = Field(default_factory=lambda: user_cache_path("taskbot", appauthor=False))

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str | None = None
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0:8443"
    webhook_secret: SecretStr | None = None
    taskbot_admins: str = ""

    zalo_bot_token: SecretStr | None = None
    zalo_api_base_url: str = "https://bot-api.zaloplatforms.com"
    zalo_webhook_secret: SecretStr | None = None
    zalo_webhook_url: str | None = None

    @field_validator("taskbot_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"“{value}” không phải múi giờ IANA. Hãy dùng dạng Khu_vực/Thành_phố, ví dụ Asia/Ho_Chi_Minh"
            ) from exc
        return value

    @field_validator("taskbot_log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError(f"“{value}” không phải mức nhật ký. Hãy dùng DEBUG, INFO, WARNING, ERROR hoặc CRITICAL")
        return level

    @field_validator("database_url")
    @classmethod
    def _non_empty(cls, value: str) -> str:
        if not value.strip():
            return default_database_url()
        return value.strip()

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.taskbot_timezone)

    @property
    def admin_ids(self) -> frozenset[int]:
        """Telegram user ids from ``TASKBOT_ADMINS`` (comma-separated)."""
        ids: set[int] = set()
        for part in self.taskbot_admins.replace(";", ",").split(","):
            part = part.strip()
            if part.lstrip("-").isdigit():
                ids.add(int(part))
        return frozenset(ids)
