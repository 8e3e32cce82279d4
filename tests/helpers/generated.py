"""Settings of the generated tests that run on a store or a served site (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings


def store_examples(n: int) -> settings:
    """``n`` examples of a test whose examples share a function's fixture (a store, a
    served site) and each take a while; no deadline, as the suite's profile (conftest)."""
    return settings(
        max_examples=n,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
