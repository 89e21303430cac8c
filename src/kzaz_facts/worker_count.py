"""How many worker processes a run starts: decided before the pool's modules are loaded,
so a run too small for workers never loads them."""

from __future__ import annotations

import os

# Below this many documents per worker, starting workers costs more than it saves.
MIN_TASKS_PER_WORKER = 8


def worker_count(jobs: int, tasks: int) -> int:
    """How many worker processes ``--jobs`` asks for, given the number of tasks.

    >>> worker_count(2, 1000), worker_count(2, 5), worker_count(0, 1000) >= 1
    (2, 1, True)
    """
    wanted = jobs if jobs > 0 else default_jobs()
    return max(1, min(wanted, tasks // MIN_TASKS_PER_WORKER))


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
