"""The agency registry: loading, alias lookup, splitting coordinator cells, groups, extra files and bad data."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.agencies import AgencyRegistry, parse_registry
from knowledge.errors import RegistryError
from knowledge.records import Agency, AgencyKind

LHTX = "Liên minh Hợp tác xã và Doanh nghiệp thành phố"
SO_NGANH = "Các Sở, ngành liên quan"
QUAN_HUYEN = "UBND các quận, huyện"
KHDT = "Sở Kế hoạch và Đầu tư"
KINDS: tuple[str, ...] = get_args(AgencyKind)


def test_bundled_registry_loads_with_kinds_and_groups(registry: AgencyRegistry) -> None:
    assert len(registry) >= 40
    assert KHDT in registry
    khdt = registry.get(KHDT)
    assert khdt is not None and khdt.kind == "department" and khdt.short == "Sở KH&ĐT"
    group = registry.get(QUAN_HUYEN)
    assert group is not None and group.kind == "group"
    assert "UBND huyện Tiên Lãng" in group.members
    assert all(member in registry for member in group.members)
    assert all(unicodedata.is_normalized("NFC", a.name) for a in registry)
    assert {a.kind for a in registry} <= set(KINDS) - {"unknown"}


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Liên minh HTX và DN, các Sở, ngành liên quan, UBND các quận, huyện", [LHTX, SO_NGANH, QUAN_HUYEN]),
        ("Liên minh HTX và DN thành phố, UBND các quận, huyện", [LHTX, QUAN_HUYEN]),
        ("Các Sở, ngành, UBND các quận, huyện", [SO_NGANH, QUAN_HUYEN]),
        ("Sở Khoa học và Công nghệ, UBND các quận, huyện", ["Sở Khoa học và Công nghệ", QUAN_HUYEN]),
        (
            "Các Sở, ngành có liên quan, UBND các quận, huyện, các hợp tác xã trên địa bàn thành phố.",
            [SO_NGANH, QUAN_HUYEN, "Các hợp tác xã"],
        ),
        (
            "Các Sở, ngành có liên quan, UBND các quận, huyện, các cơ quan thông tấn báo chí.",
            [SO_NGANH, QUAN_HUYEN, "Các cơ quan thông tấn báo chí"],
        ),
        ("Các phòng chuyên môn của UBND quận, huyện", ["Các phòng chuyên môn của UBND quận, huyện"]),
        ("UBND các quận, huyện.", [QUAN_HUYEN]),
        ("Sở KH&ĐT và Sở Tài chính", [KHDT, "Sở Tài chính"]),
        ("", []),
    ],
)
def test_split_names_on_the_seed_coordinator_cells(registry: AgencyRegistry, cell: str, expected: list[str]) -> None:
    mentions = registry.split_names(cell)
    assert [m.name for m in mentions] == expected


def test_split_names_on_one_agency_per_line(registry: AgencyRegistry) -> None:
    """A cell with an agency on each line (a Word line break), one of them unknown: each line is its own part."""
    mentions = registry.split_names("Sở Xây dựng\nCông ty TNHH Môi trường đô thị")
    assert [(m.name, m.text) for m in mentions] == [
        ("Sở Xây dựng", "Sở Xây dựng"),
        (None, "Công ty TNHH Môi trường đô thị"),
    ]


def test_split_names_returns_unknown_parts_without_a_name(registry: AgencyRegistry) -> None:
    cell = "Liên minh HTX và DN, Trung tâm Sáng tạo Xanh, UBND các quận, huyện"
    mentions = registry.split_names(cell)
    assert [(m.name, m.text) for m in mentions] == [
        (LHTX, "Liên minh HTX và DN"),
        (None, "Trung tâm Sáng tạo Xanh"),
        (QUAN_HUYEN, "UBND các quận, huyện"),
    ]
    for mention in mentions:
        assert cell[mention.start : mention.end] == mention.text


def test_mention_spans_index_the_text_as_given(registry: AgencyRegistry) -> None:
    cell = unicodedata.normalize("NFD", "Sở KH & ĐT, Sở T\u200bài chính, UBND các quận, huyện")
    mentions = registry.split_names(cell)
    assert [m.name for m in mentions] == [KHDT, "Sở Tài chính", QUAN_HUYEN]
    assert [m.text for m in mentions] == ["Sở KH & ĐT", "Sở Tài chính", "UBND các quận, huyện"]
    for mention in mentions:
        assert unicodedata.normalize("NFC", cell[mention.start : mention.end]).replace("\u200b", "") == mention.text


def test_a_name_typed_with_other_letters_is_another_word(registry: AgencyRegistry) -> None:
    """ "số du lịch" (digital tourism) folds like "Sở Du lịch"; its marks tell it apart. Without marks, or with a tone
    typed wrong, it is still the department."""
    assert [m.name for m in registry.find_mentions("bản đồ số du lịch đêm")] == []
    for text in ("so du lich lam gi", "Sỡ Du lịch làm gì", "Sở Du lịch làm gì"):
        assert [m.name for m in registry.find_mentions(text)] == ["Sở Du lịch"], text


def test_find_mentions_in_free_text(registry: AgencyRegistry) -> None:
    text = "Giao Sở Tài chính chủ trì phối hợp với Sở Kế hoạch và Đầu tư, Liên minh Hợp tác xã và Doanh nghiệp"
    assert [m.name for m in registry.find_mentions(text)] == ["Sở Tài chính", KHDT, LHTX]


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("SƠ KẾ HOẠCH VÀ ĐẦU TƯ", KHDT),
        ("SỐ TÀI CHÍNH", "Sở Tài chính"),
        ("SỐ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("SỞ TÀI NGUYÊN MÔI TRƯỜNG", "Sở Tài nguyên và Môi trường"),
        ("SỞ THÔNG TIN TRUYỀN THÔNG", "Sở Thông tin và Truyền thông"),
        ("CẢNH SÁT PHÒNG CHÁY CHỮA CHÁY", "Cảnh sát Phòng cháy và chữa cháy thành phố"),
        ("NGÂN HÀNG NHÀ NƯỚC VIỆT NAM - CHI NHÁNH TP HẢI PHÒNG", "Ngân hàng Nhà nước Việt Nam - Chi nhánh Hải Phòng"),
        ("CỤC THUẾ THÀNH PHỐ", "Cục Thuế thành phố"),
        ("LIÊN MINH HTX VÀ DN TP", LHTX),
        ("MẶT TRẬN TỔ QUỐC THÀNH PHỐ", "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố"),
        ("UBND CÁC QUẬN, HUYỆN", QUAN_HUYEN),
    ],
)
def test_lookup_of_seed_headings_including_typos(registry: AgencyRegistry, heading: str, expected: str) -> None:
    agency = registry.lookup(heading)
    assert agency is not None and agency.name == expected


@pytest.mark.parametrize(
    ("abbreviation", "expected"),
    [
        ("Sở KH&ĐT", KHDT),
        ("Sở KH & ĐT", KHDT),
        ("SKHĐT", KHDT),
        ("KHĐT", KHDT),
        ("skhdt", KHDT),
        ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("Sở TN&MT", "Sở Tài nguyên và Môi trường"),
        ("Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
        ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
        ("LMHTX", LHTX),
        ("NHNN", "Ngân hàng Nhà nước Việt Nam - Chi nhánh Hải Phòng"),
        ("PCCC", "Cảnh sát Phòng cháy và chữa cháy thành phố"),
        ("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố"),
        ("so tai chinh", "Sở Tài chính"),
        ("Uỷ ban nhân dân huyện Kiến Thuỵ", "UBND huyện Kiến Thụy"),
    ],
)
def test_lookup_of_abbreviations(registry: AgencyRegistry, abbreviation: str, expected: str) -> None:
    agency = registry.lookup(abbreviation)
    assert agency is not None and agency.name == expected


def test_lookup_needs_the_whole_text_to_be_a_name(registry: AgencyRegistry) -> None:
    assert registry.lookup("Sở Tài chính thành phố Hải Phòng") == registry.get("Sở Tài chính")
    assert registry.lookup("Sở Tài chính và Sở Y tế") is None
    assert registry.lookup("") is None


def test_groups_of_a_district(registry: AgencyRegistry) -> None:
    assert QUAN_HUYEN in [g.name for g in registry.groups_of("UBND huyện Tiên Lãng")]
    assert registry.groups_of(KHDT) == []


def test_resolve_fuzzy_for_typos_but_not_for_garbage(registry: AgencyRegistry) -> None:
    folded_typo = registry.resolve("Sở Giao thông vận tãi")
    assert folded_typo is not None and folded_typo.agency.name == "Sở Giao thông vận tải"
    typo = registry.resolve("Sở Giao thông vân tả")
    assert typo is not None and typo.agency.name == "Sở Giao thông vận tải"
    assert not typo.exact and 88 <= typo.score < 100
    exact = registry.resolve("Sở GTVT")
    assert exact is not None and exact.exact and exact.score == 100
    assert registry.resolve("Sở Y tếxyz abc") is None
    assert registry.resolve("xyz không có") is None
    assert registry.resolve("") is None


# -- extra files and bad data --------------------------------------------------------------------------------------


def test_extra_file_adds_an_agency_and_overrides_one(tmp_path: Path) -> None:
    extra = tmp_path / "extra.toml"
    extra.write_text(
        """
