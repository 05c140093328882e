"""Sum the squares below 600,000 in three parts, one per process."""

from multiprocessing import Process

LIMIT = 600_000
PARTS = 3


def add_squares(low, high, totals):
    totals.append(sum(n * n for n in range(low, high)))


if __name__ == "__main__":
    totals = []
    step = LIMIT // PARTS
    workers = [
        Process(target=add_squares, args=(part * step, (part + 1) * step, totals))
        for part in range(PARTS)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(f"sum of the squares below {LIMIT}: {sum(totals)}")
