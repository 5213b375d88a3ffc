"""One scorer process for test_two_scorers (run as a script, not collected by pytest).

Scores with the lexicon double, a little slowly, so that two of these overlap; waits for a
start file so both begin together; prints its report as JSON.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from core.config import Config
from core.records import Sentiment
from nlp.pipeline import score_pending
from storage.db import open_db
from tests.nlp.conftest import HashingEncoder, LexiconDouble


class SlowDouble(LexiconDouble):
    def predict(self, texts: Sequence[str]) -> list[Sentiment]:
        time.sleep(0.05)
        return super().predict(texts)


def main(db_path: str, start_file: str) -> None:
    deadline = time.monotonic() + 60
    while not Path(start_file).exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    db = open_db(db_path)
    report = score_pending(db, Config(storage_path=Path(db_path)), batch_size=10,
                           model=SlowDouble(), encoder=HashingEncoder())
    print(json.dumps({"documents": report.documents, "elsewhere": report.claimed_elsewhere}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
