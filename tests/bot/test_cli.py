"""The ``taskbot`` command line, driven for real: settings from the environment, a fresh SQLite file per test."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from bot.cli import app

TASK_KEYS = {
    "plan",
    "id",
    "section",
    "section_title",
    "content",
    "lead",
    "coordinators",
    "product",
    "time_text",
    "recurrence",
    "deadlines",
    "deadline_reasons",
    "schedule",
}

PLAN_MD = """Số: 12/KH-UBND

Hải Phòng, ngày 10 tháng 3 năm 2026

## KẾ HOẠCH

Triển khai chuyển đổi số trong khu vực kinh tế tập thể giai đoạn 2026 - 2027

### IV. TỔ CHỨC THỰC HIỆN

1. Các Sở, ngành báo cáo kết quả, gửi về Sở Kế hoạch và Đầu tư trước ngày 20 tháng 12 hằng năm.

| STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Sản phẩm | Thời gian hoàn thành |
|---|---|---|---|---|---|
| I | **Hoàn thiện thể chế** | | | | |
| 1 | Xây dựng quy chế chia sẻ dữ liệu | Sở TT&TT | Sở KH&ĐT | Quy chế | Quý IV năm 2026 |
| 2 | Tuyên truyền về chuyển đổi số | Sở Y tế | Trung tâm Sáng tạo Xanh | Tin bài | Khi có yêu cầu |
"""


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Settings come from the environment only: a database in tmp_path, no .env file, no extra agencies."""
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("TASKBOT_AGENCIES_FILE", raising=False)
    monkeypatch.setenv("TASKBOT_LOG_LEVEL", "WARNING")
    return {"DATABASE_URL": url}


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def run_json(*args: str) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == 0, (result.output, result.stderr, result.exception)
    return json.loads(result.stdout)


def test_plans_lists_the_seeded_plan(env: dict[str, str]) -> None:
    result = run("plans")
    assert result.exit_code == 0, result.output
    assert "435/KH-UBND" in result.stdout
    [plan] = run_json("plans")
    assert plan["number"] == "435/KH-UBND" and plan["tasks"] == 43
    assert plan["issued_on"] == "2018-05-23" and plan["period"] == "2018-2020"
    assert plan["reporting_date"] == "15/11"


def test_agencies_json(env: dict[str, str]) -> None:
    agencies = {a["name"]: a for a in run_json("agencies")}
    assert agencies["Sở Tài chính"]["lead_tasks"] == 3
    assert agencies["UBND các quận, huyện"]["kind"] == "group"
    assert "Sở Y tế" not in agencies  # no task
    every = {a["name"] for a in run_json("agencies", "--all")}
    assert "Sở Y tế" in every and set(agencies) <= every


def test_agencies_as_of_a_day_lists_the_bodies_in_existence(env: dict[str, str]) -> None:
    in_2018 = {a["name"] for a in run_json("agencies", "--as-of", "2018-06-01")}
    in_2026 = {a["name"] for a in run_json("agencies", "--as-of", "01/12/2026")}
    assert {"Sở Kế hoạch và Đầu tư", "UBND huyện Tiên Lãng"} <= in_2018 - in_2026
    assert {"Sở Nông nghiệp và Môi trường", "UBND phường Lê Chân"} <= in_2026 - in_2018
    assert "Sở Tài chính" in in_2018 & in_2026
    bad = run("agencies", "--as-of", "31/02/2026")
    assert bad.exit_code == 2 and "không hợp lệ" in bad.output


def test_agencies_history_shows_changes_with_days_acts_and_sources(env: dict[str, str]) -> None:
    history = run_json("agencies", "history", "Sở NN&MT")
    assert history["name"] == "Sở Nông nghiệp và Môi trường" and history["established"] == "2025-03-01"
    [origin] = history["origins"]
    assert set(origin["predecessors"]) == {"Sở Nông nghiệp và Phát triển nông thôn", "Sở Tài nguyên và Môi trường"}
    assert origin["effective"] == "2025-03-01" and "45/2025/NĐ-CP" in origin["act"] and origin["url"]
    text = run("agencies", "history", "sở kh&đt")
    assert text.exit_code == 0 and "Sở Tài chính — hợp nhất, 01/03/2025" in text.output
    unknown = run("agencies", "history", "Sở Bịa Đặt")
    assert unknown.exit_code == 2 and "Không nhận ra cơ quan" in unknown.output


