"""Square 300 sensor readings on two worker processes and add up the squares."""

from multiprocessing import Pool


def make_readings():
    # Every 37th reading arrives garbled.
    return [str(n) if n % 37 else f"?{n}" for n in range(1, 301)]


def square_reading(text):
    value = int(text)
    return value * value


if __name__ == "__main__":
    with Pool(2) as pool:
        squares = pool.map(square_reading, make_readings())
    print("total:", sum(squares))
    print("skipped:", 0)
