"""deploy/: the systemd unit and the compose file run a command the CLI has, with variables the settings know."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app
from bot.settings import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
KNOWN_VARIABLES = {name.upper() for name in Settings.model_fields}


def _unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=True, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / "taskbot.service", encoding="utf-8")
    return parser


def test_systemd_unit_runs_taskbot_run_with_restart_and_hardening() -> None:
    unit = _unit()
    assert set(unit.sections()) == {"Unit", "Service", "Install"}
    service = unit["Service"]
    program, *arguments = service["ExecStart"].split()
    assert Path(program).name == "taskbot" and arguments == ["run"]
    assert service["EnvironmentFile"].startswith("/")
    assert service["Restart"] == "on-failure"
    for option in ("NoNewPrivileges", "ProtectSystem", "ProtectHome", "PrivateTmp"):
        assert option in service
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_the_command_the_deploy_files_run_exists_in_the_cli() -> None:
    result = CliRunner().invoke(app, ["run", "--help"])
    assert result.exit_code == 0
    assert "--listen" in result.output


def test_compose_file_names_only_known_variables_and_checks_healthz() -> None:
    text = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    bot = text.split("\n  bot:\n", 1)[1]
    environment = bot.split("    environment:\n", 1)[1].split("\n    ports:", 1)[0]
    names = re.findall(r"^      ([A-Z_]+):", environment, flags=re.MULTILINE)
    assert names and set(names) <= KNOWN_VARIABLES
    assert set(re.findall(r"\$\{([A-Z_]+)\}", text)) <= KNOWN_VARIABLES
    assert '"taskbot", "run"' in bot
    assert "/healthz" in bot
    assert "condition: service_healthy" in bot
    assert "pg_isready" in text.split("\n  bot:\n", 1)[0]
