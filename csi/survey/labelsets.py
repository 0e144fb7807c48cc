"""Answer scales known by their words: 非常满意…非常不满意, Strongly agree…, Excellent…Poor.

``csi init --from`` (:mod:`csi.survey.infer`) recognises a rating question from its answers.
A :class:`LabelSet` lists a scale's points from the lowest up, each point with the words
that mean it; its direction is in the words, not in the order a questionnaire listed them,
so "非常满意" is the top point whether the export's option 1 was 非常满意 or 非常不满意.

A *family* (Chinese satisfaction, English agreement, …) comes in several lengths; the words
a file uses pick the shortest one in which every word has a point of its own
(:func:`fit_family`): {不满意, 一般, 满意} is the 3-point scale, and adding 非常满意 makes it
the 5-point one. Answers such as "5分" or "10 - Extremely likely" carry their point in front
(:func:`numbered_point`).

>>> fam, points = fit_family(["非常满意", "满意", "一般", "不满意"])
>>> fam.name, sorted(points.items(), key=lambda kv: kv[1])
('满意 (zh satisfaction), 5 points', [('不满意', 2), ('一般', 3), ('满意', 4), ('非常满意', 5)])
>>> fit_family(["Strongly agree", "Agree", "Somewhat agree"])[0].name
'agree (en agreement), 7 points'
>>> is_missing_word("Don't know"), is_missing_word("一般")
(True, False)
>>> numbered_point("10 - Extremely likely"), numbered_point("5分"), numbered_point("1.5倍"), numbered_point("18-29")
(10, 5, None, None)

This module holds words only; it imports nothing heavy.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["LabelSet", "FAMILIES", "normalise", "fit_family", "best_family", "on_a_scale", "is_missing_word", "numbered_point", "strip_option_letter"]


@dataclass(frozen=True, slots=True)
class LabelSet:
    """One scale: ``points[i]`` holds the words of point i + 1 (normalised), the lowest
    first; ``shown`` the first of each as written."""

    name: str
    points: tuple[tuple[str, ...], ...]
    shown: tuple[str, ...] = ()

    def point(self, word: str) -> int | None:
        """The 1-based point of a normalised word, None when it is not on this scale."""
        for i, words in enumerate(self.points):
            if word in words:
                return i + 1
        return None


def normalise(text: str) -> str:
    """Text as answers are compared: NFKC, stripped, spaces collapsed, case folded.

    >>> normalise("  Very   Satisfied "), normalise("（跳过）")
    ('very satisfied', '(跳过)')
    """
    return " ".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()


def _set(family: str, *points: str) -> LabelSet:
    """A label set from ``"word|synonym"`` strings, the lowest point first (words normalised)."""
    return LabelSet(f"{family}, {len(points)} points", tuple(tuple(normalise(w) for w in p.split("|")) for p in points),
                    tuple(p.split("|")[0] for p in points))


_ZH_SAT = "满意 (zh satisfaction)"
_ZH_AGREE = "同意 (zh agreement)"
_ZH_GOOD = "好 (zh quality)"
_EN_SAT = "satisfied (en satisfaction)"
_EN_AGREE = "agree (en agreement)"
_EN_GOOD = "good (en quality)"
_EN_LIKELY = "likely (en likelihood)"
_EN_LEVEL = "high (en level)"
_ZH_OFTEN = "经常 (zh frequency)"
_EN_OFTEN = "often (en frequency)"
_EN_FAVOUR = "favorably (en favourability)"

#: Each family's lengths, shortest first. Synonyms share a point; a length whose words would
#: put two of a file's answers on one point does not fit it (see :func:`fit_family`).
FAMILIES: tuple[tuple[LabelSet, ...], ...] = (
    (
        _set(_ZH_SAT, "不满意|不太满意", "一般|中立|还行", "满意"),
        _set(_ZH_SAT, "非常不满意|很不满意|极不满意", "不满意|比较不满意|较不满意|不太满意", "一般|中立|还行|普通",
             "满意|比较满意|较满意", "非常满意|很满意|极其满意"),
        _set(_ZH_SAT, "非常不满意|很不满意|极不满意", "不满意", "比较不满意|较不满意|不太满意", "一般|中立",
             "比较满意|较满意", "满意", "非常满意|很满意|极其满意"),
    ),
    (
        _set(_ZH_AGREE, "不同意", "一般|中立|不确定", "同意"),
        _set(_ZH_AGREE, "非常不同意|完全不同意|很不同意", "不同意|比较不同意|不太同意", "一般|中立|不确定",
             "同意|比较同意", "非常同意|完全同意"),
        _set(_ZH_AGREE, "非常不同意|完全不同意|很不同意", "不同意", "比较不同意|不太同意", "一般|中立|不确定",
             "比较同意", "同意", "非常同意|完全同意"),
    ),
    (
        _set(_ZH_GOOD, "差", "一般", "好"),
        _set(_ZH_GOOD, "很差|非常差", "差|较差|比较差", "一般|中等", "好|较好|比较好|良好", "很好|非常好|优秀"),
    ),
    (
        _set(_EN_SAT, "Dissatisfied|Unsatisfied", "Neutral|Neither satisfied nor dissatisfied", "Satisfied"),
        _set(_EN_SAT, "Very dissatisfied|Extremely dissatisfied|Very unsatisfied|Completely dissatisfied",
             "Dissatisfied|Somewhat dissatisfied|Unsatisfied", "Neutral|Neither satisfied nor dissatisfied|Neither satisfied or dissatisfied",
             "Satisfied|Somewhat satisfied", "Very satisfied|Extremely satisfied|Completely satisfied"),
        _set(_EN_SAT, "Very dissatisfied|Extremely dissatisfied|Completely dissatisfied", "Dissatisfied|Moderately dissatisfied",
             "Somewhat dissatisfied|Slightly dissatisfied", "Neutral|Neither satisfied nor dissatisfied|Neither satisfied or dissatisfied",
             "Somewhat satisfied|Slightly satisfied", "Satisfied|Moderately satisfied",
             "Very satisfied|Extremely satisfied|Completely satisfied"),
    ),
    (
        _set(_EN_AGREE, "Disagree", "Neutral|Neither agree nor disagree", "Agree"),
        _set(_EN_AGREE, "Strongly disagree|Disagree strongly", "Disagree|Somewhat disagree|Disagree somewhat",
             "Neutral|Neither agree nor disagree|Neither agree or disagree", "Agree|Somewhat agree|Agree somewhat",
             "Strongly agree|Agree strongly"),
        _set(_EN_AGREE, "Strongly disagree|Disagree strongly", "Disagree", "Somewhat disagree|Slightly disagree|Disagree somewhat",
             "Neutral|Neither agree nor disagree|Neither agree or disagree", "Somewhat agree|Slightly agree|Agree somewhat", "Agree",
             "Strongly agree|Agree strongly"),
    ),
    (
        _set(_EN_GOOD, "Poor", "Fair", "Good", "Excellent"),
        _set(_EN_GOOD, "Poor", "Fair", "Good", "Very good", "Excellent"),
        _set(_EN_GOOD, "Very poor|Terrible", "Poor", "Average|Fair|Neutral", "Good", "Excellent|Very good"),
    ),
    (
        _set(_ZH_OFTEN, "从不|从来没有", "很少|偶尔", "有时", "经常", "总是"),
    ),
    (
        _set(_EN_OFTEN, "Never", "Rarely|Seldom", "Sometimes|Some of the time", "Often|Most of the time|Usually|Very often",
             "Always"),
    ),
    (
        _set(_EN_LEVEL, "Low", "Medium", "High"),
        _set(_EN_LEVEL, "Very low", "Low", "Medium|Moderate", "High", "Very high"),
    ),
    (
        _set(_EN_FAVOUR, "Very unfavorably|Very unfavourably|Very unfavorable|Very unfavourable",
             "Somewhat unfavorably|Somewhat unfavourably|Somewhat unfavorable|Somewhat unfavourable|Unfavorably|Unfavorable",
             "Neither favorably nor unfavorably (neutral)|Neither favorably nor unfavorably|Neither favourably nor unfavourably|"
             "Neutral",
             "Somewhat favorably|Somewhat favourably|Somewhat favorable|Somewhat favourable|Favorably|Favorable",
             "Very favorably|Very favourably|Very favorable|Very favourable"),
    ),
    (
        _set(_EN_LIKELY, "Very unlikely|Extremely unlikely", "Unlikely|Somewhat unlikely", "Neutral|Neither likely nor unlikely",
             "Likely|Somewhat likely", "Very likely|Extremely likely"),
    ),
)



#: Answers that mean "no answer" on any scale (compared normalised).
MISSING_WORDS = frozenset(normalise(w) for w in (
    "不适用", "不清楚", "不知道", "不了解", "无法评价", "无法回答", "说不清", "没接触过", "未使用过", "(跳过)", "(空)", "跳过",
    "N/A", "NA", "n.a.", "Not applicable", "Does not apply", "Don't know", "Dont know", "Don’t know", "Do not know",
    "Prefer not to say", "No opinion", "Not sure", "Unsure", "Unfamiliar (N/A)", "Unfamiliar",
))

# 腾讯问卷 writes a choice with its option letter: "A.非常满意"
_OPTION_LETTER = re.compile(r"^[A-Za-z]\s*[.．、)]\s*(?=\S)")
# "5分", "10 - Extremely likely", "0 (Not at all likely)", "7 = Very satisfied" — but not "1.5倍",
# nor a range such as an age band "18-29" or "1-5 years"
_NUMBERED = re.compile(r"^(\d{1,2})(?!\s*[-–—~～]\s*\d)(?:\s*分|\s*[-–—=:(（]|\s+[^\d.]|$)")


def strip_option_letter(text: str) -> str:
    """``"A.非常满意"`` → ``"非常满意"`` (the reader does the same when it maps labels)."""
    return _OPTION_LETTER.sub("", text.strip())


def is_missing_word(text: str) -> bool:
    """True for a "no answer" word: 不适用, Don't know, N/A, (跳过) …"""
    return normalise(strip_option_letter(text)) in MISSING_WORDS


