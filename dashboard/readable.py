"""Tables as people read them: Dutch column names, names instead of ids, local time.

Why: the page queries return rows with internal column names (`n_neg`, `share_neg`,
`source_id`), codes (`partial`, `http_404`, topic keys) and UTC times, which are right for
computing but not for reading. `ui.table` passes every frame through `readable` just before
it is shown or downloaded, so no page can forget it and the pages stay small.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

import pandas as pd

from core import wording

COLUMN_NAMES: dict[str, str] = {
    "n": "berichten", "n_neg": "negatief", "n_neu": "neutraal", "n_pos": "positief",
    "n_unscored": "niet gescoord", "share": "aandeel", "share_neg": "aandeel negatief",
    "share_pos": "aandeel positief", "share_neu": "aandeel neutraal",
    "polarity": "toon (-1 tot 1)", "mean_polarity": "toon (-1 tot 1)",
    "source_id": "bron", "name": "naam", "kind": "soort", "period": "periode", "day": "dag",
    "title": "titel", "url": "link", "time": "tijd", "published": "gepubliceerd",
    "first_seen": "gevonden", "label": "sentiment", "model_label": "model zei",
    "p_neg": "kans negatief", "p_neu": "kans neutraal", "p_pos": "kans positief",
    "topic": "onderwerp", "topics": "onderwerpen", "score": "zekerheid", "mentions": "vermeldingen",
    "level": "niveau", "cbs_code": "CBS-code", "growth": "groei", "this_week": "deze week",
    "last_week": "vorige week", "corrected_by": "bron van het label", "language": "taal",
    "piek_aantal": "piek in aantal", "piek_negatief": "piek in negatief",
    "items_per_day": "berichten per dag", "documents_total": "totaal",
}

_SHARE = re.compile(r"^(share|p_|aandeel|kans)|^(score|zekerheid)$")
_POLARITY = re.compile(r"polarity|^toon|gemiddeld sentiment")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_TIME_COLUMNS = re.compile(r"time|tijd|gepubliceerd|gevonden|published|first_seen|created|"
                           r"gemaakt|wanneer|gestart|laatst|started|ended|last_|updated|sinds")


def readable(frame: pd.DataFrame, source_names: Mapping[str, str] | None = None,
             timezone: str = wording.TIMEZONE) -> pd.DataFrame:
    """A copy of `frame` for people: values in words, then Dutch column names."""
    out = frame.copy()
    names = dict(source_names or {})
    for column in list(out.columns):
        out[column] = _column(str(column), out[column], names, timezone)
    # A Dutch name another column already has would make two columns of one name (which
    # breaks the exports): such a column keeps its own name.
    # "label" is the sentiment only when it holds sentiment labels; on the Labels page it is
    # the adviser's label (tag) and keeps its name.
    taken = {str(c) for c in out.columns}
    renames = {c: COLUMN_NAMES[str(c)] for c in out.columns
               if str(c) in COLUMN_NAMES and COLUMN_NAMES[str(c)] not in taken
               and (str(c) != "label" or _holds_sentiment(out[c]))}
    return out.rename(columns=renames)


def _holds_sentiment(values: pd.Series) -> bool:
    known = {"negatief", "neutraal", "positief", wording.UNKNOWN, ""}
    return all(_missing(v) or str(v) in known for v in values)


def _column(name: str, values: pd.Series, names: dict[str, str], timezone: str) -> pd.Series:
    convert = _converter(name, values, names, timezone)
    if convert is None:
        text = pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)
        result = values.map(_blank_unknown) if text else values
    else:
        result = values.map(lambda v: wording.UNKNOWN if _missing(v) else convert(v))
    # A column of numbers with an 'onbekend' in it must become text as a whole: the table
    # widget (Arrow) refuses a column that mixes types.
    if result.dtype == object and len({type(v) for v in result}) > 1:
        result = result.map(str)
    return result


def _converter(name: str, values: pd.Series, names: dict[str, str], timezone: str
               ) -> Callable[[Any], Any] | None:
    key = name.lower()
    if key in ("source_id", "bron") and names:
        return lambda v: names.get(str(v), v)
    if key in ("topic", "onderwerp"):
        return wording.topic_label
    if key in ("topics", "onderwerpen"):
        return lambda v: ", ".join(wording.topic_label(t.strip()) for t in str(v).split(","))
    if key in ("status",) and _all_in(values, wording.RUN_STATUS):
        return wording.run_status_label
    if key in ("reason", "reden"):
        return wording.reason_label
    if key in ("role", "rol") or _all_in(values, wording.ROLES):
        return lambda v: wording.code_label(str(v), wording.ROLES)
    if _all_in(values, wording.ALERT_KINDS):
        return lambda v: wording.code_label(str(v), wording.ALERT_KINDS)
    if key in ("period", "periode", "day", "dag", "week vanaf"):
        return _day
    if pd.api.types.is_datetime64_any_dtype(values) or _looks_like_time(key, values):
        return lambda v: wording.local_time(_to_datetime(v), timezone)
    if _all_dates(values):
        return lambda v: v.strftime("%d-%m-%Y")
    if pd.api.types.is_bool_dtype(values):
        return lambda v: "ja" if v else "nee"
    if pd.api.types.is_float_dtype(values) and _SHARE.search(key):
        return wording.percent
    if pd.api.types.is_float_dtype(values) and _POLARITY.search(key):
        return wording.decimal
    if pd.api.types.is_float_dtype(values):
        return _plain_number
    return None


def _day(value: Any) -> Any:
    """A period or day (no time of day, so no time zone): '01-12-2026'."""
    if isinstance(value, (datetime, pd.Timestamp, date)):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return f"{value[8:10]}-{value[5:7]}-{value[:4]}"
    return value


def _plain_number(value: Any) -> Any:
    """Whole floats as integers, others with at most two decimals and a comma."""
    number = float(value)
    if number == int(number):
        return int(number)
    return wording.decimal(number, 2 if abs(number) < 10 else 1)


def _missing(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


_ISO_IN_TEXT = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[+-]\d{2}:\d{2}|Z)?")


def _blank_unknown(value: Any) -> Any:
    """'onbekend' for a missing value; a UTC stamp inside a text (a crawl detail) as local."""
    if _missing(value):
        return wording.UNKNOWN
    if isinstance(value, str) and _ISO_IN_TEXT.search(value):
        return _ISO_IN_TEXT.sub(lambda m: wording.local_time(m.group(0)), value)
    return value


def _all_in(values: pd.Series, table: Mapping[str, str]) -> bool:
    present = [v for v in values if not _missing(v)]
    return bool(present) and all(isinstance(v, str) and v in table for v in present)


def _all_dates(values: pd.Series) -> bool:
    present = [v for v in values if not _missing(v)]
    return bool(present) and all(isinstance(v, date) and not isinstance(v, datetime)
                                 for v in present)


def _looks_like_time(key: str, values: pd.Series) -> bool:
    present = [v for v in values if not _missing(v)]
    if not present:
        return False
    if all(isinstance(v, (datetime, pd.Timestamp)) for v in present):
        return True
    return bool(_TIME_COLUMNS.search(key)) and all(
        isinstance(v, str) and _ISO.match(v) for v in present)


def _to_datetime(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value
