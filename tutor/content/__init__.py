"""Qt-free teaching content: the lesson, its runnable examples, lesson links and the quiz.

Everything here reads data from `resources/` and returns frozen records; nothing imports Qt,
so the loaders can be tested with plain pytest and used by the CLI as well as the UI.
"""
