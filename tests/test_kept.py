"""The caches' file format (:mod:`leaflets.kept`): marshal behind a checksum. Marshal allocates a
container at the size its data declares before reading an item, so junk must never reach it."""
import marshal

import pytest
from hypothesis import given, strategies as st

from leaflets import kept

VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text() | st.binary(),
                      lambda inner: st.lists(inner) | st.tuples(inner, inner)
                      | st.dictionaries(st.text(max_size=5), inner), max_leaves=20)


@given(VALUES)
def test_what_is_kept_is_read_back(value):
    assert kept.loads(kept.dumps(value)) == value


@given(st.binary(max_size=600))
def test_any_bytes_are_refused_unless_kept_whole(junk):
    with pytest.raises(ValueError):
        kept.loads(junk)
    data = kept.dumps(["a", 1, b"x"])
    for cut in range(len(data)):
        with pytest.raises(ValueError):
            kept.loads(data[:cut])


def test_a_size_marshal_would_allocate_never_reaches_it():
    bomb = b"[\xff\xff\xff\x7f"          # a list of 2,147,483,647 items: 16 GB, allocated before any is read
    with pytest.raises(ValueError):
        kept.loads(bomb)
    with pytest.raises(ValueError):
        kept.loads(kept.MAGIC + b"\x00\x00\x00\x00" + bomb)
    assert marshal.loads(marshal.dumps([1])) == [1]
