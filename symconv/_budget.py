"""Time and size budgets for every search symconv runs.

A search (a claim's counterexample hunt, a design space, an alignment walk, a
plot, a table) is given a :class:`Budget` and calls :meth:`Budget.tick` as it
goes.  When the budget runs out the search stops by itself and reports what it
covered: the caller catches :class:`BudgetExhausted` and answers *undecided* or
*too large* with :attr:`BudgetExhausted.reason`, never runs on.

>>> b = Budget(seconds=10.0, items=3, what="configurations")
>>> for _ in range(3):
...     b.tick()
>>> b.tick()
Traceback (most recent call last):
...
symconv._budget.BudgetExhausted: stopped after 3 configurations (the limit is 3)
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from dataclasses import dataclass, field

__all__ = ["Budget", "BudgetExhausted", "DEFAULT_SECONDS", "SEARCH_SECONDS"]

#: the default time budget of one command (``--timeout``), in seconds
DEFAULT_SECONDS = 5.0

SEARCH_SECONDS: ContextVar[float] = ContextVar("SEARCH_SECONDS", default=DEFAULT_SECONDS)
"""The time a search (a design space's enumeration) may take: :data:`DEFAULT_SECONDS` in
Python, the command's ``--timeout`` on the command line."""


class BudgetExhausted(Exception):
    """A search ran out of its time or size budget; ``reason`` says which and how far it got."""

    def __init__(self, reason: str, done: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.done = done


@dataclass
class Budget:
    """A deadline and an item count, checked cheaply by :meth:`tick`.

    ``seconds=None`` or ``items=None`` means that side is unbounded; the clock
    is read only every ``every`` ticks, so a tick costs a counter increment.
    """

    seconds: float | None = DEFAULT_SECONDS
    items: int | None = None
    what: str = "steps"
    every: int = 256
    done: int = field(default=0, init=False)
    _deadline: float | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.seconds is not None:
            self._deadline = time.monotonic() + self.seconds

    def tick(self, n: int = 1) -> None:
        """Count ``n`` items; raise :class:`BudgetExhausted` past either limit."""
        if self.items is not None and self.done + n > self.items:
            raise BudgetExhausted(
                f"stopped after {self.done} {self.what} (the limit is {self.items})", self.done)
        before = self.done
        self.done += n
        if self._deadline is not None and (self.done // self.every != before // self.every or n > 1):
            self.check_time()

    def check_time(self) -> None:
        """Raise :class:`BudgetExhausted` if the deadline has passed."""
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise BudgetExhausted(
                f"stopped by the {self.seconds:g} s timeout after {self.done} {self.what}", self.done)

    @property
    def remaining(self) -> float | None:
        """Seconds left before the deadline (``None`` when there is none)."""
        return None if self._deadline is None else max(0.0, self._deadline - time.monotonic())
