"""The UI responsiveness and start-up benchmark, in parts (run tests/perf/ui_responsiveness.py).

No module here imports Qt at module level: spawned workers re-import the launching script.
"""
