"""Clocks for the ``Clock`` port: the system clock for production, a fixed one for tests
and demos. Services never call ``datetime.now()`` themselves."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo


class SystemClock:
    """The real time, in UTC; "today" in a tenant's time zone."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self, time_zone: str = "UTC") -> date:
        return self.now().astimezone(ZoneInfo(time_zone)).date()


class FixedClock:
    """A clock that stands still until moved: ``FixedClock(datetime(2026, 1, 31, tzinfo=UTC))``."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at

    def now(self) -> datetime:
        return self._at

    def today(self, time_zone: str = "UTC") -> date:
        return self._at.astimezone(ZoneInfo(time_zone)).date()

    def set(self, at: datetime) -> None:
        self._at = at

    def advance(self, **delta: float) -> None:
        self._at += timedelta(**delta)
