"""The panels a learner works in: run panel, lesson, editor, console, exercises, experiments."""
