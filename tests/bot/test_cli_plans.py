"""``taskbot plans`` with status, and ``plans archive|restore|remove``, driven for real on a fresh SQLite file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from bot.cli import app

PLAN_KEYS = {  # the keys ``plans --json`` had before plan status: kept
    "number",
    "title",
    "issuer",
    "issued_on",
    "period",
    "replaces",
    "signer",
    "signer_title",
    "reporting_date",
    "tasks",
    "objectives",
    "duties",
    "source",
    "source_hash",
}
NEW_KEYS = {
    "label",
    "short_title",
    "status",
    "archived",
    "end",
    "replaces_text",
    "city_reporting_date",
    "reporting_duties",
}

PLAN_MD = """Số: 12/KH-UBND

Hải Phòng, ngày 10 tháng 3 năm 2026

## KẾ HOẠCH

Triển khai chuyển đổi số trong khu vực kinh tế tập thể giai đoạn 2026 - 2027

| STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |
|---|---|---|---|---|
| 1 | Xây dựng quy chế chia sẻ dữ liệu | Sở Tài chính | Sở Nội vụ | Quý IV năm 2026 |
"""


@pytest.fixture(autouse=True)
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.delenv("TASKBOT_AGENCIES_FILE", raising=False)
    monkeypatch.setenv("TASKBOT_LOG_LEVEL", "WARNING")


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=stdin)


def plans(*args: str) -> dict[str, Any]:
    result = run("plans", "--json", *args)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return {p["number"]: p for p in json.loads(result.stdout)}


@pytest.fixture
def two_plans(tmp_path: Path) -> None:
    source = tmp_path / "kh-12.md"
    source.write_text(PLAN_MD, encoding="utf-8")
    assert run("import", str(source)).exit_code == 0


def test_json_keeps_its_keys_and_adds_status_and_facts() -> None:
    [plan] = plans("--as-of", "2026-12-15").values()
    assert set(plan) == PLAN_KEYS | NEW_KEYS
    assert plan["status"] == "ended" and plan["archived"] is False and plan["end"] == "2020-12-31"
    assert plan["label"] == "Kế hoạch 435/KH-UBND (2018–2020) — kinh tế tập thể"
    assert plan["short_title"] == "kinh tế tập thể"
    assert plan["city_reporting_date"] == "10/12" and plan["reporting_date"] == "15/11"
    assert plans("--as-of", "15/06/2019")["435/KH-UBND"]["status"] == "in_force"


def test_table_shows_status_in_vietnamese(two_plans: None) -> None:
    result = run("plans", "--as-of", "2026-12-15")
    assert result.exit_code == 0
    assert "Trạng thái" in result.stdout and "đã kết thúc" in result.stdout and "đang thực hiện" in result.stdout


def test_archive_then_restore(two_plans: None) -> None:
    archived = run("plans", "archive", "435")
    assert archived.exit_code == 0, archived.stderr
    assert archived.stdout.startswith("Đã lưu trữ Kế hoạch 435/KH-UBND (2018–2020) — kinh tế tập thể.")
    listed = plans("--as-of", "2026-12-15")
    assert (listed["435/KH-UBND"]["status"], listed["12/KH-UBND"]["status"]) == ("archived", "in_force")
    assert listed["435/KH-UBND"]["archived"] is True
    assert run("plans", "archive", "435/kh-ubnd").exit_code == 0  # idempotent
    restored = run("plans", "restore", "KH 435")
    assert restored.exit_code == 0 and restored.stdout.startswith("Đã khôi phục")
    assert plans("--as-of", "2026-12-15")["435/KH-UBND"]["status"] == "ended"


def test_remove_asks_and_a_no_changes_nothing(two_plans: None) -> None:
    declined = run("plans", "remove", "12", stdin="n\n")
    assert declined.exit_code == 1
    assert "Xóa Kế hoạch 12/KH-UBND (2026–2027)" in declined.stderr and "cùng 1 nhiệm vụ" in declined.stderr
    assert "Đã hủy; không có gì thay đổi." in declined.stderr
    assert set(plans()) == {"435/KH-UBND", "12/KH-UBND"}
    confirmed = run("plans", "remove", "12", stdin="y\n")
    assert confirmed.exit_code == 0 and "Đã xóa Kế hoạch 12/KH-UBND" in confirmed.stdout
    assert set(plans()) == {"435/KH-UBND"}


def test_remove_yes_skips_the_question_and_the_seed_does_not_come_back() -> None:
    removed = run("plans", "remove", "435", "--yes")
    assert removed.exit_code == 0, removed.stderr
    assert "cùng 43 nhiệm vụ" in removed.stdout
    assert plans() == {}  # the next start does not import the bundled plan again
    assert json.loads(run("tasks", "--json").stdout) == []


@pytest.mark.parametrize("command", ["archive", "restore", "remove"])
def test_unknown_number_is_a_usage_error(command: str) -> None:
    result = run("plans", command, "999", "--yes") if command == "remove" else run("plans", command, "999")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Không có kế hoạch số “999”. Các kế hoạch hiện có: 435/KH-UBND." in result.stderr


def test_missing_number_is_a_usage_error() -> None:
    assert run("plans", "archive").exit_code == 2


def test_bad_as_of_date_is_a_usage_error() -> None:
    result = run("plans", "--as-of", "31/02/2026")
    assert result.exit_code == 2 and "không hợp lệ" in result.stderr
