"""Export formats ("presets") of survey platforms, recognised from the header rows.

A :class:`Preset` says how many header rows an export has, how they become column names,
and which of its columns are bookkeeping rather than answers: the respondent id (for
duplicate detection), the submit time, the time taken (for speeders), the columns that
identify a person (never copied into any output), and the answer codes that mean "not
shown / skipped".

Detection looks at the first columns of the first three rows of a sheet: every
``signature`` header of a preset must be in row 1, and a preset whose export has more
header rows also checks the rows below (an ``{"ImportId":…}`` third row for Qualtrics, a
blank second-row cell under "Respondent ID" for SurveyMonkey), so that a plain file whose
first data rows happen to sit there is never taken for one and loses no respondent.
Presets are tried in :data:`PRESETS` order, each in all its forms (:func:`forms`);
``plain`` (one header row, nothing known) is used when none matches. A new platform is one
more entry.

What each export looks like, and where that was checked (public exports and code reading
them; the platforms' own help pages where they say):

- ``wjx`` 问卷星: 序号, 提交答卷时间, 所用时间 ("120秒"), 来源, 来源详情, 来自IP, then "N、题干";
  matrix rows "N、题干—行标签".
- ``tencent`` 腾讯问卷 (wj.qq.com): one header row, every cell quoted and each line ending in a
  comma (a trailing empty column). 编号, 开始答题时间, 结束答题时间 in every export seen, from a
  2016 one (CSV-injection write-up on wj.qq.com, with 自定义字段 next) to current ones, which
  add 答题时长 (seconds, e.g. "11"), 地理位置国家和地区 / 地理位置省 / 地理位置市, 用户类型,
  用户标识, 昵称, 自定义字段, IP, UA, Referrer (Wsine/kindle-calendar's questionaire.csv
  template; analysis scripts of 2022–2025 exports that drop exactly these columns). Questions
  are "N.题干"; a choice is exported with its option letter ("A.非常满意"), a scale answer as its
  number, a multiple-choice option or sub-item as "N.题干:选项", a fill-in blank "N.题干_填空1".
- ``qualtrics``: CSV/TSV "come with 3 rows of headers" (Qualtrics support, Understanding Your
  Dataset): row 1 the field ids (StartDate, EndDate, Status, IPAddress, Progress, "Duration (in
  seconds)", Finished, RecordedDate, ResponseId, RecipientLastName, RecipientFirstName,
  RecipientEmail, ExternalReference, LocationLatitude, LocationLongitude, DistributionChannel,
  UserLanguage, then Q1, Q2_1 …), row 2 their text in the account's language ("Start Date" or
  "Anfangsdatum", question texts, matrix rows as "question - row"), row 3 ``{"ImportId":"QID1"}``
  (ropensci/qualtRics tests/testthat/files/sample.csv; davemosk/FinSL-signbank
  docs/validation_result_model.md). An Excel download has the first two rows only. The
  legacy export has two: V1…V10, Q1 … over ResponseID, ResponseSet, Name,
  ExternalDataReference, EmailAddress, IPAddress, Status, StartDate, EndDate, Finished and the
  question texts (qualtRics sample_legacy.csv). The 2016 layout has three: ResponseID,
  ResponseSet, IPAddress, …, Q2_1 …; the same ids over the question texts; and
  ``{'ImportId': 'QID2-1'}`` in single quotes (QualtricsTools' sample surveys).
- ``surveymonkey``: row 1 "Respondent ID", "Collector ID", "Start Date", "End Date", "IP
  Address", "Email Address", "First Name", "Last Name", "Custom Data 1", then the question
  texts, blank over the further columns of a question; row 2 blank under the metadata,
  "Response" / "Open-Ended Response" under a one-column question, the row label (or option,
  or "row - column") under each column of a matrix or multiple-choice question (a
  SurveyMonkey export quoted in full in the GGWash dc-election parser; data-cleaning scripts
  that drop those nine columns). Older exports wrote "RespondentID", "CollectorID",
  "StartDate", "EndDate", …, "LastName", "Custom Data". Shared copies often lack the
  metadata columns (deleted before the file was passed on); the second row still holds
  "Response" under a question and the row labels under a matrix, which is how they are known.
  FiveThirtyEight's published SurveyMonkey polls keep "RespondentID", or "StartDate" and
  "EndDate", in front of the questions (fivethirtyeight/data star-wars-survey and
  sleeping-alone-data; tests/data/exports/real).

>>> detect_preset(["序号", "提交答卷时间", "所用时间", "来源", "1、部门"]).name
'wjx'
>>> detect_preset(["编号", "开始答题时间", "结束答题时间", "答题时长", "1.部门"]).name
'tencent'
>>> detect_preset(["id", "q1", "q2"]).name
'plain'
>>> get_preset("wjx").pii_in(["序号", "来自IP", "1、部门"])
('来自IP',)

This module is imported by ``csi --help``; it must stay free of pandas and numpy.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from csi.errors import InputError, Issue

__all__ = ["Preset", "HeaderColumn", "PRESETS", "get_preset", "detect_preset", "forms", "row_separators",
           "cell_text"]

#: How the header rows of an export become column names (:meth:`Preset.columns`).
LAYOUTS = ("first-row", "qualtrics", "qualtrics-legacy", "surveymonkey")

# Row 3 of a Qualtrics CSV: {"ImportId":"QID1"} since 2017, {'ImportId': 'QID1'} in the 2016 layout
_IMPORT_ID = re.compile(r"""^\{\s*(["'])ImportId\1\s*:\s*(["'])(.*?)\2""")
IMPORT_ID_JSON = r'^\{\s*"ImportId"\s*:\s*"'
IMPORT_ID_2016 = r"^\{\s*'ImportId'\s*:\s*'"
_RESPONSE_ID = re.compile(r"^R_[0-9A-Za-z]+$")
# a cell that is an answer or an id rather than a header: a number, a date or time
_ANSWER_LIKE = re.compile(r"^[-+]?\d+(?:[.,]\d+)?$|^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|^\d{1,2}:\d{2}")
# SurveyMonkey's second-row cell under a question that has one column
_SM_SINGLE = frozenset({"Response", "Open-Ended Response", "Responses"})


@dataclass(frozen=True, slots=True)
class HeaderColumn:
    """One column's header, as a preset composes it from the header rows.

    ``name`` is the header the table exposes (None: the column has none); ``key`` is what
    the preset's id/time/duration/PII columns are named by (Qualtrics' field id, whatever
    language its text row is in); ``aliases`` are other texts that find the column
    (Qualtrics' field id and ImportId, SPSS variable labels).
    """

    name: str | None
    key: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Preset:
    """What is known about one platform's export format.

    ``signature`` headers must all appear among the first ``look_within`` columns of row 1
    for the preset to be detected, and ``second_row`` texts among those of row 2.
    ``header_rows`` is the number of rows above the data (3 for a Qualtrics CSV), and
    ``layout`` (:data:`LAYOUTS`) how they become names: ``first-row`` takes row 1 as it is.
    The ``*_column`` and ``pii`` names are keys (:class:`HeaderColumn`): the header itself
    except for Qualtrics, whose row-1 field ids they are. ``pii_pattern`` is a regular
    expression a key (or header) matching in full is personal data.
    ``missing_codes`` are compared with the stripped text of a cell; a code that looks
    numeric (``"-2"``) also matches a numeric cell of that value, since the reader turns
    numeric text into numbers. ``row_separators`` join a matrix question and its row label
    in a header (问卷星 "5、题干—行标签": ``"—"``): :func:`~csi.survey.columns.find_column`
    suggests binding each row by its label. ``third_row`` is a regular expression every
    non-blank cell of row 3 must match (Qualtrics' ImportIds); ``second_row_any`` texts of
    which row 2 must hold at least one, and no number or date (a SurveyMonkey export
    without its metadata columns).
    """

    name: str
    title: str
    signature: tuple[str, ...] = ()
    look_within: int = 10
    header_rows: int = 1
    layout: str = "first-row"
    second_row: tuple[str, ...] = ()
    id_column: str | None = None
    submitted_column: str | None = None
    duration_column: str | None = None
    pii: tuple[str, ...] = ()
    pii_pattern: str = ""
    missing_codes: tuple[str, ...] = ()
    row_separators: tuple[str, ...] = ()
    third_row: str = ""
    second_row_any: tuple[str, ...] = ()

    # ------------------------------------------------------------ detection

    def matches(self, headers: Sequence[str], below: Sequence[Sequence[str]] | None = ()) -> bool:
        """True when the header rows have this preset's shape (see :meth:`problem`)."""
        return self.problem(headers, below) is None

    def missing_signature(self, headers: Sequence[str]) -> tuple[str, ...]:
        """The signature headers that are not among the first ``look_within`` columns."""
        first = {str(h).strip() for h in headers[: self.look_within]}
        return tuple(h for h in self.signature if h not in first)

    def problem(self, headers: Sequence[str], below: Sequence[Sequence[str]] | None = ()) -> str | None:
        """Why the top of a sheet does not have this preset's shape, None when it does.

        ``headers`` is row 1, ``below`` the next rows (up to two) aligned with it, blank
        cells as ``""``; None when nothing below row 1 can be a header (an SPSS or Parquet
        file, whose names are its only header).

        >>> get_preset("wjx").problem(["id", "序号", "q1"])
        'expects the columns 序号, 提交答卷时间, 所用时间 among the first 10; missing 提交答卷时间, 所用时间'
        """
        first = [cell_text(h) for h in headers[: self.look_within]]
        missing = self.missing_signature(first)
        if missing:
            return (f"expects the columns {', '.join(self.signature)} among the first {self.look_within}; missing "
                    f"{', '.join(missing)}")
        if self.header_rows > 1 and below is None:
            return f"expects {self.header_rows} header rows; this file has one row of column names"
        rows = [[cell_text(c) for c in row[: self.look_within]] for row in (below or ())]
        second = rows[0] if rows else []
        if self.second_row and not set(self.second_row) <= set(second):
            return (f"expects row 2 to hold {', '.join(self.second_row)} under its ids; row 2 holds: "
                    f"{', '.join(_show(c) for c in second if c) or 'nothing'}")
        if self.second_row_any and not (set(self.second_row_any) & set(second)):
            return (f"expects row 2 to hold {' or '.join(self.second_row_any)} under a question; row 2 holds: "
                    f"{', '.join(_show(c) for c in second if c) or 'nothing'}")
        if self.second_row_any and any(_ANSWER_LIKE.match(c) for c in second):
            return ("expects row 2 to hold row labels, not answers; row 2 holds "
                    + ", ".join(_show(c) for c in second if _ANSWER_LIKE.match(c))[:80])
        if self.third_row:
            third = rows[1] if len(rows) > 1 else []
            cells = [c for c, h in zip(third, first, strict=False) if h and c]
            if not cells or not all(re.match(self.third_row, c) for c in cells):
                example = "{'ImportId': 'QID1'}" if "'" in self.third_row else '{"ImportId":"QID1"}'
                return (f"expects three header rows: field ids ({', '.join(self.signature) or 'StartDate, …, ResponseId'}, "
                        f"Q1 …), their texts, and {example} cells; row 3 holds: "
                        + (", ".join(_show(c) for c in cells[:4]) or "nothing"))
        if self.layout == "qualtrics" and self.header_rows == 2 and not self.second_row:
            # ids over their texts: "Start Date", "End Date", "Response ID" hold no digit, as a
            # response's dates and R_… id would (whatever language the texts are in)
            start, end, response = (second[first.index(h)] if first.index(h) < len(second) else ""
                                    for h in ("StartDate", "EndDate", "ResponseId"))
            if not (start and end and response) or _RESPONSE_ID.match(response) or \
                    any(ch.isdigit() for ch in start + end + response):
                return ("expects field ids (StartDate, …, ResponseId) over a row of their texts (Start Date, …, "
                        f"Response ID); row 2 holds {_show(start)!r} under StartDate and {_show(response)!r} under "
                        "ResponseId, answers rather than texts")
        if self.layout == "surveymonkey" and self.signature:
            at = first.index(self.signature[0])
            under = second[at] if at < len(second) else ""
            if under:
                return (f"expects two header rows, the second blank under {self.signature[0]}; row 2 holds "
                        f"{_show(under)!r} there, an answer: was the second header row deleted?")
        return None

    # ------------------------------------------------------------ names

    def columns(self, rows: Sequence[Sequence[str | None]]) -> list[HeaderColumn]:
        """The header of every column from the ``header_rows`` rows above the data.

        ``rows[0]`` is row 1; each row has one cell per column (None or ``""`` when blank).
        A name is stripped; a column whose header rows are all blank has none.
        """
        top = [[cell_text(c) for c in row] for row in rows[: self.header_rows]]
        width = max((len(r) for r in top), default=0)
        top = [r + [""] * (width - len(r)) for r in top]
        if self.layout == "qualtrics":
            return _qualtrics(top)
        if self.layout == "qualtrics-legacy":
            return _qualtrics_legacy(top)
        if self.layout == "surveymonkey":
            return _surveymonkey(top)
        return [HeaderColumn(h or None, h or None) for h in top[0]] if top else []

    # ------------------------------------------------------------ roles

    def known(self, column: str | None, headers: Sequence[str]) -> str | None:
        """``column`` if the file has it, else None."""
        return column if column is not None and column in headers else None

    def is_pii(self, key: str | None) -> bool:
        """True when a column with this key (or header) holds personal data."""
        if not key:
            return False
        return key in self.pii or bool(self.pii_pattern and re.fullmatch(self.pii_pattern, key))

    def pii_in(self, headers: Sequence[str]) -> tuple[str, ...]:
        """The preset's PII headers that the file has, in file order."""
        return tuple(h for h in headers if self.is_pii(h))


def cell_text(cell: object) -> str:
    """A header cell as text, stripped; ``""`` for a blank (None) cell."""
    return "" if cell is None else str(cell).strip()


def _show(cell: str, limit: int = 40) -> str:
    """A cell as a message quotes it: on one line, cut short."""
    text = " ".join(cell.split()) or "nothing"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unique(columns: list[HeaderColumn], ids: Sequence[str]) -> list[HeaderColumn]:
    """Two columns with the same question text are told apart by their ids: "text (Q7)"."""
    seen: dict[str, int] = {}
    for c in columns:
        if c.name:
            seen[c.name] = seen.get(c.name, 0) + 1
    out = []
    for c, i in zip(columns, ids, strict=True):
        if c.name and seen[c.name] > 1 and i and i != c.name:
            out.append(HeaderColumn(f"{c.name} ({i})", c.key, c.aliases))
        else:
            out.append(c)
    return out


def _qualtrics(top: list[list[str]]) -> list[HeaderColumn]:
    """Names from the text row; the field id and the ImportId find a column too."""
    ids = top[0]
    texts = top[1] if len(top) > 1 else [""] * len(ids)
    imports = top[2] if len(top) > 2 else [""] * len(ids)
    columns = []
    for i, text, raw in zip(ids, texts, imports, strict=True):
        name = text or i or None
        match = _IMPORT_ID.match(raw)
        aliases = tuple(dict.fromkeys(a for a in (i, match.group(3) if match else "") if a and a != name))
        columns.append(HeaderColumn(name, i or name, aliases))
    return _unique(columns, ids)


def _qualtrics_legacy(top: list[list[str]]) -> list[HeaderColumn]:
    """Row 2 (ResponseID, …, question texts) names a column; its V1/Q1 id finds it too."""
    ids, texts = top[0], top[1] if len(top) > 1 else [""] * len(top[0])
    columns = [HeaderColumn(t or i or None, t or i or None, (i,) if i and t and i != t else ())
               for i, t in zip(ids, texts, strict=True)]
    return _unique(columns, ids)


def _surveymonkey(top: list[list[str]]) -> list[HeaderColumn]:
    """A question's text spans its columns; a matrix column is "question - row label"."""
    questions, subs = top[0], top[1] if len(top) > 1 else [""] * len(top[0])
    columns = []
    current = ""
    for question, sub in zip(questions, subs, strict=True):
        if question:
            current = question
        elif not sub:  # blank in both rows: no header (dropped when it has no data either)
            columns.append(HeaderColumn(None))
            continue
        if not current:  # a row label before any question: the label is all there is
            columns.append(HeaderColumn(sub, sub))
            continue
        if not sub or sub in _SM_SINGLE:
            columns.append(HeaderColumn(current, question or current))
        else:  # a matrix row (or option): its label alone finds it too, where no other column has it
            columns.append(HeaderColumn(f"{current} - {sub}", question or f"{current} - {sub}", (sub,)))
    return columns


# 问卷星 (wjx.cn), both the 按文本 (answer labels) and 按序号 (answer codes) downloads.
# 来自IP is personal data. 来源详情 is the referrer: usually 直接访问 / 微信, but for links
# sent per client it is the full URL, whose query string (sojumpparm=…) carries the
# client's id or phone number — so it is treated as PII too; nothing is scored from it.
# 按序号 writes -2 for a question the respondent never saw (skip logic) and -3 for one
# skipped; 按文本 writes (跳过) and (空).
WJX = Preset(
    name="wjx",
    title="问卷星 wjx.cn export",
    signature=("序号", "提交答卷时间", "所用时间"),
    id_column="序号",
    submitted_column="提交答卷时间",
    duration_column="所用时间",
    pii=("来自IP", "来源详情"),
    missing_codes=("-2", "-3", "(跳过)", "(空)"),
    row_separators=("—",),
)

# 腾讯问卷 (wj.qq.com). 编号 numbers the answer sheets; 答题时长 is seconds ("11") in the
# exports seen, and read as any duration ("2分30秒", "00:02:30"). Personal data: IP,
# the 地理位置 columns (located from the IP), 用户标识 (the respondent's id in 腾讯问卷 or
# WeChat), 昵称 (WeChat / QQ nickname), 自定义字段 (a value passed in the survey link per
# respondent — a client id or phone number) and Referrer (a URL whose query string can carry
# the same). The trailing empty column of its CSV has neither header nor data and is dropped.
TENCENT = Preset(
    name="tencent",
    title="腾讯问卷 wj.qq.com export",
    signature=("编号", "开始答题时间", "结束答题时间"),
    id_column="编号",
    submitted_column="结束答题时间",
    duration_column="答题时长",
    pii=("IP", "用户标识", "用户ID", "昵称", "微信昵称", "QQ昵称", "自定义字段", "Referrer",
         "地理位置国家和地区", "地理位置省", "地理位置市"),
    pii_pattern=r"IP地址|地理位置.*|.*昵称|用户(?:标识|ID|id)|自定义字段.*",
    row_separators=(":", "："),
)

# Qualtrics: roles are named by the row-1 field ids, which do not depend on the account's
# language (row 2 is "Start Date" or "Anfangsdatum"). Personal data: the IP address, the
# location (from the IP), the recipient's name and e-mail and the external reference (the
# contact's id in the sender's system). "Recode seen but unanswered questions as -99" is an
# export option; -99 is no answer on any scale a satisfaction index uses.
QUALTRICS = Preset(
    name="qualtrics",
    title="Qualtrics CSV/TSV export: field ids, question texts, ImportIds",
    look_within=20,
    header_rows=3,
    layout="qualtrics",
    id_column="ResponseId",
    submitted_column="EndDate",
    duration_column="Duration (in seconds)",
    pii=("IPAddress", "LocationLatitude", "LocationLongitude", "RecipientLastName", "RecipientFirstName",
         "RecipientEmail", "ExternalReference", "ExternalDataReference"),
    missing_codes=("-99",),
    row_separators=(" - ",),
    third_row=IMPORT_ID_JSON,
)
# The 2016 layout (the first exports of the "Insights" platform): ResponseID, ResponseSet,
# IPAddress, StartDate, EndDate, RecipientLastName, RecipientFirstName, RecipientEmail,
# ExternalDataReference, Finished, Status, then Q2_1 …; row 2 the same ids over the question
# texts ("question-row"); row 3 Python-style {'ImportId': 'QID2-1'} (ctesta01/QualtricsTools'
# sample surveys, exported June 2016).
QUALTRICS_2016 = replace(
    QUALTRICS,
    title="Qualtrics 2016 export: ResponseID, ResponseSet, …, question texts, {'ImportId': …}",
    signature=("ResponseID", "ResponseSet"),
    id_column="ResponseID",
    duration_column=None,
    third_row=IMPORT_ID_2016,
    row_separators=(" - ", "-"),
)
# The 2016 layout downloaded as Excel, or with its ImportId row deleted: the ids over the ids
# and question texts.
QUALTRICS_2016_EXCEL = replace(
    QUALTRICS_2016,
    title="Qualtrics 2016 export without its ImportId row: ResponseID, ResponseSet over the same and the texts",
    header_rows=2,
    third_row="",
    second_row=("ResponseID", "ResponseSet"),
)
# An Excel download: the field ids and their texts, no ImportId row.
QUALTRICS_EXCEL = replace(
    QUALTRICS,
    title="Qualtrics Excel export: field ids over question texts",
    signature=("StartDate", "EndDate", "ResponseId"),
    header_rows=2,
    third_row="",
)
QUALTRICS_LEGACY = Preset(
    name="qualtrics",
    title="Qualtrics legacy export: V1…V10, Q1… over ResponseID, …, question texts",
    signature=("V1", "V2", "V3"),
    second_row=("ResponseID", "ResponseSet"),
    look_within=20,
    header_rows=2,
    layout="qualtrics-legacy",
    id_column="ResponseID",
    submitted_column="EndDate",
    pii=("IPAddress", "EmailAddress", "Name", "ExternalDataReference", "LocationLatitude", "LocationLongitude"),
    missing_codes=("-99",),
    row_separators=(" - ",),
)

# SurveyMonkey: the nine metadata columns; "Custom Data 1", "Custom Data 2", … carry what the
# sender attached to each respondent's link (a client id). No time taken is exported.
SURVEYMONKEY = Preset(
    name="surveymonkey",
    title="SurveyMonkey export: question texts over Response / row labels",
    signature=("Respondent ID", "Collector ID", "Start Date", "End Date"),
    look_within=12,
    header_rows=2,
    layout="surveymonkey",
    id_column="Respondent ID",
    submitted_column="End Date",
    pii=("IP Address", "Email Address", "First Name", "Last Name"),
    pii_pattern=r"Custom Data(?: \d+)?",
    row_separators=(" - ",),
)
SURVEYMONKEY_OLD = replace(
    SURVEYMONKEY,
    title="SurveyMonkey export (older column names)",
    signature=("RespondentID", "CollectorID", "StartDate", "EndDate"),
    id_column="RespondentID",
    submitted_column="EndDate",
    pii=("IP Address", "Email Address", "First Name", "LastName", "Last Name"),
)

# Panel columns deleted before sharing (Collector ID, Start Date, End Date, IP Address, …;
# often Respondent ID too): found by its second row, which holds "Response" /
# "Open-Ended Response" under a question and row labels under a matrix, and no answer.
SURVEYMONKEY_TRIMMED = replace(
    SURVEYMONKEY,
    title="SurveyMonkey export without its panel columns: question texts over Response / row labels",
    signature=(),
    look_within=40,
    second_row_any=tuple(sorted(_SM_SINGLE)),
)

# The same without Collector ID and the personal columns but with the older id or date
# columns kept (FiveThirtyEight's SurveyMonkey polls: "RespondentID" first, or "StartDate",
# "EndDate" first): those stay the respondent id and the submit time.
SURVEYMONKEY_TRIMMED_ID = replace(
    SURVEYMONKEY_TRIMMED,
    title="SurveyMonkey export without its panel columns but RespondentID: question texts over Response / row labels",
    signature=("RespondentID",),
    id_column="RespondentID",
    submitted_column=None,
)
SURVEYMONKEY_TRIMMED_DATES = replace(
    SURVEYMONKEY_TRIMMED,
    title="SurveyMonkey export without its panel columns but StartDate, EndDate: question texts over Response / row labels",
    signature=("StartDate", "EndDate"),
    id_column=None,
    submitted_column="EndDate",
)

PLAIN = Preset(name="plain", title="one header row, no platform columns")

#: Every preset by name, in detection order; ``plain`` (no signature) is the fallback.
PRESETS: dict[str, Preset] = {p.name: p for p in (WJX, TENCENT, QUALTRICS, SURVEYMONKEY, PLAIN)}

# Further shapes of the same platform's export, tried after the first (the table says
# the preset's name whichever it was).
_OTHER_FORMS: dict[str, tuple[Preset, ...]] = {
    "qualtrics": (QUALTRICS_2016, QUALTRICS_2016_EXCEL, QUALTRICS_EXCEL, QUALTRICS_LEGACY),
    "surveymonkey": (SURVEYMONKEY_OLD, SURVEYMONKEY_TRIMMED_ID, SURVEYMONKEY_TRIMMED_DATES, SURVEYMONKEY_TRIMMED),
}


def forms(preset: Preset) -> tuple[Preset, ...]:
    """The shapes a preset's export comes in: itself, then the others of the same name.

    >>> [f.header_rows for f in forms(get_preset("qualtrics"))]
    [3, 3, 2, 2, 2]
    """
    if PRESETS.get(preset.name) is not preset:
        return (preset,)
    return (preset, *_OTHER_FORMS.get(preset.name, ()))


def row_separators(name: str | None = None) -> tuple[str, ...]:
    """What joins a matrix question and its row label in a header: the named preset's
    separators first, then every other preset's.

    >>> row_separators("qualtrics")
    (' - ', '-', '—', ':', '：')
    """
    own = [s for form in forms(PRESETS[name]) for s in form.row_separators] if name in PRESETS else []
    every = [s for preset in PRESETS.values() for form in forms(preset) for s in form.row_separators]
    return tuple(dict.fromkeys([*own, *every]))


def get_preset(name: str) -> Preset:
    """The preset called ``name`` (case-insensitive), or :class:`InputError` ``unknown-preset``.

    >>> get_preset("WJX").duration_column
    '所用时间'
    """
    preset = PRESETS.get(str(name).strip().lower())
    if preset is None:
        valid = ", ".join(PRESETS)
        close = difflib.get_close_matches(str(name).strip().lower(), list(PRESETS), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise InputError(Issue("unknown-preset", f"unknown preset {name!r}{hint}; valid presets: {valid}",
                               value=name))
    return preset


def detect_preset(headers: Sequence[str], below: Sequence[Sequence[str]] | None = ()) -> Preset:
    """The first preset form whose shape the top rows have (:meth:`Preset.problem`), else ``plain``.

    ``headers`` is row 1, ``below`` the next rows; a preset with more header rows needs them.
    """
    for preset in PRESETS.values():
        for form in forms(preset):
            if (form.signature or form.layout != "first-row") and form.matches(headers, below):
                return form
    return PLAIN
