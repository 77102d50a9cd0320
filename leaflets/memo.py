"""A bounded memo: what was made once is taken again, and the oldest is forgotten when the memo is
full, so memory stays flat however long a build runs (insertion order: dicts keep it)."""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


def remembered(memo: dict, key: Hashable, limit: int, make: Callable[[], T]) -> T:
    """``memo[key]``, made by ``make()`` the first time; the oldest entry forgotten when ``limit`` are held."""
    value = memo.get(key)
    if value is None:
        if len(memo) >= limit:
            del memo[next(iter(memo))]
        value = memo[key] = make()
    return value
