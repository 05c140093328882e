# Your own workload. The tutor calls work(n) for
# every whole number n below N and adds up what it
# returns: first on one core (the baseline), then
# spread over N processes or N threads.
# Change it, then run it (Ctrl+Enter).
#
# Try: lighter (return n * 2), heavier (a longer
# loop), or waiting (import time, then
# time.sleep(0.001)): which wins, processes or
# threads?


def work(n):
    """Collatz steps: how long n takes to reach 1."""
    steps = 0
    while n > 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps
