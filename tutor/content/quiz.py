"""The end-of-lesson quiz: loaded from TOML, validated strictly, scored without Qt.

Answers are option indices in the data file's order; a view may show options in another order
(see `shuffled_order`) but must map clicks back to data indices before scoring.
"""

from __future__ import annotations

import random
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tutor.resources import resource_path

QUESTION_COUNT = 4
MIN_OPTIONS = 3
MAX_OPTIONS = 4


@dataclass(frozen=True)
class QuizOption:
    """One answer to a question, with why it is right or wrong (shown after answering)."""

    text: str
    explanation: str


@dataclass(frozen=True)
class QuizQuestion:
    """A question, its 3–4 options in file order, and the index of the right one."""

    prompt: str
    options: tuple[QuizOption, ...]
    correct: int

    @property
    def correct_option(self) -> QuizOption:
        """The right answer."""
        return self.options[self.correct]


@dataclass(frozen=True)
class Quiz:
    """The quiz as loaded from resources/quiz.toml: a title and QUESTION_COUNT questions."""

    title: str
    questions: tuple[QuizQuestion, ...]


@dataclass(frozen=True)
class QuizResult:
    """How an attempt went: whether each question, in order, was answered right."""

    correct: tuple[bool, ...]

    @property
    def score(self) -> int:
        """Questions answered right."""
        return sum(self.correct)

    @property
    def total(self) -> int:
        """Questions asked."""
        return len(self.correct)


class QuizError(ValueError):
    """The quiz file is missing, not TOML, or breaks one of the quiz rules."""


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _question_label(number: int, prompt: str | None) -> str:
    if not prompt:
        return f"question {number}"
    short = prompt if len(prompt) <= 50 else prompt[:47] + "..."
    return f"question {number} ({short!r})"


def _parse_option(label: str, number: int, raw: object) -> QuizOption:
    where = f"{label}, option {number}"
    if not isinstance(raw, dict):
        raise QuizError(f"{where}: each [[questions.options]] entry must be a table")
    text = _text(raw.get("text"))
    if text is None:
        raise QuizError(f"{where}: 'text' is missing or empty")
    explanation = _text(raw.get("explanation"))
    if explanation is None:
        raise QuizError(f"{where} ({text!r}): 'explanation' is missing or empty")
    return QuizOption(text=text, explanation=explanation)


def _parse_question(number: int, raw: object) -> QuizQuestion:
    if not isinstance(raw, dict):
        raise QuizError(f"question {number}: each [[questions]] entry must be a table")
    prompt = _text(raw.get("prompt"))
    label = _question_label(number, prompt)
    if prompt is None:
        raise QuizError(f"{label}: 'prompt' is missing or empty")
    raw_options = raw.get("options")
    if not isinstance(raw_options, list):
        raise QuizError(f"{label}: no [[questions.options]] given")
    if not MIN_OPTIONS <= len(raw_options) <= MAX_OPTIONS:
        raise QuizError(
            f"{label}: has {len(raw_options)} options; "
            f"each question needs {MIN_OPTIONS} to {MAX_OPTIONS}"
        )
    options = tuple(
        _parse_option(label, index, option) for index, option in enumerate(raw_options, start=1)
    )
    texts = [option.text for option in options]
    if len(set(texts)) != len(texts):
        raise QuizError(f"{label}: two options have the same text")
    correct = raw.get("correct")
    if not isinstance(correct, int) or isinstance(correct, bool):
        raise QuizError(f"{label}: 'correct' must be the index (from 0) of the right option")
    if not 0 <= correct < len(options):
        raise QuizError(
            f"{label}: 'correct' = {correct} is out of range; "
            f"valid indices are 0 to {len(options) - 1}"
        )
    return QuizQuestion(prompt=prompt, options=options, correct=correct)


def parse_quiz(text: str, source: str = "quiz") -> Quiz:
    """Build a Quiz from TOML text; QuizError (prefixed with `source`) when it is not valid."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise QuizError(f"{source}: invalid TOML: {exc}") from None
    try:
        title = _text(data.get("title"))
        if title is None:
            raise QuizError("'title' is missing or empty")
        raw_questions = data.get("questions")
        if not isinstance(raw_questions, list):
            raise QuizError("no [[questions]] given")
        if len(raw_questions) != QUESTION_COUNT:
            raise QuizError(
                f"has {len(raw_questions)} questions; the quiz needs exactly {QUESTION_COUNT}"
            )
        questions = tuple(
            _parse_question(number, raw) for number, raw in enumerate(raw_questions, start=1)
        )
    except QuizError as exc:
        raise QuizError(f"{source}: {exc}") from None
    return Quiz(title=title, questions=questions)


def load_quiz(name: str = "multiprocessing", path: Path | None = None) -> Quiz:
    """Load and validate `resources/quiz/<name>.toml` (or `path` when given)."""
    path = path or resource_path("quiz", f"{name}.toml")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise QuizError(f"cannot read the quiz file {path}: {exc.strerror or exc}") from None
    return parse_quiz(text, source=path.name)


def score_quiz(quiz: Quiz, answers: Sequence[int | None]) -> QuizResult:
    """Score answers given as data-order option indices; None (unanswered) counts as wrong.

    ValueError when the number of answers differs from the number of questions, or an answer
    is not a valid option index.
    """
    if len(answers) != len(quiz.questions):
        raise ValueError(
            f"expected {len(quiz.questions)} answers (one per question), got {len(answers)}"
        )
    marks: list[bool] = []
    for number, (question, answer) in enumerate(zip(quiz.questions, answers, strict=True), 1):
        if answer is not None and (
            not isinstance(answer, int)
            or isinstance(answer, bool)
            or not 0 <= answer < len(question.options)
        ):
            raise ValueError(
                f"question {number}: answer {answer!r} is not an option index "
                f"(0 to {len(question.options) - 1}) or None"
            )
        marks.append(answer is not None and answer == question.correct)
    return QuizResult(correct=tuple(marks))


def shuffled_order(option_count: int, rng: random.Random) -> tuple[int, ...]:
    """A display order for a question's options: a permutation of the data indices."""
    if option_count < 1:
        raise ValueError(f"option_count must be at least 1, got {option_count}")
    order = list(range(option_count))
    rng.shuffle(order)
    return tuple(order)
