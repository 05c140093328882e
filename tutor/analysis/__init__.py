"""What measured runs mean: Amdahl fits, time breakdowns, start-up costs, report text.

Qt-free and free of the layers above, like the engine; it reads the engine's records and
never runs anything itself (docs/architecture.md, Layers).
"""
