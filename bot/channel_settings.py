"""Per-channel settings, validated once at start-up from the one :class:`~bot.settings.Settings` object.

Each channel reads its own variables (token, API base URL, public webhook URL, webhook secret) into a small frozen
pydantic model; the web server reads its listen address. A wrong value becomes a :class:`ConfigError` whose
Vietnamese message names the variable, says what is wrong with its value and how to fix it, so the adapters never
check tokens, secrets or addresses themselves.
"""

from __future__ import annotations

import re
from typing import Final, Self, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError, field_validator

from bot.settings import Settings
from knowledge.errors import ConfigError

__all__ = [
    "TELEGRAM_DEFAULT_PATH",
    "ZALO_DEFAULT_PATH",
    "ListenAddress",
    "TelegramChannelSettings",
    "ZaloChannelSettings",
    "listen_address",
]

TELEGRAM_DEFAULT_PATH: Final = "/telegram/webhook"
ZALO_DEFAULT_PATH: Final = "/zalo/webhook"
_TELEGRAM_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_ZALO_SECRET_LENGTH = (8, 256)  # what Zalo's setWebhook accepts as secret_token
M = TypeVar("M", bound=BaseModel)


class _Invalid(ValueError):
    """A value's problem and its fix, in Vietnamese (the variable is named by the caller)."""


def _token(value: SecretStr | None) -> SecretStr:
    token = value.get_secret_value().strip() if value is not None else ""
    if not token:
        raise _Invalid(
            "chưa được đặt. Hãy đặt token của bot (Telegram: từ @BotFather; Zalo: từ Zalo Bot Creator), "
            "hoặc dùng `taskbot chat` để trò chuyện trên máy mà không cần token"
        )
    if any(ch.isspace() for ch in token):
        raise _Invalid("có khoảng trắng ở giữa. Hãy chép lại token, không kèm dấu cách hay xuống dòng")
    return SecretStr(token)


