"""Square 300 sensor readings on two worker processes and add up the squares."""

from multiprocessing import Pool


def make_readings():
    # Every 37th reading arrives garbled.
    return [str(n) if n % 37 else f"?{n}" for n in range(1, 301)]


def square_reading(text):
    try:
        value = int(text)
    except ValueError:
        return None  # this item failed; the others still count
    return value * value


if __name__ == "__main__":
    with Pool(2) as pool:
        squares = pool.map(square_reading, make_readings())
    good = [square for square in squares if square is not None]
    print("total:", sum(good))
    print("skipped:", len(squares) - len(good))
