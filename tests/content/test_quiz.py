"""The quiz file follows the brief, and the loader rejects quizzes that break the rules."""

from __future__ import annotations

import random

import pytest

from tutor.content.quiz import (
    Quiz,
    QuizError,
    QuizOption,
    QuizQuestion,
    load_quiz,
    score_quiz,
    shuffled_order,
)


@pytest.fixture(scope="module")
def quiz() -> Quiz:
    return load_quiz()


def test_the_shipped_quiz_has_four_valid_questions(quiz: Quiz) -> None:
    assert quiz.title
    assert len(quiz.questions) == 4
    for question in quiz.questions:
        assert question.prompt
        assert 3 <= len(question.options) <= 4
        assert 0 <= question.correct < len(question.options)
        for option in question.options:
            assert option.text.strip()
            assert len(option.explanation.strip()) > 20
        assert len({option.text for option in question.options}) == len(question.options)


def test_questions_follow_the_brief_in_order(quiz: Quiz) -> None:
    gil, pool_map, guard, primes = quiz.questions
    assert "thread" in gil.prompt.lower() and "cpu" in gil.prompt.lower()
    assert "GIL" in gil.correct_option.text or "Global Interpreter Lock" in gil.correct_option.text

    assert "Pool.map" in pool_map.prompt
    right = pool_map.correct_option.text.lower()
    assert "parallel" in right and "order" in right and "process" in right

    assert '__name__ == "__main__"' in guard.prompt
    right = guard.correct_option.text.lower()
    assert "spawn" in right and "imports the main module" in right

    assert "10 million" in primes.prompt and "prim" in primes.prompt
    assert "multiprocessing" in primes.correct_option.text
    assert "ProcessPoolExecutor" in primes.correct_option.text


def test_explanations_hold_for_python_3_11_to_3_14(quiz: Quiz) -> None:
    gil, _, guard, _ = quiz.questions
    # Threads do compute in parallel inside C code that releases the GIL.
    assert "hashlib" in gil.correct_option.explanation
    assert "off by default" in gil.correct_option.explanation
    # The guard is not a Windows/macOS rule any more: Linux uses forkserver from 3.14.
    assert "forkserver" in guard.correct_option.explanation
    assert "3.14" in guard.correct_option.explanation
    assert "everywhere" in guard.correct_option.explanation
    every_explanation = " ".join(o.explanation for q in quiz.questions for o in q.options)
    assert "drop the GIL" not in every_explanation


def test_explanations_say_which_option_is_right(quiz: Quiz) -> None:
    for question in quiz.questions:
        for index, option in enumerate(question.options):
            starts_right = option.explanation.startswith("Right")
            assert starts_right == (index == question.correct), option.text


def test_scoring(quiz: Quiz) -> None:
    right = [q.correct for q in quiz.questions]
    wrong = [(q.correct + 1) % len(q.options) for q in quiz.questions]

    result = score_quiz(quiz, right)
    assert (result.score, result.total, result.correct) == (4, 4, (True,) * 4)
    assert score_quiz(quiz, wrong).score == 0
    assert score_quiz(quiz, [None] * 4).correct == (False,) * 4

    mixed = score_quiz(quiz, [right[0], None, wrong[2], right[3]])
    assert mixed.score == 2
    assert mixed.correct == (True, False, False, True)


@pytest.mark.parametrize("count", [0, 3, 5])
def test_scoring_needs_one_answer_per_question(quiz: Quiz, count: int) -> None:
    with pytest.raises(ValueError, match="expected 4 answers"):
        score_quiz(quiz, [0] * count)


@pytest.mark.parametrize("bad", [-1, 4, 99, True])
def test_scoring_rejects_impossible_answers(bad: object) -> None:
    question = QuizQuestion("Q?", tuple(QuizOption(t, "because") for t in "abcd"), correct=0)
    small = Quiz("t", (question,))
    with pytest.raises(ValueError, match="question 1"):
        score_quiz(small, [bad])  # type: ignore[list-item]


