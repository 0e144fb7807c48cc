"""Answer scales known by their words: which length fits, which way round, what is no answer."""

from __future__ import annotations

import pytest

from csi.survey.labelsets import best_family, fit_family, is_missing_word, numbered_point


@pytest.mark.parametrize(("words", "points"), [
    # the same five words whichever order a questionnaire listed them in
    (["非常满意", "满意", "一般", "不满意", "非常不满意"], {"非常不满意": 1, "不满意": 2, "一般": 3, "满意": 4, "非常满意": 5}),
    (["非常不满意", "不满意", "一般", "满意", "非常满意"], {"非常不满意": 1, "不满意": 2, "一般": 3, "满意": 4, "非常满意": 5}),
    # three middle words: the 3-point scale
    (["不满意", "一般", "满意"], {"不满意": 1, "一般": 2, "满意": 3}),
    # 比较满意 beside 满意: only the 7-point scale gives them points of their own
    (["比较满意", "满意", "非常满意", "一般"], {"一般": 4, "比较满意": 5, "满意": 6, "非常满意": 7}),
    (["A.非常同意", "B.同意", "C.不同意"], {"非常同意": 5, "同意": 4, "不同意": 2}),
    (["Agree strongly", "Disagree somewhat", "Neither agree nor disagree"],
     {"Disagree somewhat": 2, "Neither agree nor disagree": 3, "Agree strongly": 5}),
    (["Excellent", "Good", "Fair", "Poor"], {"Poor": 1, "Fair": 2, "Good": 3, "Excellent": 4}),
    (["Excellent", "Very good", "Good", "Fair", "Poor"], {"Poor": 1, "Fair": 2, "Good": 3, "Very good": 4, "Excellent": 5}),
    (["very SATISFIED", "Dissatisfied"], {"Dissatisfied": 2, "very SATISFIED": 5}),
    # SurveyMonkey's favourability matrix (FiveThirtyEight's Star Wars poll, tests/data/exports/real)
    (["Very favorably", "Somewhat unfavorably", "Neither favorably nor unfavorably (neutral)"],
     {"Somewhat unfavorably": 2, "Neither favorably nor unfavorably (neutral)": 3, "Very favorably": 5}),
])
def test_the_words_fix_the_points(words: list[str], points: dict[str, int]):
    fitted = fit_family(words)
    assert fitted is not None
    assert fitted[1] == points


@pytest.mark.parametrize("words", [["满意"], ["非常满意", "Strongly agree"], ["一组", "二组"], ["满意", "很好"]])
def test_words_of_no_one_scale_do_not_fit(words: list[str]):
    assert fit_family(words) is None


def test_the_scale_most_answers_are_on_leaves_the_others_stray():
    (label_set, points), cells = best_family({"满意": 50, "非常满意": 30, "一般": 10, "很好": 1})
    assert points == {"满意": 4, "非常满意": 5, "一般": 3} and cells == 90
    assert len(label_set.points) == 5


def test_no_answer_words_and_numbered_answers():
    assert all(is_missing_word(w) for w in ("不适用", "（跳过）", "N/A", "Don't know", "D.不清楚"))
    assert not any(is_missing_word(w) for w in ("一般", "Neutral", "不确定"))
    assert [numbered_point(w) for w in ("5分", "10 - Extremely likely", "0 (Not at all likely)", "7", "1.5倍", "很好")] == \
        [5, 10, 0, 7, None, None]


def test_a_range_is_not_a_numbered_answer():
    # age and duration bands of the same poll: "18-29" is no 18th point of a scale
    assert [numbered_point(w) for w in ("18-29", "1-5 years", "30 - 44", "10 - Extremely likely")] == [None, None, None, 10]
    assert is_missing_word("Unfamiliar (N/A)")
