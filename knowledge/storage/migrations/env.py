"""Alembic environment: migrations run on the connection :mod:`knowledge.storage.database` hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

import knowledge.storage.audit_rows  # noqa: F401  - the audit log
import knowledge.storage.contact_rows  # noqa: F401  - contacts, invites, requests
import scheduler.report_storage  # noqa: F401  - progress reports
import scheduler.storage  # noqa: F401  - the outbox
from knowledge.storage.models import Base

config = context.config
connection = config.attributes.get("connection")
if not isinstance(connection, Connection):  # pragma: no cover - migrations always run through Database.migrate
    raise RuntimeError("run migrations through knowledge.storage.database.Database.migrate()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
