"""The dated registry: bodies with their dates, succession edges with their acts, and validation of bad data."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from knowledge.agencies import AgencyRegistry, read_registry
from knowledge.errors import RegistryError
from knowledge.plan_parser import parse_plan_source

PLANS = Path(__file__).parent / "data" / "plans"
COMMUNES = "UBND các xã, phường, đặc khu"


def test_every_succession_cites_its_act_or_says_it_could_not(registry: AgencyRegistry) -> None:
    edges = registry.succession.edges
    assert len(edges) >= 15
    for edge in edges:
        assert edge.act or (not edge.confirmed and edge.note), edge.where
        assert edge.url or not edge.confirmed or edge.effective is None, edge.where
        if edge.effective is None:
            assert not edge.confirmed, f"{edge.where}: an undated change must say it is not confirmed"


def test_the_2025_departments_replace_the_2018_ones(registry: AgencyRegistry) -> None:
    graph = registry.succession
    names = [n for n, _ in graph.predecessors("Sở Nông nghiệp và Môi trường")]
    assert names == ["Sở Nông nghiệp và Phát triển nông thôn", "Sở Tài nguyên và Môi trường"]
    assert graph.heirs("Sở Kế hoạch và Đầu tư", on=date(2026, 12, 1)) == ["Sở Tài chính"]
    assert graph.heirs("Sở Kế hoạch và Đầu tư", on=date(2024, 12, 1)) == []  # not yet
    assert graph.heirs("Cục Thuế thành phố", on=date(2026, 12, 1)) == ["Thuế thành phố Hải Phòng"]
    # A split of functions is history, not a transfer of tasks.
    assert graph.heirs("Sở Lao động - Thương binh và Xã hội", on=date(2026, 1, 1)) == ["Sở Nội vụ"]
    split = [n for n, _ in graph.successors("Sở Lao động - Thương binh và Xã hội", carrying=False)]
    assert {"Sở Nội vụ", "Sở Y tế", "Sở Giáo dục và Đào tạo"} <= set(split)
    # Thủy Nguyên: a city from 01/01/2025, its wards from 01/7/2025.
    chain = [n for n, _ in graph.successors("UBND huyện Thủy Nguyên", on=date(2026, 1, 1))]
    assert chain[0] == "UBND thành phố Thủy Nguyên"
    assert {"UBND phường Thủy Nguyên", "UBND phường Thiên Hương"} <= set(chain)
    assert graph.current("UBND huyện Bạch Long Vĩ", on=date(2026, 1, 1)) == ["UBND đặc khu Bạch Long Vĩ"]


def test_todays_commune_level_units_are_the_groups_members(registry: AgencyRegistry) -> None:
    group = registry.get(COMMUNES)
    assert group is not None and group.kind == "group" and "1669/NQ-UBTVQH15" in group.source
    assert len(group.members) == 114
    kinds = [m.split()[1] for m in group.members]
    assert (kinds.count("phường"), kinds.count("xã"), kinds.count("đặc")) == (45, 67, 2)
    assert all(registry.get(m) is not None and registry.get(m).kind == "commune" for m in group.members)  # type: ignore[union-attr]
    assert [g.name for g in registry.groups_of("UBND xã Tiên Lãng")] == [COMMUNES]


def test_names_that_differ_only_in_marks_are_told_apart(registry: AgencyRegistry) -> None:
    found = [m.name for m in registry.split_names("xã Cẩm Giàng, xã Cẩm Giang")]
    assert found == ["UBND xã Cẩm Giàng", "UBND xã Cẩm Giang"]
    assert registry.lookup("UBND xã Cẩm Giang") == registry.get("UBND xã Cẩm Giang")


def test_bodies_in_existence_on_a_day(registry: AgencyRegistry) -> None:
    in_2018 = {a.name for a in registry.in_existence(date(2018, 6, 1))}
    in_2026 = {a.name for a in registry.in_existence(date(2026, 12, 1))}
    assert {"Sở Kế hoạch và Đầu tư", "UBND huyện Tiên Lãng", "UBND các quận, huyện"} <= in_2018
    assert not {"Sở Nông nghiệp và Môi trường", COMMUNES, "UBND xã Tiên Lãng"} & in_2018
    assert {"Sở Nông nghiệp và Môi trường", COMMUNES, "UBND xã Tiên Lãng", "Sở Tài chính"} <= in_2026
    assert not {"Sở Kế hoạch và Đầu tư", "UBND huyện Tiên Lãng", "UBND tỉnh Hải Dương"} & in_2026
    in_2025 = {a.name for a in registry.in_existence(date(2025, 3, 15))}
    assert "UBND thành phố Thủy Nguyên" in in_2025 and "UBND huyện Thủy Nguyên" not in in_2025


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("UBND các xã, phường, đặc khu", ["UBND các xã, phường, đặc khu"]),
        ("Sở Nông nghiệp và Môi trường", ["Sở Nông nghiệp và Môi trường"]),
        ("Liên minh HTX và DN", ["Liên minh Hợp tác xã và Doanh nghiệp thành phố"]),
        ("Sở NN&MT, Thuế thành phố Hải Phòng", ["Sở Nông nghiệp và Môi trường", "Thuế thành phố Hải Phòng"]),
        (
            "Sở Văn hóa, Thể thao và Du lịch, UBND các xã, phường, đặc khu",
            ["Sở Văn hóa, Thể thao và Du lịch", COMMUNES],
        ),
    ],
)
def test_names_with_commas_and_va_are_one_body(registry: AgencyRegistry, cell: str, expected: list[str]) -> None:
    assert [m.name for m in registry.split_names(cell)] == expected


def test_a_cell_is_split_only_into_known_bodies() -> None:
    """In a registry that does not know today's names, the phrase is kept whole instead of split at "và" or
    commas into pieces that are no bodies."""
    bundled = AgencyRegistry.bundled()
    older = AgencyRegistry([a for a in bundled if a.name not in {"Sở Nông nghiệp và Môi trường", COMMUNES}])
    cells = {
        "Sở Nông nghiệp và Môi trường, Sở Tài chính": [(None, "Sở Nông nghiệp và Môi trường"), ("Sở Tài chính", "")],
        "Sở Tài chính, UBND các xã, phường, đặc khu": [("Sở Tài chính", ""), (None, "UBND các xã, phường, đặc khu")],
    }
    for cell, expected in cells.items():
        got = [(m.name, "" if m.name else m.text) for m in older.split_names(cell)]
        assert got == expected, cell


def test_importing_the_2026_plan_gives_todays_bodies(registry: AgencyRegistry) -> None:
    source = PLANS / "kh-2026-htx-topic-table.md"
    parsed = parse_plan_source(source.read_bytes(), name=source.name, registry=registry)
    tasks = {t.code: t for t in parsed.plan.tasks}
    assert tasks["I.3"].lead == (COMMUNES,)
    assert not [i for i in parsed.issues if i.code == "unknown-agency"]
    key = json.loads((PLANS / "kh-2026-htx-topic-table.key.json").read_text(encoding="utf-8"))
    for want in key["tasks"]:
        task = tasks[want["id"]]
        assert [registry.lookup(n) for n in want["lead"]] == [registry.get(n) for n in task.lead], want["id"]


def _registry(text: str) -> AgencyRegistry:
    agencies, edges = read_registry(text, source="tinh.toml")
    return AgencyRegistry(agencies, edges)


BASE = """
[[agency]]
name = "Sở A"
kind = "department"
[[agency]]
name = "Sở B"
kind = "department"
ended = 2025-03-01
"""


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            '[[succession]]\npredecessors = ["Sở C"]\nsuccessor = "Sở A"\nkind = "merge"\neffective = 2025-03-01\n',
            "tinh.toml: succession #1: unknown agency 'Sở C'; add an [[agency]] block",
        ),
        (
            '[[succession]]\npredecessors = ["Sở B"]\nsuccessor = "Sở A"\nkind = "merge"\neffective = 2025-06-01\n',
            "dates out of order",
        ),
        (
            '[[succession]]\npredecessors = ["Sở B"]\nsuccessor = "Sở A"\nkind = "merge"\neffective = 2025-03-01\n'
            '[[succession]]\npredecessors = ["Sở A"]\nsuccessor = "Sở B"\nkind = "rename"\n',
            "succession cycle",
        ),
        ('[[succession]]\npredecessors = ["Sở B"]\nsuccessor = "Sở A"\nkind = "joined"\n', "'kind' must be one of"),
        ('[[succession]]\npredecessors = ["Sở A"]\nsuccessor = "Sở A"\nkind = "rename"\n', "cannot succeed itself"),
        ('[[agency]]\nname = "Sở D"\nkind = "department"\nestablished = 2025-01-01\nended = 2024-01-01\n', "not after"),
        ('[[agency]]\nname = "Sở E"\nkind = "department"\nended = "01/7/2025"\n', "'ended' must be a date"),
    ],
)
def test_bad_registry_data_names_the_file_the_entry_and_the_fix(extra: str, message: str) -> None:
    with pytest.raises(RegistryError, match=message.replace("(", r"\(").replace("[", r"\[")):
        _registry(BASE + extra)


def test_another_province_uses_its_own_file(tmp_path: Path) -> None:
    extra = tmp_path / "tinh.toml"
    extra.write_text(
        BASE + '[[succession]]\npredecessors = ["Sở B"]\nsuccessor = "Sở A"\nkind = "merge"\neffective = 2025-03-01\n'
        'act = "Quyết định số 1/QĐ-UBND ngày 28/02/2025"\n',
        encoding="utf-8",
    )
    registry = AgencyRegistry.bundled(extra)
    assert registry.succession.heirs("Sở B", on=date(2026, 1, 1)) == ["Sở A"]
    assert registry.succession.heirs("Sở Kế hoạch và Đầu tư", on=date(2026, 1, 1)) == ["Sở Tài chính"]
