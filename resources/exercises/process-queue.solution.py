"""Sum the squares below 600,000 in three parts, one per process."""

from multiprocessing import Process, Queue

LIMIT = 600_000
PARTS = 3


def add_squares(low, high, results):
    results.put(sum(n * n for n in range(low, high)))


if __name__ == "__main__":
    results = Queue()
    step = LIMIT // PARTS
    workers = [
        Process(target=add_squares, args=(part * step, (part + 1) * step, results))
        for part in range(PARTS)
    ]
    for worker in workers:
        worker.start()
    total = sum(results.get() for _ in range(PARTS))  # read before joining
    for worker in workers:
        worker.join()
    print(f"sum of the squares below {LIMIT}: {total}")
