"""Roman numerals as plans number their sections: "XIII" ↔ 13."""

from __future__ import annotations

__all__ = ["int_to_roman", "roman_to_int"]

_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def roman_to_int(text: str) -> int:
    """Value of a Roman numeral (``"XIII"`` → 13); 0 if ``text`` is not one."""
    total = 0
    prev = 0
    for ch in reversed(text.strip().lower()):
        value = _ROMAN_VALUES.get(ch)
        if value is None:
            return 0
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    return total


def int_to_roman(number: int) -> str:
    """``13`` → ``"XIII"``."""
    out = []
    for value, letters in (
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)
