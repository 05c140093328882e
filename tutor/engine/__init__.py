"""Qt-free engine: workloads, chunking, runners and timing records.

Kept import-light on purpose: every worker process imports this package.
"""
