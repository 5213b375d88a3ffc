"""Alert mails say "je" and use the B1 word list (docs/woordenlijst.md): subject, plain
text and HTML of a real alert detected over a real store."""

from __future__ import annotations

from typing import Any

from alerts.detect import detect_alerts
from alerts.notify import alert_email
from core.config import Config
from core.plain_language import check, visible_text


def test_alert_mail_follows_the_word_list(db: Any, spike_scenario: Any) -> None:
    alerts = detect_alerts(db, Config(), spike_scenario.now)
    assert {a.scope_type for a in alerts} >= {"watch", "topic"}
    message = alert_email(alerts, "monitor@dordrecht.example", "lead@dordrecht.example",
                          "http://127.0.0.1:8501")
    plain_part, html_part = message.get_body(("plain",)), message.get_body(("html",))
    assert plain_part is not None and html_part is not None
    plain, html = plain_part.get_content(), visible_text(html_part.get_content())
    ours = "\n".join((str(message["Subject"]), plain, html,
                      *(a.scope_label for a in alerts)))
    for row in db["documents"].rows:  # the outlets' titles are not our words
        ours = ours.replace(row["title"], " ")
    assert "project" in ours
    assert [(f.word, f.context) for f in check(ours)] == []
