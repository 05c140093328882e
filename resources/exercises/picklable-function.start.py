"""Square 0 … 999 in a process pool and add up the squares."""

from multiprocessing import Pool

if __name__ == "__main__":
    with Pool(2) as pool:
        squares = pool.map(lambda n: n * n, range(1000))
    print("sum of the squares:", sum(squares))
