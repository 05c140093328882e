"""The learner's progress: lesson sections read, quiz results and exercises, kept in QSettings.

Plain methods, no signals: every change is written and synced at once, so a crash loses nothing.
A sync that fails (disk full, no permission, the config folder is a file) is reported once to the
`save_failed` callback, so the window can tell the learner instead of losing progress silently.
Two windows open at once (two processes on one settings file) merge their progress: each change
first reloads what the file holds now (QSettings.sync), then adds to it, so neither window
overwrites what the other saved with its own older copy.

Section titles are stored as one JSON list (INI keys cannot hold every character a heading may
use, and QSettings' own list encoding turns a one-element list into a plain string).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime

from PySide6.QtCore import QSettings

_SECTIONS_KEY = "progress/sections_read"
_BEST_SCORE_KEY = "quiz/best_score"
_BEST_TOTAL_KEY = "quiz/best_total"
_BEST_DATE_KEY = "quiz/best_date"
_ATTEMPTS_KEY = "quiz/attempts"
_EXERCISES_KEY = "exercises/progress"


@dataclass(frozen=True)
class ExerciseRecord:
    """One exercise's saved progress: checks run, how many failed, hints shown, solved."""

    checks: int = 0
    failed: int = 0
    hints_shown: int = 0
    solved: bool = False


class ProgressStore:
    """Sections read and quiz best score / attempts / date of best, persisted immediately."""

    def __init__(self, settings: QSettings, save_failed: Callable[[], None] | None = None) -> None:
        self._settings = settings
        self._save_failed = save_failed
        self._failure_reported = False

    def _sync(self) -> None:
        self._settings.sync()
        if self._settings.status() == QSettings.Status.NoError or self._failure_reported:
            return
        self._failure_reported = True
        if self._save_failed is not None:
            self._save_failed()

    # -- lesson sections -------------------------------------------------------------------

    def sections_read(self) -> set[str]:
        """Titles of the lesson sections the learner has read."""
        raw = self._settings.value(_SECTIONS_KEY, "")
        if not isinstance(raw, str) or not raw:
            return set()
        try:
            titles = json.loads(raw)
        except ValueError:
            return set()
        if not isinstance(titles, list):
            return set()
        return {title for title in titles if isinstance(title, str)}

    def is_section_read(self, title: str) -> bool:
        return title in self.sections_read()

    def _reload(self) -> None:
        """Read what another process (a second window) saved since: merge, never overwrite."""
        self._settings.sync()

    def mark_section_read(self, title: str) -> bool:
        """Record that a section was read; return True when it was not recorded before."""
        self._reload()
        titles = self.sections_read()
        if title in titles:
            return False
        titles.add(title)
        self._settings.setValue(_SECTIONS_KEY, json.dumps(sorted(titles), ensure_ascii=False))
        self._sync()
        return True

    def clear_sections_read(self) -> None:
        self._settings.remove(_SECTIONS_KEY)
        self._sync()

    # -- exercises ---------------------------------------------------------------------------

    def exercise_records(self) -> dict[str, ExerciseRecord]:
        """Saved progress per exercise id (exercises never checked are absent)."""
        raw = self._settings.value(_EXERCISES_KEY, "")
        try:
            data = json.loads(raw) if isinstance(raw, str) and raw else {}
        except ValueError:
            return {}
        records = {}
        for exercise_id, fields in data.items() if isinstance(data, dict) else ():
            if not isinstance(fields, dict):
                continue
            try:
                records[exercise_id] = ExerciseRecord(
                    checks=max(0, int(fields.get("checks", 0))),
                    failed=max(0, int(fields.get("failed", 0))),
                    hints_shown=max(0, int(fields.get("hints_shown", 0))),
                    solved=fields.get("solved") is True,
                )
            except (TypeError, ValueError):
                continue  # a hand-edited entry: start that exercise afresh
        return records

    def exercise_record(self, exercise_id: str) -> ExerciseRecord:
        return self.exercise_records().get(exercise_id, ExerciseRecord())

    def record_exercise_check(self, exercise_id: str, passed: bool) -> ExerciseRecord:
        """Count one check of an exercise (a pass marks it solved for good); the new record."""
        self._reload()
        record = self.exercise_record(exercise_id)
        record = replace(
            record,
            checks=record.checks + 1,
            failed=record.failed + (0 if passed else 1),
            solved=record.solved or passed,
        )
        return self._save_exercise(exercise_id, record)

    def record_hint_shown(self, exercise_id: str, hints_shown: int) -> ExerciseRecord:
        """Remember how many hints of an exercise are revealed (never fewer than before)."""
        self._reload()
        record = self.exercise_record(exercise_id)
        record = replace(record, hints_shown=max(record.hints_shown, hints_shown))
        return self._save_exercise(exercise_id, record)

    def _save_exercise(self, exercise_id: str, record: ExerciseRecord) -> ExerciseRecord:
        records = self.exercise_records()
        records[exercise_id] = record
        data = {key: asdict(value) for key, value in sorted(records.items())}
        self._settings.setValue(_EXERCISES_KEY, json.dumps(data, ensure_ascii=False))
        self._sync()
        return record

    # -- quiz --------------------------------------------------------------------------------

    def record_quiz_attempt(self, score: int, total: int) -> bool:
        """Count an attempt; return True when it is a new best (the first attempt always is).

        Scores are compared as fractions of their totals; a tie is not a new best, so the date
        of best stays the date the best was first reached.
        """
        if total <= 0 or not 0 <= score <= total:
            raise ValueError(f"impossible quiz score {score}/{total}")
        self._reload()
        self._settings.setValue(_ATTEMPTS_KEY, self.attempts() + 1)
        best = self._best()
        is_new_best = best is None or score * best[1] > best[0] * total
        if is_new_best:
            self._settings.setValue(_BEST_SCORE_KEY, score)
            self._settings.setValue(_BEST_TOTAL_KEY, total)
            self._settings.setValue(_BEST_DATE_KEY, datetime.now().isoformat(timespec="seconds"))
        self._sync()
        return is_new_best

    def best_score(self) -> int | None:
        """The best score so far (out of `best_total()`), or None before the first attempt."""
        best = self._best()
        return None if best is None else best[0]

    def best_total(self) -> int | None:
        """How many questions the best attempt was scored out of, or None."""
        best = self._best()
        return None if best is None else best[1]

    def _best(self) -> tuple[int, int] | None:
        score = self._int_value(_BEST_SCORE_KEY)
        total = self._int_value(_BEST_TOTAL_KEY)
        if score is None or total is None or total <= 0 or not 0 <= score <= total:
            return None
        return score, total

    def attempts(self) -> int:
        """How many times the quiz was scored."""
        return self._int_value(_ATTEMPTS_KEY) or 0

    def best_date(self) -> date | None:
        """The day the best score was first reached, or None before the first attempt."""
        raw = self._settings.value(_BEST_DATE_KEY)
        if not isinstance(raw, str):
            return None
        try:
            return datetime.fromisoformat(raw).date()
        except ValueError:
            return None

    def _int_value(self, key: str) -> int | None:
        raw = self._settings.value(key)
        if raw is None:
            return None
        try:
            return int(raw)
        except (TypeError, ValueError):
            return None
