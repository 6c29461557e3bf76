"""No line ends ``taskbot ask --batch`` (issue #14): fuzzed lines — random questions, days from year 1 to 9999 in
both date forms, junk dates, junk agencies, JSON of the wrong shape and plain garbage — each get exactly one JSON
answer or a Vietnamese error for that line, and the batch always runs to its end."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bot.cli import app

_LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
FRAGMENTS = ["tháng 1 năm 0000 có hạn gì", "quá hạn", "Sở Tài chính", "năm 9999", "quý 5", "ngày 31/02", "XV.6", "?"]

days = st.dates(date(1, 1, 1), date(9999, 12, 31))
as_of = st.one_of(
    days.map(date.isoformat),
    days.map(lambda d: f"{d.day:02d}/{d.month:02d}/{d.year:04d}"),
    st.sampled_from(["9999-12-31", "0000-01-01", "0001-01-01", "31/12/9999", "2026-13-01", "", "hôm qua"]),
    st.text(max_size=20),
    st.integers(),
    st.none(),
)
question = st.one_of(st.text(max_size=80), st.lists(st.sampled_from(FRAGMENTS), max_size=4).map(" ".join))
json_line = st.fixed_dictionaries(
    {"q": st.one_of(question, st.integers(), st.none())},
    optional={"as_of": as_of, "agency": st.one_of(st.text(max_size=30), st.sampled_from(["Sở Tài chính", ""]))},
).map(lambda item: json.dumps(item, ensure_ascii=False))
junk_line = st.text(max_size=60).map(lambda text: "".join(c for c in text if c not in _LINE_BREAKS))
batch = st.lists(st.one_of(json_line, json_line, junk_line), min_size=1, max_size=25)


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'fuzz.sqlite3'}")
    monkeypatch.delenv("TASKBOT_AGENCIES_FILE", raising=False)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=batch)
def test_every_batch_line_gets_one_answer_and_the_batch_goes_on(database: None, lines: list[str]) -> None:
    result = CliRunner().invoke(app, ["ask", "--batch", "--json"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.stdout.split("\n") if line]  # JSON Lines: "\n" ends a line
    assert len(answers) == sum(1 for line in lines if line.strip())
    for answer in answers:
        assert ("error" in answer) != ("intent" in answer)
        if "error" in answer:
            message = answer["error"].split(": ", 1)[1]
            assert message and "Traceback" not in message
