"""A plan's appendix tables read into raw task rows: columns found by meaning, section rows, numbering gaps, rows
continued across a page break, headers repeated on every page. Agencies are resolved later, by the plan parser.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from knowledge.document import TableRow
from knowledge.errors import PlanFormatError
from knowledge.import_log import ImportLog, place_label
from knowledge.roman import int_to_roman, roman_to_int
from knowledge.text import fold

__all__ = ["Columns", "RawTask", "find_columns", "read_task_tables", "split_roles"]

# Sections are numbered in upper-case Roman numerals; "c)", "i)" are lettered items, never section C or I.
_ROMAN = re.compile(r"^([IVXLC]+)\s*[.)]?$")
_ROMAN_TITLE = re.compile(r"^([IVXLC]+)\s*[.):]\s+(\S.*)$")  # a whole-row section: "II. TỔ CHỨC ..."
_ITEM = re.compile(r"^(\d+(?:\.\d+)*)\s*[.)]?$")
# Groups lettered "A", "B", "C" … (a capital letter alone). C, D, I, L, V, X are also Roman numerals: a letter is a
# group letter when it is no Roman numeral (A, B …) or when it follows the last group letter (B, C, D; one may be
# skipped), so "I" under group "A" stays section I.
_LETTER = re.compile(r"^([A-Z])\s*[.)]?$")
_LETTER_TITLE = re.compile(r"^([A-Z])\s*[.):]\s+(\S.*)$")

_COLUMN_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("stt", ("stt", "tt", "so tt", "so thu tu")),
    ("lead", ("chu tri",)),
    ("coordinators", ("phoi hop",)),
    # one column for both: "Sở X chủ trì, phối hợp với Sở Y" (split by knowledge.appendix.split_roles)
    ("agencies", ("co quan thuc hien", "don vi thuc hien", "co quan, don vi thuc hien", "co quan thuc hien nhiem vu")),
    ("product", ("san pham", "ket qua du kien", "ket qua")),
    # a column naming each task's group ("Lĩnh vực", merged down over its tasks): the group's title
    ("group", ("linh vuc", "nhom nhiem vu", "mang cong viec")),
    ("time", ("thoi gian", "thoi han", "tien do", "han hoan thanh", "thoi diem")),
    ("content", ("noi dung", "nhiem vu", "cong viec", "ten nhiem vu", "de an")),
)


@dataclass(kw_only=True)
class Columns:
    """Where each column of a task table is, found from its header by meaning."""

    index: dict[str, int]
    width: int
    header: tuple[str, ...]

    def get(self, cells: Sequence[str], role: str) -> str:
        i = self.index.get(role)
        if i is None or i >= len(cells):
            return ""
        return cells[i].strip()


@dataclass(kw_only=True)
class RawTask:
    """A task row as printed, with the section it stands under (``section_where``: where that section row is)."""

    where: str
    section_code: str
    section_title: str
    section_where: str
    item: str
    cells: list[str]
    columns: Columns
    continued_at: list[str] = field(default_factory=list)
    section_in_id: bool = True  # False when tasks are numbered through the whole table: "12", not "II.12"


_LEAD_MARK = re.compile(r"\s*\bchủ\s+trì\b", re.IGNORECASE)
_WITH_MARK = re.compile(r"^(?:và\s+|,\s*)?phối\s+hợp(?:\s+(?:với|cùng))?\s*", re.IGNORECASE)
_TRAILING_WITH = re.compile(r"\s*(?:cùng\s+)?phối\s+hợp(?:\s+thực\s+hiện)?\s*[.;]?\s*$", re.IGNORECASE)


def split_roles(cell: str) -> tuple[str, str]:
    """A cell naming the lead and the coordinators together, as officials write it: "Sở X chủ trì, phối hợp với
    Sở Y, Sở Z" or "Sở X chủ trì; Sở Y phối hợp" → ("Sở X", "Sở Y, Sở Z"); a cell with no "chủ trì" names the
    lead alone."""
    mark = _LEAD_MARK.search(cell)
    if mark is None:
        return cell.strip(), ""
    rest = cell[mark.end() :].strip(" ,;.:")
    rest = _TRAILING_WITH.sub("", _WITH_MARK.sub("", rest))
    return cell[: mark.start()].strip(" ,;.:"), rest.strip(" ,;.:")


def find_columns(cells: Sequence[str]) -> Columns | None:
    index: dict[str, int] = {}
    for i, cell in enumerate(cells):
        key = fold(cell)
        if not key:
            continue
        for role, words in _COLUMN_WORDS:
            if role in index:
                continue
            if role == "stt":
                if key in words:
                    index[role] = i
                    break
                continue
            if any(w in key for w in words):
                index[role] = i
                break
    if "stt" not in index or "content" not in index:
        return None
    return Columns(index=index, width=len(cells), header=tuple(fold(c) for c in cells))


def read_task_tables(rows: Sequence[TableRow], log: ImportLog) -> list[RawTask]:
    tasks: list[RawTask] = []
    columns: Columns | None = None
    current_table = 0
    section_code = ""
    section_title = ""
    section_where = ""
    last_section_no = 0
    last_letter = 0  # the last group letter's place in the alphabet (A = 1), 0 before any
    last_item = 0
    for at, row in enumerate(rows):
        if row.table != current_table:
            current_table = row.table
            found = find_columns(row.cells)
            if found is not None:
                columns = found
                continue
            if columns is None or len(row.cells) != columns.width:
                columns = None
        if columns is None:
            continue
        if tuple(fold(c) for c in row.cells) == columns.header:
            continue  # header repeated after a page break
        if is_column_numbers(row.cells):
            continue  # "(1) (2) … (6)" under the header: the columns' numbers, no task
        cells = list(row.cells)
        if len(cells) > columns.width:
            extra = [c for c in cells[columns.width :] if c.strip()]
            if extra:
                raise PlanFormatError(
                    f"row has {len(cells)} cells but the table header has {columns.width}",
                    source=log.source,
                    where=row.where,
                    expected=f"{columns.width} cells",
                    user_message=(
                        f"Tệp {log.source}: một hàng có {len(cells)} ô nhưng tiêu đề bảng chỉ có {columns.width} cột "
                        f"({place_label(row.where)}). Chưa nhập gì."
                    ),
                )
            cells = cells[: columns.width]
        cells += [""] * (columns.width - len(cells))
        stt = columns.get(cells, "stt")
        rest = [c for i, c in enumerate(cells) if i != columns.index["stt"] and c.strip()]
        letter = _LETTER.match(stt) or (_LETTER_TITLE.match(stt) if not rest else None)
        roman = _ROMAN.match(stt)
        whole_row = _ROMAN_TITLE.match(stt) if not rest else None  # section title in cells merged across the row
        if whole_row and roman_to_int(whole_row.group(1)):
            roman = whole_row
            rest = [whole_row.group(2).strip()]
        place = ord(letter.group(1)) - ord("A") + 1 if letter else 0
        if letter and (last_letter < place <= last_letter + 2 or not (roman and roman_to_int(roman.group(1)))):
            code = letter.group(1)
            if last_letter and place > last_letter + 1:
                missing = ", ".join(chr(ord("A") + n - 1) for n in range(last_letter + 1, place))
                log.note(
                    "numbering-gap", f"văn bản không có mục {missing}; giữ nguyên số thứ tự như văn bản", row.where
                )
            last_letter = place
            last_section_no = 0
            section_code = code
            if letter.re is _LETTER_TITLE:
                rest = [letter.group(2).strip()]
            section_title = columns.get(cells, "content") or (rest[0] if rest else "")
            section_where = row.where
            last_item = 0
            continue
        item = _ITEM.match(stt)
        if roman and roman_to_int(roman.group(1)):
            code = roman.group(1).upper()
            number = roman_to_int(code)
            if last_section_no and number > last_section_no + 1:
                missing = ", ".join(int_to_roman(n) for n in range(last_section_no + 1, number))
                log.note(
                    "numbering-gap", f"văn bản không có mục {missing}; giữ nguyên số thứ tự như văn bản", row.where
                )
            last_section_no = number
            section_code = code
            section_title = columns.get(cells, "content") or (rest[0] if rest else "")
            section_where = row.where
            last_item = 0
            continue
        if item and _heads_decimal_items(rows, at, columns, cells, item.group(1)):
            # "1 | Nhóm nhiệm vụ … |  |  |" over "1.1", "1.2": a group numbered like a task, its tasks keep their ids
            section_code = ""
            section_title = columns.get(cells, "content") or (rest[0] if rest else "")
            section_where = row.where
            last_item = 0
            continue
        if item:
            number_text = item.group(1)
            group = columns.get(cells, "group")
            head = int(number_text.split(".")[0])
            if "." not in number_text and last_item and head > last_item + 1:
                missing = ", ".join(
                    f"{section_code}.{n}" if section_code else str(n) for n in range(last_item + 1, head)
                )
                log.note(
                    "numbering-gap", f"văn bản không có nhiệm vụ {missing}; giữ nguyên số thứ tự như văn bản", row.where
                )
            if "." not in number_text:
                last_item = head
            tasks.append(
                RawTask(
                    where=row.where,
                    section_code=section_code,
                    section_title=group or section_title,
                    section_where=section_where,
                    item=number_text,
                    cells=cells,
                    columns=columns,
                )
            )
            continue
        if not stt:
            if not rest:
                continue
            if tasks:
                previous = tasks[-1]
                previous.cells = [_join(a, b) for a, b in zip(previous.cells, cells, strict=True)]
                previous.continued_at.append(row.where)
                continue
            raise PlanFormatError(
                "row without STT before any task",
                source=log.source,
                where=row.where,
                expected="a section (I, II, ...) or a numbered task row first",
                user_message=(
                    f"Tệp {log.source}: bảng có hàng không ghi số thứ tự trước mọi nhiệm vụ "
                    f"({place_label(row.where)}); hàng đầu tiên phải là một mục (I, II, …) hoặc một nhiệm vụ có số. "
                    "Chưa nhập gì."
                ),
            )
        raise PlanFormatError(
            f"unrecognised STT {stt!r}",
            source=log.source,
            where=row.where,
            expected="a Roman numeral or a capital letter (section), a number (task) or an empty cell (a row continued "
            "from above)",
            user_message=(
                f"Tệp {log.source}: không hiểu số thứ tự {stt!r} ({place_label(row.where)}); cột STT chỉ nhận số La Mã "
                "hoặc chữ cái in hoa (mục), số (nhiệm vụ) hoặc để trống (hàng nối tiếp). Chưa nhập gì."
            ),
        )
    if _numbered_through(tasks):
        for task in tasks:
            task.section_in_id = False
    return tasks


def _numbered_through(tasks: Sequence[RawTask]) -> bool:
    """Whether the tasks are numbered through the table, not from 1 in each section (1 … 5 under I, 6 … 10 under
    II): each number is then an id of its own, as officers cite it ("nhiệm vụ 12")."""
    numbers = [int(t.item) for t in tasks if t.item.isdigit()]
    sections = {(t.section_code, t.section_where) for t in tasks if t.section_code}
    if len(sections) < 2 or len(numbers) != len(tasks):
        return False
    return all(b > a for a, b in zip(numbers, numbers[1:], strict=False))


def _heads_decimal_items(
    rows: Sequence[TableRow], at: int, columns: Columns, cells: Sequence[str], number: str
) -> bool:
    """Whether the row ``at``, numbered ``number`` ("2"), is a group over decimal items ("2.1", "2.2" …): it names
    no lead and no time, and the next numbered row of its table is "2.1"."""
    if "." in number or columns.get(cells, "lead") or columns.get(cells, "time"):
        return False
    table = rows[at].table
    for later in rows[at + 1 :]:
        if later.table != table:
            return False
        stt = columns.get(later.cells, "stt")
        if stt:
            return stt.rstrip(".)").strip() == f"{number}.1"
    return False


_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,2})\)?$")


def is_column_numbers(cells: Sequence[str]) -> bool:
    """Whether a table row only numbers the columns: "(1)", "(2)" … (or 1, 2 …), one per cell, counting up from 1."""
    numbers = [m.group(1) for c in cells if (m := _COLUMN_NUMBER.match(c.strip()))]
    return len(cells) >= 3 and len(numbers) == len(cells) and numbers == [str(i) for i in range(1, len(cells) + 1)]


def _join(first: str, second: str) -> str:
    first, second = first.strip(), second.strip()
    if first and second:
        return f"{first} {second}"
    return first or second
