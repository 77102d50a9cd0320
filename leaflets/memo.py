"""A bounded memo: what was made once is taken again, and the least recently used is forgotten when
the memo is full, so memory stays flat however long a build runs (use order: dicts keep insertion
order, and a hit is moved to the end)."""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


def recalled(memo: dict, key: Hashable):
    """``memo[key]``, moved to the end as the most recently used; None if it is not there."""
    value = memo.pop(key, None)
    if value is not None:
        memo[key] = value
    return value


def kept(memo: dict, key: Hashable, limit: int, value: T) -> T:
    """``value`` kept as ``memo[key]``, the entry used longest ago forgotten when ``limit`` are held."""
    if len(memo) >= limit:
        del memo[next(iter(memo))]
    memo[key] = value
    return value


def remembered(memo: dict, key: Hashable, limit: int, make: Callable[[], T]) -> T:
    """``memo[key]``, made by ``make()`` the first time; the entry used longest ago forgotten when
    ``limit`` are held (a hit moves its entry to the end: what every PDF uses, such as the languages
    box's font subsets, stays however many one-off entries pass through)."""
    value = recalled(memo, key)
    return value if value is not None else kept(memo, key, limit, make())
