"""Live between moderators on PostgreSQL: NOTIFY (ids only, inside the action's
transaction, so sent on commit) and a LISTEN connection; ``whoami``."""

from __future__ import annotations

from reactieveld.store.pg.base import PgBase


class Live(PgBase):
    pass
