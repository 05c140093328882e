"""The collector paused while the window loads and is built, and always switched back on
(#15: start-up of a returning learner's window; tutor/startup_gc.py says why)."""

from __future__ import annotations

import gc
import weakref

import pytest
from python_probe import run_probe

from tutor.startup_gc import collection_paused


@pytest.fixture(autouse=True)
def collector_as_found():
    """Every test leaves the collector on and nothing frozen, as the other tests expect."""
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()
    else:
        gc.disable()


class Node:
    """A cycle of one: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_no_automatic_collection_inside_and_the_collector_back_on_after():
    gc.enable()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_what_lives_at_the_end_is_frozen_out_of_later_passes():
    gc.enable()
    gc.unfreeze()
    with collection_paused():
        kept = [Node() for _ in range(100)]
    assert gc.get_freeze_count() >= len(kept)


def test_a_cycle_made_after_the_block_is_still_collected():
    gc.enable()
    with collection_paused():
        pass
    node = Node()
    gone = weakref.ref(node)
    del node
    gc.collect()
    assert gone() is None


def test_a_failure_inside_still_switches_the_collector_back_on():
    gc.enable()
    with pytest.raises(RuntimeError), collection_paused():
        raise RuntimeError("building the window failed")
    assert gc.isenabled()


def test_only_the_outermost_block_switches_it_back_on():
    gc.enable()
    with collection_paused():
        with collection_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    with collection_paused():
        pass
    assert not gc.isenabled()


PROBE = """
import gc, json
import tutor.app
print(json.dumps({"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}))
"""


def test_importing_the_app_leaves_the_collector_on_with_its_modules_frozen():
    state = run_probe(PROBE)
    assert state["enabled"] is True
    assert state["frozen"] > 10_000  # the modules' objects, out of every later full pass
