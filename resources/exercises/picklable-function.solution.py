"""Square 0 … 999 in a process pool and add up the squares."""

from multiprocessing import Pool


def square(n):
    # Defined at the top level: a worker can import it by its name.
    return n * n


if __name__ == "__main__":
    with Pool(2) as pool:
        squares = pool.map(square, range(1000))
    print("sum of the squares:", sum(squares))
