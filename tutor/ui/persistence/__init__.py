"""What the tutor keeps between sessions: settings and the learner's progress, in QSettings."""
