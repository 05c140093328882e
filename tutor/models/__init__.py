"""Qt-free models and plans the UI binds to: plain Python, tested with plain pytest.

The widgets show and edit these; the rules (ranges, what a sweep is, predict-then-measure)
live here, so they are tested without a window (see docs/architecture.md, "Layers").
"""
