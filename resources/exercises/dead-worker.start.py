"""Square 20 items on two worker processes; item 13 kills its worker."""

import os
from multiprocessing import Pool


def risky(n):
    if n == 13:
        os._exit(1)  # the process vanishes, as after a crash or an out-of-memory kill
    return n * n


if __name__ == "__main__":
    with Pool(2) as pool:
        results = pool.map(risky, range(20))
    print("results:", results)