[[agency]]
name = "Trung tâm Sáng tạo Xanh"
kind = "department"
short = "TTSTX"
aliases = ["TT Sáng tạo Xanh"]

[[agency]]
name = "Sở Y tế"
kind = "department"
short = "Sở YT"
aliases = ["SYT", "Sở YT", "Sở Y tế Hải Phòng"]
""",
        encoding="utf-8",
    )
    registry = AgencyRegistry.bundled(extra)
    base = AgencyRegistry.bundled()
    assert len(registry) == len(base) + 1
    added = registry.lookup("tt sáng tạo xanh")
    assert added is not None and added.name == "Trung tâm Sáng tạo Xanh"
    overridden = registry.get("Sở Y tế")
    assert overridden is not None and overridden.short == "Sở YT"
    assert registry.lookup("Sở Y tế Hải Phòng") == overridden
    assert registry.lookup(KHDT) == base.lookup(KHDT)


def test_with_agencies_adds_unknown_agencies() -> None:
    base = AgencyRegistry.bundled()
    extended = base.with_agencies([Agency(name="Trung tâm Sáng tạo Xanh", kind="unknown")])
    assert "Trung tâm Sáng tạo Xanh" in extended and "Trung tâm Sáng tạo Xanh" not in base


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[[agency]]\nname = 'Sở A'\nkind = ", "not valid TOML"),
        ("[[agency]]\nname = 'Sở A'\nkind = 'ministry'\n", "unknown kind 'ministry'"),
        ("[[agency]]\nkind = 'department'\n", "'name' must be a non-empty string"),
        ("[[agency]]\nname = 'Sở A'\naliases = 'SA'\n", "must be lists of strings"),
        ("agency = 3\n", "array of tables"),
    ],
)
def test_malformed_registry_data_is_a_clear_error(toml: str, message: str) -> None:
    with pytest.raises(RegistryError) as info:
        parse_registry(toml, source="extra.toml")
    assert "extra.toml" in str(info.value)
    assert message in str(info.value)


def test_malformed_extra_file_names_the_file(tmp_path: Path) -> None:
    extra = tmp_path / "broken.toml"
    extra.write_text("[[agency]]\nname = 'Sở A'\nkind = 'ministry'\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"broken\.toml: agency #1 \(Sở A\): unknown kind 'ministry'"):
        AgencyRegistry.bundled(extra)
    with pytest.raises(RegistryError, match="cannot read agency file"):
        AgencyRegistry.bundled(tmp_path / "missing.toml")


def test_alias_shared_by_two_agencies_is_an_error(tmp_path: Path) -> None:
    extra = tmp_path / "extra.toml"
    extra.write_text("[[agency]]\nname = 'Sở Tài chính mới'\naliases = ['STC']\n", encoding="utf-8")
    with pytest.raises(RegistryError) as info:
        AgencyRegistry.bundled(extra)
    message = str(info.value)
    assert "'STC'" in message and "Sở Tài chính" in message and "Sở Tài chính mới" in message
    with pytest.raises(RegistryError, match="names both"):
        AgencyRegistry(
            [
                Agency(name="Sở A", kind="department", aliases=("S A",)),
                Agency(name="Sở B", kind="department", aliases=("s-a",)),
            ]
        )


# -- properties ----------------------------------------------------------------------------------------------------

_CELL_TEXT = st.lists(
    st.sampled_from(
        [
            "Liên minh HTX và DN",
            "các Sở, ngành liên quan",
            "UBND các quận, huyện",
            "Sở KH & ĐT",
            "Sở Tài chính",
            "Trung tâm X",
            "và",
            ",",
            ";",
            " ",
            ".",
            "&",
            "(",
            "\u200b",
            "\u0301",
            "thành phố",
        ]
    )
    | st.text(max_size=5),
    max_size=12,
).map("".join)


@given(st.text() | _CELL_TEXT)
def test_split_names_never_raises_and_spans_are_within_the_text(text: str) -> None:
    registry = _REGISTRY
    previous_end = 0
    for mention in registry.split_names(text):
        assert previous_end <= mention.start < mention.end <= len(text)
        assert mention.text
        assert mention.name is None or mention.name in registry
        previous_end = mention.end
    previous_end = 0
    for mention in registry.find_mentions(text):
        assert previous_end <= mention.start < mention.end <= len(text)
        assert mention.name in registry
        previous_end = mention.end


_REGISTRY = AgencyRegistry.bundled()


def test_a_name_ending_in_thanh_pho_is_also_typed_tp() -> None:
    registry = AgencyRegistry.bundled().with_agencies(
        [Agency(name="Bảo hiểm xã hội thành phố", kind="unknown", aliases=("BHXH thành phố",))]
    )
    for typed in ("BHXH TP làm gì", "bảo hiểm xã hội tp", "Công an TP"):
        assert [m.name for m in registry.find_mentions(typed)] in (
            ["Bảo hiểm xã hội thành phố"],
            ["Công an thành phố"],
        ), typed


def test_a_body_a_plan_names_answers_without_its_city_and_never_takes_another_name() -> None:
    """A body the registry lacks is also found without the city at the end of its name; a name (or such a form)
    another body already answers to stays that body's, and never stops the registry from building."""
    registry = AgencyRegistry.bundled().with_agencies(
        [
            Agency(name="Hiệp hội Doanh nghiệp thành phố Hải Phòng", kind="unknown"),
            Agency(name="Công an thành phố Hải Phòng mới", kind="unknown", aliases=("Công an TP",)),
        ]
    )
    assert [m.name for m in registry.find_mentions("Hiệp hội Doanh nghiệp thành phố có việc gì")] == [
        "Hiệp hội Doanh nghiệp thành phố Hải Phòng"
    ]
    assert [m.name for m in registry.find_mentions("Công an TP")] == ["Công an thành phố"]
