"""The connector registry: config ``type`` -> the factory that builds its connector.

Both the sync engine (:mod:`reactieveld.sync`, in the app's process) and the fetch child
(:mod:`reactieveld.fetchproc`) build connectors here, so neither imports the other for it.

:data:`CONNECTOR_TYPES` maps a config ``type`` to a factory
``(source_config, **kwargs) -> Connector``. A new platform registers itself with::

    from reactieveld.connectors.registry import register_connector
    register_connector("discourse", lambda cfg, **kw: DiscourseConnector.from_config(cfg, **kw))

(``reactieveld.sync`` re-exports these names, as before) or by adding a line to
:func:`_builtin_factories` (imports are lazy, so one broken connector module does not stop
the others). ``kwargs`` carries test hooks such as ``transport`` and ``sleep``; factories
may ignore what they do not use. ``source_config`` is a ``reactieveld.config.SourceConfig``,
typed ``Any`` as in the connectors' ``from_config``: connectors sit below the config layer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from reactieveld.connectors.base import Connector, ConnectorError
from reactieveld.i18n import stored, stored_key
from reactieveld.model import Capability

ConnectorFactory = Callable[..., Connector]


def _wordpress(cfg: Any, **kw: Any) -> Connector:
    from reactieveld.connectors.wordpress import WordPressConnector

    return WordPressConnector.from_config(cfg, **kw)


def _wpfeed(cfg: Any, **kw: Any) -> Connector:
    from reactieveld.connectors.wpfeed import WordPressFeedConnector

    return WordPressFeedConnector.from_config(cfg, **kw)


def _demo(cfg: Any, **kw: Any) -> Connector:
    from reactieveld.connectors.demo import DemoConnector

    from_config = getattr(DemoConnector, "from_config", None)
    if from_config is not None:
        connector: Connector = from_config(cfg)
        return connector
    return DemoConnector(cfg.name, **dict(cfg.options))


def _discourse(cfg: Any, **kw: Any) -> Connector:
    from reactieveld.connectors.discourse import DiscourseConnector

    return DiscourseConnector.from_config(cfg, **kw)


def _decidim(cfg: Any, **kw: Any) -> Connector:
    from reactieveld.connectors.decidim import DecidimConnector

    return DecidimConnector.from_config(cfg, **kw)


def _govocal(cfg: Any, **kw: Any) -> Connector:
    from reactieveld.connectors.govocal import GoVocalConnector

    return GoVocalConnector.from_config(cfg, **kw)


def _builtin_factories() -> dict[str, ConnectorFactory]:
    return {
        "wordpress": _wordpress,
        "wordpress-feed": _wpfeed,
        "demo": _demo,
        "discourse": _discourse,
        "decidim": _decidim,
        "govocal": _govocal,
    }


#: config ``type`` -> factory(source_config, **kwargs) -> Connector.
CONNECTOR_TYPES: dict[str, ConnectorFactory] = _builtin_factories()


def register_connector(type_name: str, factory: ConnectorFactory) -> None:
    """Make ``type = "<type_name>"`` in ``[[sources]]`` build connectors with ``factory``."""
    CONNECTOR_TYPES[type_name] = factory


def build_connector(source_config: Any, **kwargs: Any) -> Connector:
    """The connector for one ``SourceConfig``; raises ConnectorError for an unknown type."""
    factory = CONNECTOR_TYPES.get(source_config.type)
    if factory is None:
        known = ", ".join(sorted(CONNECTOR_TYPES))
        raise ConnectorError(
            source_config.name,
            stored("conn.unknown_type", type=source_config.type, known=known),
            retryable=False,
        )
    return factory(source_config, **kwargs)


class SecretUnset:
    """The connector of a source whose secret's environment variable is unset: each
    round fails with one line naming the variable (recorded as the source's state), each
    write-back waits for it (retried), and the other sources sync as ever."""

    capabilities: frozenset[Capability] = frozenset()
    unsupported_reasons: Mapping[Capability, str] = {}

    def __init__(self, source: str, key: str, variable: str) -> None:
        self.name = source
        self.error = ConnectorError(
            source, stored("conn.secret_unset", variable=variable, setting=key), retryable=False
        )

    async def fetch(self, cursor: str | None) -> Any:
        raise self.error
        yield  # an async generator, as every connector's fetch

    async def apply(self, action: Any) -> Any:
        # A decision waits (retried) for the secret, as for a site that is down.
        raise ConnectorError(self.name, self.error.message, retryable=True)

    async def aclose(self) -> None:
        return None


def said_secret_unset(error: str) -> bool:
    """Whether ``error`` (a source's stored error) is :class:`SecretUnset`'s: no server was
    asked, so its round's next try is no server's wait."""
    return stored_key(error) == "conn.secret_unset"


def secret_unset(source_config: Any) -> SecretUnset | None:
    """The connector of one ``SourceConfig`` when an environment variable its ``*_env``
    keys name is unset (:class:`SecretUnset`), else None (:func:`build_connector` makes
    it)."""
    missing = source_config.unset_secret()
    return None if missing is None else SecretUnset(source_config.name, *missing)
