"""The command line's help pages and usage errors, in Vietnamese.

Typer writes both with fixed English texts ("Usage:", "Options", "Show this message and exit.", "<bool>", "No such
option: …"). The root group (:mod:`bot.cli`) hands them here instead: a help page is written from the command tree
through click's public attributes (``help``, ``params``, ``opts``, ``commands``), and a usage error from its kind and
fields. Pure: objects in, text out.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from typing import Any

__all__ = ["HELP_OPTION_TEXT", "help_page", "is_group", "resolve", "usage_error_text", "wants_help"]

HELP_OPTION_TEXT = "Hiện hướng dẫn này rồi thoát."
_WIDTH = 100
_LABEL_WIDTH = 26
_PLACEHOLDERS = {"int": "SỐ", "float": "SỐ", "path": "TỆP", "file": "TỆP"}  # typer's type labels
_LITERAL = re.compile(r"``(.+?)``")
_MESSAGES = (  # click's own usage messages, as it words them, and how we say them
    (re.compile(r"Invalid value for (.+?): (.+)", re.S), "Giá trị không hợp lệ cho {0}: {1}"),
    (re.compile(r"No such command '(.+)'\."), "Không có lệnh “{0}”."),
    (re.compile(r"Invalid value: (.+)", re.S), "Giá trị không hợp lệ: {0}"),
    (re.compile(r"Got unexpected extra arguments?(?:\(s\))? \((.+)\)"), "Thừa tham số: {0}."),
    (re.compile(r"Option '(.+)' requires (?:an argument|\d+ arguments)\."), "Tùy chọn {0} cần một giá trị."),
    (re.compile(r"Argument '(.+)' takes (\d+) values\."), "Tham số {0} cần {1} giá trị."),
    (re.compile(r"Could not open file '(.+)': (.+)"), "Không mở được tệp “{0}”: {1}"),
    (re.compile(r"Option '(.+)' does not take a value\."), "Tùy chọn {0} không nhận giá trị."),
    (re.compile(r"'(.*)' is not a valid (?:integer|integer range)\.?"), "“{0}” không phải là số nguyên."),
    (re.compile(r"'(.*)' is not a valid float\.?"), "“{0}” không phải là số."),
    (re.compile(r"'(.*)' is not one of (.+)\."), "“{0}” không thuộc các giá trị được chọn: {1}."),
    (re.compile(r"Missing command\.?"), "Thiếu tên lệnh."),
)


def is_group(command: Any) -> bool:
    return isinstance(getattr(command, "commands", None), dict)


def wants_help(args: Sequence[str]) -> bool:
    """Whether the words after ``taskbot`` ask for help: ``--help``/``-h`` before any ``--``, or nothing at all."""
    words = list(args)
    if "--" in words:
        words = words[: words.index("--")]
    return not words or "--help" in words or "-h" in words


def resolve(root: Any, args: Sequence[str]) -> tuple[Any, tuple[str, ...]] | None:
    """The command ``args`` name below ``root`` and its path; None when a word names no command (a usage error)."""
    command: Any = root
    path: tuple[str, ...] = ()
    for word in args:
        if word == "--":
            break
        if word.startswith("-") or not is_group(command):
            continue
        sub = command.commands.get(word)
        if sub is None:
            return None
        command, path = sub, (*path, word)
    return command, path


def help_page(command: Any, path: Sequence[str], *, program: str = "taskbot") -> str:
    """The help page of ``command`` (reached by ``path`` below the program)."""
    params = [p for p in command.params if not getattr(p, "hidden", False) and p.name != "help"]
    arguments = [p for p in params if p.param_type_name == "argument"]
    options = [p for p in params if p.param_type_name == "option"]
    usage = ["Cách dùng:", program, *path]
    if is_group(command):
        usage.append("LỆNH [...]")
    else:
        if options:
            usage.append("[TÙY CHỌN]")
        usage.extend(_argument_label(p) if p.required else f"[{_argument_label(p)}]" for p in arguments)
    lines = [" ".join(usage), ""]
    if command.help:
        lines += [*_wrapped(command.help.strip(), indent=""), ""]
    if arguments:
        lines.append("Tham số:")
        lines += [row for p in arguments for row in _row(_argument_label(p), _param_help(p))]
        lines.append("")
    lines.append("Tùy chọn:")
    lines += [row for p in options for row in _row(_option_label(p), _param_help(p))]
    lines += [*_row("--help", HELP_OPTION_TEXT), ""]
    if is_group(command):
        lines.append("Lệnh:")
        for name, sub in command.commands.items():
            if not getattr(sub, "hidden", False):
                lines += _row(name, _first_sentence(sub.short_help or sub.help or ""))
        lines += ["", f"Xem hướng dẫn của từng lệnh: {program} {' '.join([*path, 'LỆNH'])} --help"]
    return "\n".join(lines).rstrip() + "\n"


def usage_error_text(error: Any, path: Sequence[str] = (), *, program: str = "taskbot") -> str:
    """A usage error (click's UsageError family, as typer raises it) in Vietnamese, with where to read help."""
    message: str
    if hasattr(error, "option_name") and hasattr(error, "possibilities"):  # no such option
        message = f"Không có tùy chọn {error.option_name}."
        if error.possibilities:
            message += f" Có phải ý bạn là {', '.join(sorted(error.possibilities))}?"
    elif hasattr(error, "param_type") and getattr(error, "param", None) is not None:  # a missing parameter
        param = error.param
        if param.param_type_name == "argument":
            message = f"Thiếu tham số {_argument_label(param)}."
        else:
            message = f"Thiếu tùy chọn {param.opts[0] if param.opts else param.name}."
    else:
        message = _said(error.format_message() if hasattr(error, "format_message") else str(error))
    command = " ".join([program, *path])
    return f"Lỗi: {message}\nXem “{command} --help”."


def _said(raw: str) -> str:
    """Click's message in Vietnamese where it is one of its known wordings (the value's own reason, after "Invalid
    value for …:", is ours already or one of these), else as it is."""
    for pattern, said in _MESSAGES:
        found = pattern.fullmatch(raw.strip())
        if found:
            return said.format(*(_said(part) for part in found.groups()))
    return raw


def _argument_label(param: Any) -> str:
    return str(param.name or "").upper().replace("_", "-")


def _option_label(param: Any) -> str:
    names = ", ".join([*param.opts, *getattr(param, "secondary_opts", [])])
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return names
    if getattr(param, "metavar", None):
        return f"{names} {param.metavar}"
    kind = param.bare_type() if callable(getattr(param, "bare_type", None)) else ""
    if "|" in kind:  # a choice: its values
        return f"{names} [{kind}]"
    return f"{names} {_PLACEHOLDERS.get(kind, 'GIÁ-TRỊ')}"


def _param_help(param: Any) -> str:
    text = (getattr(param, "help", None) or "").strip()
    if param.required:
        text = f"{text} (bắt buộc)" if text else "(bắt buộc)"
    return text


def _row(label: str, text: str) -> list[str]:
    label = f"  {label}"
    body = _wrapped(text, indent=" " * (_LABEL_WIDTH + 2)) if text else [""]
    if len(label) <= _LABEL_WIDTH:
        return [label.ljust(_LABEL_WIDTH) + "  " + body[0].lstrip(), *body[1:]]
    return [label, *body]


def _wrapped(text: str, *, indent: str) -> list[str]:
    text = _LITERAL.sub(r"“\1”", text)  # docstring-style ``add`` reads as “add”
    return textwrap.wrap(" ".join(text.split()), width=_WIDTH, initial_indent=indent, subsequent_indent=indent) or [""]


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]