def _https_url(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    url = value.strip()
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise _Invalid(f"“{url}” không phải địa chỉ https. Hãy dùng địa chỉ công khai dạng https://ten-mien/duong-dan")
    return url


def _base_url(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    url = value.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _Invalid(f"“{url}” không phải địa chỉ http(s). Hãy dùng dạng http://host:port hoặc bỏ trống")
    return url


class TelegramChannelSettings(BaseModel):
    """``TELEGRAM_BOT_TOKEN``, ``TELEGRAM_API_BASE_URL``, ``WEBHOOK_URL``, ``WEBHOOK_SECRET``."""

    model_config = ConfigDict(frozen=True)

    token: SecretStr
    api_base_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None

    @field_validator("token", mode="before")
    @classmethod
    def _token_set(cls, value: object) -> SecretStr:
        return _token(_secret(value))

    @field_validator("api_base_url")
    @classmethod
    def _base(cls, value: str | None) -> str | None:
        return _base_url(value)

    @field_validator("webhook_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        return _https_url(value)

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _secret_format(cls, value: object) -> SecretStr | None:
        secret = _secret(value)
        if secret is None or not secret.get_secret_value():
            return None
        if not _TELEGRAM_SECRET.fullmatch(secret.get_secret_value()):
            raise _Invalid("chỉ được gồm 1–256 ký tự A-Z, a-z, 0-9, _ và -. Hãy đặt lại một chuỗi như vậy")
        return secret

    @property
    def webhook(self) -> bool:
        """Webhook mode (``WEBHOOK_URL`` set), else long polling."""
        return self.webhook_url is not None

    @property
    def webhook_path(self) -> str:
        """Where the web server takes Telegram's updates: the path of ``WEBHOOK_URL``."""
        return _path(self.webhook_url, TELEGRAM_DEFAULT_PATH)

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """The Telegram settings, or a :class:`ConfigError` naming the variable to fix."""
        variables = {
            "token": "TELEGRAM_BOT_TOKEN",
            "api_base_url": "TELEGRAM_API_BASE_URL",
            "webhook_url": "WEBHOOK_URL",
            "webhook_secret": "WEBHOOK_SECRET",
        }
        config = _validated(
            cls,
            variables,
            token=settings.telegram_bot_token,
            api_base_url=settings.telegram_api_base_url,
            webhook_url=settings.webhook_url,
            webhook_secret=settings.webhook_secret,
        )
        if config.webhook and config.webhook_secret is None:
            raise _config_error(
                "WEBHOOK_SECRET",
                "chưa được đặt, mà chế độ webhook Telegram (WEBHOOK_URL) cần nó. Hãy đặt WEBHOOK_SECRET là chuỗi "
                "1–256 ký tự A-Z, a-z, 0-9, _ và - (Telegram gửi lại chuỗi này để bot xác thực)",
            )
        return config


class ZaloChannelSettings(BaseModel):
    """``ZALO_BOT_TOKEN``, ``ZALO_API_BASE_URL``, ``ZALO_WEBHOOK_URL``, ``ZALO_WEBHOOK_SECRET``.

    Webhook mode when a secret or a public URL is set (or the caller asks for it); the URL is optional because the
    webhook can also be registered in Zalo Bot Creator.
    """

    model_config = ConfigDict(frozen=True)

    token: SecretStr
    api_base_url: str = "https://bot-api.zaloplatforms.com"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None

    @field_validator("token", mode="before")
    @classmethod
    def _token_set(cls, value: object) -> SecretStr:
        return _token(_secret(value))

    @field_validator("webhook_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        return _https_url(value)

    @field_validator("api_base_url")
    @classmethod
    def _base(cls, value: str) -> str:
        return _base_url(value) or "https://bot-api.zaloplatforms.com"

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _secret_length(cls, value: object) -> SecretStr | None:
        secret = _secret(value)
        if secret is None or not secret.get_secret_value():
            return None
        low, high = _ZALO_SECRET_LENGTH
        if not low <= len(secret.get_secret_value()) <= high:
            raise _Invalid(f"phải dài từ {low} đến {high} ký tự. Hãy đặt một chuỗi bí mật dài hơn")
        return secret

    @property
    def webhook(self) -> bool:
        return self.webhook_secret is not None or self.webhook_url is not None

    @property
    def webhook_path(self) -> str:
        return ZALO_DEFAULT_PATH

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """The Zalo settings, or a :class:`ConfigError` naming the variable to fix."""
        variables = {
            "token": "ZALO_BOT_TOKEN",
            "api_base_url": "ZALO_API_BASE_URL",
            "webhook_url": "ZALO_WEBHOOK_URL",
            "webhook_secret": "ZALO_WEBHOOK_SECRET",
        }
        config = _validated(
            cls,
            variables,
            token=settings.zalo_bot_token,
            api_base_url=settings.zalo_api_base_url,
            webhook_url=settings.zalo_webhook_url,
            webhook_secret=settings.zalo_webhook_secret,
        )
        if config.webhook and config.webhook_secret is None:
            raise _config_error(
                "ZALO_WEBHOOK_SECRET",
                "chưa được đặt, mà chế độ webhook Zalo cần nó. Hãy đặt ZALO_WEBHOOK_SECRET là chuỗi bí mật 8–256 ký "
                "tự (Zalo gửi lại chuỗi này trong mỗi yêu cầu để bot xác thực)",
            )
        return config


class ListenAddress(BaseModel):
    """Where the one web server listens (webhooks and ``/healthz``)."""

    model_config = ConfigDict(frozen=True)

    host: str
    port: int

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def listen_address(value: str, *, variable: str = "WEBHOOK_LISTEN") -> ListenAddress:
    """``"0.0.0.0:8443"`` or ``"[::]:8443"`` → host and port (0 picks a free port, for tests)."""
    host, sep, port = value.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) < 65536:
        raise _config_error(
            variable, f"“{value}” không phải địa chỉ lắng nghe hợp lệ. Hãy dùng dạng host:port, ví dụ 0.0.0.0:8443"
        )
    return ListenAddress(host=host, port=int(port))


def _secret(value: object) -> SecretStr | None:
    if value is None or isinstance(value, SecretStr):
        return value
    return SecretStr(str(value))


def _path(url: str | None, default: str) -> str:
    path = urlsplit(url).path.rstrip("/") if url else ""
    return path or default


def _validated(model: type[M], variables: dict[str, str], **values: object) -> M:
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else ""
        cause = error.get("ctx", {}).get("error")
        problem = str(cause) if isinstance(cause, _Invalid) else f"không hợp lệ ({error['msg']})"
        raise _config_error(variables.get(field, field.upper()), problem) from exc


def _config_error(variable: str, problem: str) -> ConfigError:
    return ConfigError(f"{variable}: {problem}", user_message=f"{variable} {problem}.")