def test_tasks_json_contract(env: dict[str, str]) -> None:
    tasks = run_json("tasks")
    assert len(tasks) == 43
    for task in tasks:
        assert set(task) == TASK_KEYS, task["id"]
        assert task["plan"] == "435/KH-UBND"
        assert task["deadlines"] == sorted(task["deadlines"]), task["id"]
        assert len(task["deadline_reasons"]) == len(task["deadlines"])
        if task["recurrence"] == "continuous":
            assert task["deadlines"] == []
    by_id = {t["id"]: t for t in tasks}
    yearly = by_id["XV.6"]
    assert yearly["recurrence"] == "yearly"
    assert yearly["deadlines"] == ["2018-11-15", "2019-11-15", "2020-11-15"]
    assert all("IV.4" in reason for reason in yearly["deadline_reasons"])
    assert by_id["XVI.5"]["deadlines"] == ["2018-06-30"]
    assert by_id["I.1"]["lead"] == ["Sở Kế hoạch và Đầu tư"]


def test_tasks_of_an_agency_by_folded_name(env: dict[str, str]) -> None:
    tasks = run_json("tasks", "--agency", "so tai chinh")
    assert [t["id"] for t in tasks] == ["II.1", "II.2", "II.3"]


def test_tasks_of_a_district_include_its_group_tasks(env: dict[str, str]) -> None:
    tasks = run_json("tasks", "--agency", "UBND huyện Tiên Lãng")
    assert [t["id"] for t in tasks] == ["XVI.1", "XVI.2", "XVI.3", "XVI.4", "XVI.5", "XVI.6"]
    table = run("tasks", "--agency", "UBND huyện Tiên Lãng")
    assert table.exit_code == 0 and "6 nhiệm vụ" in table.stdout


def test_tasks_of_a_known_agency_without_tasks_is_empty(env: dict[str, str]) -> None:
    assert run_json("tasks", "--agency", "Sở Y tế") == []