def test_shuffled_order_is_a_permutation_and_reproducible() -> None:
    for count in (1, 3, 4):
        order = shuffled_order(count, random.Random(7))
        assert sorted(order) == list(range(count))
        assert order == shuffled_order(count, random.Random(7))
    orders = {shuffled_order(4, random.Random(seed)) for seed in range(50)}
    assert len(orders) > 1
    with pytest.raises(ValueError):
        shuffled_order(0, random.Random())


# ---- invalid quiz files -------------------------------------------------------------------


def option(text: str, explanation: str | None = "why") -> str:
    lines = ["[[questions.options]]", f'text = "{text}"']
    if explanation is not None:
        lines.append(f'explanation = "{explanation}"')
    return "\n".join(lines) + "\n"


def question(prompt: str, correct: int = 0, options: int = 3, explanation: str | None = "why"):
    body = f'[[questions]]\nprompt = "{prompt}"\ncorrect = {correct}\n'
    texts = [f"{prompt} answer {n}" for n in range(options)]
    return body + "".join(
        option(text, explanation if n == 1 else "why") for n, text in enumerate(texts)
    )


def write_quiz(tmp_path, *questions: str, title: str = "A quiz"):
    path = tmp_path / "quiz.toml"
    path.write_text(f'title = "{title}"\n\n' + "\n".join(questions), encoding="utf-8")
    return path


def four(**changes_for_q3) -> list[str]:
    return [question(f"Q{n}", **(changes_for_q3 if n == 3 else {})) for n in range(1, 5)]


def test_a_minimal_valid_file_loads(tmp_path) -> None:
    quiz = load_quiz(path=write_quiz(tmp_path, *four()))
    assert [q.prompt for q in quiz.questions] == ["Q1", "Q2", "Q3", "Q4"]


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        (four()[:3], "has 3 questions; the quiz needs exactly 4"),
        ([*four(), question("Q5")], "has 5 questions"),
        (four(explanation=None), r"question 3 \('Q3'\), option 2 \('Q3 answer 1'\): 'explanation'"),
        (four(explanation="  "), r"question 3 .*option 2 .*'explanation' is missing or empty"),
        (four(correct=3), r"question 3 .*'correct' = 3 is out of range; valid indices are 0 to 2"),
        (four(correct=-1), r"question 3 .*'correct' = -1 is out of range"),
        (four(options=5), r"question 3 .*has 5 options; each question needs 3 to 4"),
        (four(options=2), r"question 3 .*has 2 options"),
    ],
    ids=[
        "three-questions",
        "five-questions",
        "missing-explanation",
        "blank-explanation",
        "correct-too-big",
        "correct-negative",
        "five-options",
        "two-options",
    ],
)
def test_invalid_quizzes_are_rejected_with_a_reason(tmp_path, questions, message) -> None:
    path = write_quiz(tmp_path, *questions)
    with pytest.raises(QuizError, match=message) as caught:
        load_quiz(path=path)
    assert str(caught.value).startswith("quiz.toml: ")


def test_other_broken_files(tmp_path) -> None:
    with pytest.raises(QuizError, match="cannot read"):
        load_quiz(path=tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("title = \n", encoding="utf-8")
    with pytest.raises(QuizError, match="invalid TOML"):
        load_quiz(path=bad)
    with pytest.raises(QuizError, match="'title'"):
        load_quiz(path=write_quiz(tmp_path, *four(), title=""))
    text = write_quiz(tmp_path, *four()).read_text().replace("correct = 0", 'correct = "a"', 1)
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(QuizError, match="question 1 .*'correct' must be the index"):
        load_quiz(path=bad)
    with pytest.raises(QuizError):
        load_quiz("no-such-quiz")


def test_quiz_error_is_a_value_error() -> None:
    assert issubclass(QuizError, ValueError)
