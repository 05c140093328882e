"""Square 20 items on two worker processes; item 13 kills its worker."""

import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool


def risky(n):
    if n == 13:
        os._exit(1)  # the process vanishes, as after a crash or an out-of-memory kill
    return n * n


if __name__ == "__main__":
    try:
        with ProcessPoolExecutor(max_workers=2) as executor:
            results = list(executor.map(risky, range(20)))
    except BrokenProcessPool:
        print("BrokenProcessPool: a worker process died, so the results are incomplete")
    else:
        print("results:", results)
