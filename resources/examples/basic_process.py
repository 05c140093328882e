"""The basic pattern: create Process objects, start() them, join() them.

Each worker does some CPU-heavy arithmetic, then prints its result with its own process id
(os.getpid()) to show that it really is a separate process. Run it with:  python basic_process.py
"""

import multiprocessing
import os
import time
from multiprocessing import Process


def crunch(name: str, count: int) -> None:
    """Runs inside a child process: add up the squares below `count`."""
    began = time.perf_counter()
    total = 0
    for i in range(count):
        total += i * i
    seconds = time.perf_counter() - began
    print(
        f"{name}: pid {os.getpid()} (parent {os.getppid()}) "
        f"summed {count:,} squares = {total:,} in {seconds:.2f} s",
        flush=True,
    )


if __name__ == "__main__":
    # Everything that starts processes lives under this guard (the lesson explains why).
    print(f"parent: pid {os.getpid()}", flush=True)
    print(f"parent: start method is {multiprocessing.get_start_method()!r}", flush=True)

    workers = [Process(target=crunch, args=(f"worker {number}", 5_000_000)) for number in (1, 2)]
    for worker in workers:
        worker.start()  # the child begins running crunch(...) now
    print("parent: both workers started, waiting for them...", flush=True)
    for worker in workers:
        worker.join()  # block until this child has finished
        print(f"parent: {worker.name} exited with code {worker.exitcode}", flush=True)
    print("parent: done", flush=True)
