"""How many answers run at once, shared by every answering path (REST, /v1, the chat page, gr.api).

`AnswerSlots.lease()` waits for a slot (or fails at once with `Busy` when the queue is full) and
returns a `Lease` that gives the slot back exactly once: when its `with` block ends, when it is
released by hand, or when it is garbage-collected, so a stream that is never iterated, or whose
client went away, cannot keep its slot.
"""
from __future__ import annotations

import threading
import weakref


class Busy(Exception):
    """Every answer slot is taken and the queue is full."""


class Lease:
    """One answer slot, held until released (idempotent)."""

    def __init__(self, slots: "AnswerSlots"):
        self._finalizer = weakref.finalize(self, slots._release)

    def release(self) -> None:
        self._finalizer()  # runs slots._release at most once, whoever calls first (or the GC)

    def __enter__(self) -> "Lease":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


class AnswerSlots:
    """At most `running` answers at once, at most `queued` waiting; beyond that, `Busy` at once."""

    def __init__(self, running: int, queued: int, wait_s: float = 120):
        self.capacity = running
        self.queued = queued
        self.wait_s = wait_s
        self._slots = threading.BoundedSemaphore(running)
        self._lock = threading.Lock()
        self._waiting = 0
        self._held = 0

    def lease(self) -> Lease:
        with self._lock:
            if self._waiting >= self.queued and not self._free_now():
                raise Busy
            self._waiting += 1
        try:
            if not self._slots.acquire(timeout=self.wait_s):
                raise Busy
        finally:
            with self._lock:
                self._waiting -= 1
        with self._lock:
            self._held += 1
        return Lease(self)

    def _free_now(self) -> bool:
        return self._held < self.capacity

    def _release(self) -> None:
        with self._lock:
            self._held -= 1
        self._slots.release()

    def stats(self) -> dict:
        """{"running", "waiting", "capacity", "queue"}: what /api/health reports."""
        with self._lock:
            return {"running": self._held, "waiting": self._waiting, "capacity": self.capacity, "queue": self.queued}