def numbered_point(text: str) -> int | None:
    """The point a numbered answer carries in front (``"5分"`` → 5), None otherwise."""
    m = _NUMBERED.match(normalise(text))
    return int(m.group(1)) if m else None


def on_a_scale(word: str) -> bool:
    """True when ``word`` (an option letter in front allowed) is a point of some known scale."""
    key = normalise(strip_option_letter(word))
    return any(key in words for family in FAMILIES for label_set in family for words in label_set.points)


def fit_family(words: Iterable[str]) -> tuple[LabelSet, dict[str, int]] | None:
    """The shortest known scale on which each of ``words`` has a point of its own, and each
    word's point; None when no family has all of them (or two of them share a point).

    ``words`` are answers as in the file (an option letter in front is allowed); the keys
    of the mapping are the words as given, without their option letter.
    """
    for family in FAMILIES:
        fitted = _fit(family, words)
        if fitted is not None:
            return fitted
    return None


def best_family(counts: Mapping[str, int]) -> tuple[tuple[LabelSet, dict[str, int]], int] | None:
    """The scale that the most answers (``counts``: word → cells) are on, with the number of
    cells it covers: the words of one family that fit it; the others are stray answers.

    >>> (label_set, points), cells = best_family({"满意": 5, "一般": 3, "很好": 1})
    >>> label_set.name, cells
    ('满意 (zh satisfaction), 3 points', 8)
    """
    best = None
    for family in FAMILIES:
        words = [w for w in counts if any(normalise(strip_option_letter(w)) in ws for s in family for ws in s.points)]
        fitted = _fit(family, words)
        if fitted is not None:
            cells = sum(counts[w] for w in words)
            if best is None or cells > best[1]:
                best = (fitted, cells)
    return best


def _fit(family: Sequence[LabelSet], words: Iterable[str]) -> tuple[LabelSet, dict[str, int]] | None:
    given = {strip_option_letter(w) for w in words}
    keys = {w: normalise(w) for w in given}
    if len(set(keys.values())) < 2:
        return None
    for label_set in family:
        points = {w: label_set.point(k) for w, k in keys.items()}
        found = {p for p in points.values() if p is not None}
        if None not in points.values() and len(found) == len(points):
            return label_set, {w: p for w, p in points.items() if p is not None}
    return None
