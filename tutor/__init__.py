"""Multiprocessing Tutor: learn why threads don't speed up CPU-bound Python, and processes do.

This package must stay free of Qt imports at module level: spawned worker processes import it.
"""

__version__ = "0.1.0"