def test_tasks_of_an_unknown_agency_is_a_usage_error(env: dict[str, str]) -> None:
    result = run("tasks", "--agency", "xyz không có", "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Không nhận ra cơ quan “xyz không có”" in result.stderr


def test_import_a_markdown_plan(env: dict[str, str], tmp_path: Path) -> None:
    plan = tmp_path / "kh-12.md"
    plan.write_text(PLAN_MD, encoding="utf-8")
    summary = run_json("import", str(plan))
    assert {"plan", "tasks", "agencies", "warnings"} <= set(summary)
    assert summary["plan"] == "12/KH-UBND" and summary["tasks"] == 2 and summary["created"] is True
    assert {w["code"] for w in summary["warnings"]} == {"unknown-agency", "unparsed-time"}
    assert summary["agencies"] >= 3
    assert [p["number"] for p in run_json("plans")] == ["435/KH-UBND", "12/KH-UBND"]
    assert [t["id"] for t in run_json("tasks", "--agency", "Sở Y tế")] == ["I.2"]
    dry = run_json("import", str(plan), "--dry-run")
    assert dry["dry_run"] is True and (dry["tasks_unchanged"], dry["tasks_changed"], dry["tasks_new"]) == (2, 0, 0)
    plan.write_text(PLAN_MD.replace("Tuyên truyền", "Tuyên truyền, phổ biến"), encoding="utf-8")
    preview = run("import", str(plan), "--dry-run")
    assert preview.exit_code == 0 and "Chạy thử (chưa ghi gì)" in preview.stdout
    assert "1 thay đổi, 1 giữ nguyên" in preview.stdout
    assert all("phổ biến" not in t["content"] for t in run_json("tasks", "--plan", "12"))  # nothing written
    again = run_json("import", str(plan))
    assert again["created"] is False and (again["tasks_changed"], again["tasks_unchanged"]) == (1, 1)


def test_a_pdf_plan_dry_run_writes_nothing_then_imports(env: dict[str, str]) -> None:
    pdf = Path(__file__).parents[1] / "knowledge" / "data" / "plans" / "kh-2026-htx-topic-table.pdf"
    dry = run_json("import", str(pdf), "--dry-run", "--json")
    assert (dry["plan"], dry["dry_run"], dry["tasks_new"], dry["warnings"]) == ("38/KH-UBND", True, 25, [])
    assert [p["number"] for p in run_json("plans")] == ["435/KH-UBND"]  # nothing written
    done = run_json("import", str(pdf), "--json")
    assert done["dry_run"] is False and done["tasks_new"] == 25
    assert "38/KH-UBND" in [p["number"] for p in run_json("plans")]


def test_import_of_a_malformed_file_changes_nothing(env: dict[str, str], tmp_path: Path) -> None:
    before = run_json("tasks")
    plan = tmp_path / "broken.md"
    plan.write_text(PLAN_MD.replace("| 2 | Tuyên truyền", "| a) | Tuyên truyền"), encoding="utf-8")
    result = run("import", str(plan), "--json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Tệp broken.md: không hiểu số thứ tự" in result.stderr and "Chưa nhập gì" in result.stderr
    assert "broken.md" in result.stderr and "a)" in result.stderr
    missing = run("import", str(tmp_path / "missing.md"))
    assert missing.exit_code == 1 and "missing.md" in missing.stderr
    assert run_json("tasks") == before
    assert [p["number"] for p in run_json("plans")] == ["435/KH-UBND"]


def test_console_script_entry_point(env: dict[str, str]) -> None:
    script = shutil.which("taskbot", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "bot.cli"]
    completed = subprocess.run(
        [*command, "tasks", "--json"],
        env={**os.environ, **env},
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr.decode()
    tasks = json.loads(completed.stdout.decode("utf-8"))
    assert len(tasks) == 43 and set(tasks[0]) == TASK_KEYS


def test_ask_batch_survives_bad_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'batch.sqlite3'}")
    lines = (
        '{"q": "quá hạn", "as_of": 20181101}\nkhông phải json\n{"q": "xin chào"}\n'
        '{"q": "sắp đến hạn việc gì", "as_of": "9999-12-31"}\n{"q": "tháng 1 năm 0000 có hạn gì"}\n'
        '{"q": "xin chào", "as_of": "0001-01-01"}\n{"q": "Sở Tài chính có nhiệm vụ gì", "as_of": "31/12/2026"}\n'
    )
    result = CliRunner().invoke(app, ["ask", "--batch", "--json"], input=lines)
    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == 7 and all("error" in answers[i] for i in (0, 1, 3, 4, 5))
    assert answers[2]["intent"] == "greeting" and answers[6]["intent"] == "agency_tasks"  # one bad line ends nothing
    assert "31/12/9999 nằm ngoài khoảng" in answers[3]["error"] and "Năm 0000" in answers[4]["error"]


def test_ask_explain_prints_signals_rule_and_query(env: dict[str, str]) -> None:
    result = run("ask", "Sở Xây dựng có việc gì quá hạn", "--as-of", "2019-06-01", "--explain")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Tín hiệu (signals):" in out and "overdue" in out and "Sở Xây dựng" in out
    assert "Quy tắc (rule): overdue" in out
    assert "Truy vấn (query): shape=tasks" in out and "status='overdue'" in out
    assert "VI.1" in out  # the answer follows
    data = run_json("ask", "xin chào", "--explain")
    assert data["intent"] == "greeting" and data["explain"]["rule"] == "greeting"
    plain = run_json("ask", "xin chào")
    assert "explain" not in plain and set(plain) == {
        "intent", "agencies", "tasks", "text", "citations", "suggestions", "choices", "page", "pages"
    }  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [
        ("ask", "nhiệm vụ của tôi", "--agency", "Sở Giáo dục đào tạ0 xyz"),
        ("tasks", "--agency", "Sở Giáo dục đào tạ0 xyz"),
        ("export", "--format", "csv", "--agency", "Sở Giáo dục đào tạ0 xyz"),
        ("agencies", "history", "Sở Giáo dục đào tạ0 xyz"),
        ("reports", "list", "--agency", "Sở Giáo dục đào tạ0 xyz"),
    ],
)
def test_an_unknown_agency_is_a_usage_error_with_suggestions(env: dict[str, str], args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Không nhận ra cơ quan" in result.stderr and "Có phải: Sở Giáo dục và Đào tạo" in result.stderr


def test_chat_refuses_an_unknown_agency(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["chat", "--agency", "xyz không có"], input="")
    assert result.exit_code == 2 and "Không nhận ra cơ quan" in result.stderr
