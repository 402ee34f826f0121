"""Ids are UUIDv7: unique, and ordered as they were made, across threads too."""

from __future__ import annotations

import threading
import uuid
from unittest import mock

from customer_master import ids
from customer_master.ids import new_id


def test_ids_made_one_after_the_other_sort_in_that_order() -> None:
    made = [new_id() for _ in range(20_000)]
    assert made == sorted(made)
    assert len(set(made)) == len(made)


def test_an_id_is_a_uuid_version_7_whose_time_is_when_it_was_made() -> None:
    with mock.patch.object(ids.time, "time_ns", return_value=1_767_225_600_000 * 1_000_000):
        value = uuid.UUID(new_id())
    assert value.version == 7
    assert value.variant == uuid.RFC_4122
    assert value.int >> 80 >= 1_767_225_600_000


def test_a_clock_stepping_back_does_not_break_the_order() -> None:
    before = new_id()
    with mock.patch.object(ids.time, "time_ns", return_value=0):
        after = [new_id() for _ in range(3)]
    assert [before, *after] == sorted([before, *after])
    assert len({before, *after}) == 4


def test_threads_never_make_the_same_id() -> None:
    made: list[list[str]] = [[] for _ in range(4)]

    def make(into: list[str]) -> None:
        into.extend(new_id() for _ in range(5_000))

    threads = [threading.Thread(target=make, args=(into,)) for into in made]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [i for into in made for i in into]
    assert len(set(everything)) == len(everything)
    assert all(into == sorted(into) for into in made)
