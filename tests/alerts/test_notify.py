"""Alert delivery: Teams and generic JSON webhooks to a local HTTP server, and email."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller

import outbox.webhooks
from alerts.detect import run_alerts
from core.config import AlertSettings, Config, MailSettings, Recipient, Webhook
from storage.alerts import list_alerts
from tests.digest.support import Collector, free_port

TEAMS_ENV = "NEWSROOM_TEST_TEAMS_URL"
JSON_ENV = "NEWSROOM_TEST_JSON_URL"
HOOKS = (Webhook(type="teams", url_env=TEAMS_ENV), Webhook(type="json", url_env=JSON_ENV))


@pytest.fixture
def hook_config(webhooks: Any, monkeypatch: pytest.MonkeyPatch) -> Config:
    monkeypatch.setenv(TEAMS_ENV, webhooks.url + "/teams")
    monkeypatch.setenv(JSON_ENV, webhooks.url + "/json")
    return Config(alerts=AlertSettings(email=False, webhooks=HOOKS))


def test_teams_card_and_generic_json(db: Any, spike_scenario: Any, webhooks: Any,
                                     hook_config: Config, writer: Any) -> None:
    # A hostile title must arrive escaped in the Teams card.
    writer.doc("<b>Opruiing</b> bij Spuiboulevard", spike_scenario.now - timedelta(minutes=50),
               "negatief", p_neg=0.99, watches={"Spuiboulevard": "negatief"})
    new = run_alerts(db, hook_config, now=spike_scenario.now)
    assert len(new) == 1  # six spikes on the same posts are one incident
    cards, payloads = webhooks.bodies("/teams"), webhooks.bodies("/json")
    assert len(cards) == 1 and len(payloads) == 1
    for card in cards:
        assert card["@type"] == "MessageCard"
        assert card["@context"] == "https://schema.org/extensions"
        assert card["summary"] and card["title"] and card["themeColor"]
        section = card["sections"][0]
        assert section["activityTitle"] and {"name", "value"} <= set(section["facts"][0])
    watch_card = next(c for c in cards if c["title"] == "Veel negatieve berichten over het "
                      "project &quot;Spuiboulevard&quot;")
    assert "&lt;b&gt;Opruiing&lt;/b&gt;" in watch_card["sections"][0]["text"]
    assert "<b>" not in watch_card["sections"][0]["text"]
    watch_json = next(p for p in payloads if p["kind"] == "negative_spike"
                      and p["scope_type"] == "watch")
    assert watch_json["type"] == "newsroom.alert"
    assert watch_json["figures"]["count"] == 13
    assert watch_json["items"][0]["title"] == "<b>Opruiing</b> bij Spuiboulevard"
    assert watch_json["message"].startswith(
        '13 berichten over het project "Spuiboulevard" sinds gisteren 11:00; normaal zijn dat '
        "er bijna geen. 13 daarvan zijn negatief")
    assert {m["scope_type"] for m in watch_json["figures"]["members"]} == {
        "overall", "topic", "watch"}
    assert all((a.sent_webhook or "").startswith("ok ") for a in list_alerts(db))


def test_webhook_500_is_recorded_and_only_the_failed_hook_retried(
    db: Any, spike_scenario: Any, webhooks: Any, hook_config: Config,
    caplog: pytest.LogCaptureFixture,
) -> None:
    webhooks.fail_paths = {"/json"}
    with caplog.at_level(logging.WARNING):
        new = run_alerts(db, hook_config, now=spike_scenario.now)
    assert len(new) == 1
    assert "HTTP 500 from webhook" in caplog.text
    for alert in list_alerts(db):
        assert alert.sent_webhook is not None and alert.sent_webhook.startswith("error ")
        assert '"json:NEWSROOM_TEST_JSON_URL": "error: HTTP 500 from webhook"' in alert.sent_webhook
    assert len(webhooks.bodies("/teams")) == 1
    webhooks.fail_paths = set()
    assert run_alerts(db, hook_config, now=spike_scenario.now + timedelta(minutes=30)) == []
    assert len(webhooks.bodies("/teams")) == 1  # not sent twice
    assert len(webhooks.bodies("/json")) == 2  # the failed one retried
    assert all((a.sent_webhook or "").startswith("ok ") for a in list_alerts(db))


def test_webhook_timeout_is_recorded(db: Any, spike_scenario: Any, webhooks: Any,
                                     hook_config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outbox.webhooks, "WEBHOOK_TIMEOUT_SECONDS", 0.2)
    webhooks.hang = True
    config = replace(hook_config, alerts=replace(hook_config.alerts, webhooks=HOOKS[1:]))
    new = run_alerts(db, config, now=spike_scenario.now)
    webhooks.release.set()
    assert len(new) == 1
    for alert in list_alerts(db):
        assert "webhook unreachable" in (alert.sent_webhook or "")
        assert "timed out" in (alert.sent_webhook or "")


def test_missing_webhook_env_is_recorded(db: Any, spike_scenario: Any,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TEAMS_ENV, raising=False)
    config = Config(alerts=AlertSettings(email=False, webhooks=HOOKS[:1]))
    assert len(run_alerts(db, config, now=spike_scenario.now)) == 1
    for alert in list_alerts(db):
        assert f"environment variable {TEAMS_ENV} is not set" in (alert.sent_webhook or "")


def test_unreachable_webhook_host(db: Any, spike_scenario: Any,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(JSON_ENV, f"http://127.0.0.1:{free_port()}/hook")
    config = Config(alerts=AlertSettings(email=False, webhooks=HOOKS[1:]))
    assert len(run_alerts(db, config, now=spike_scenario.now)) == 1
    assert all("webhook unreachable" in (a.sent_webhook or "") for a in list_alerts(db))


def mail_config(port: int) -> Config:
    recipients = (
        Recipient(email="directie@dordrecht.example", role="management"),
        Recipient(email="lead@dordrecht.example", role="project_lead", watches=("Spuiboulevard",)),
        Recipient(email="ander@dordrecht.example", role="project_lead", watches=("Zwembad",)),
    )
    mail = MailSettings(host="127.0.0.1", port=port, security="none", recipients=recipients,
                        username_env="NEWSROOM_TEST_NO_USER", password_env="NEWSROOM_TEST_NO_PW")
    return replace(Config(), mail=mail)


def test_alert_email_per_recipient(db: Any, spike_scenario: Any, smtp_server: Any) -> None:
    run_alerts(db, mail_config(smtp_server.port), now=spike_scenario.now)
    collector = smtp_server.collector
    [management] = collector.to("directie@dordrecht.example")
    [lead] = collector.to("lead@dordrecht.example")
    assert collector.to("ander@dordrecht.example") == []
    text = management.get_body(("plain",)).get_content()
    assert text.count("* Veel ") == 1
    assert text.count("Boze reacties op afsluiting Spuiboulevard") == 5  # each post once
    lead_text = lead.get_body(("plain",)).get_content()
    assert lead_text.count("* Veel ") == 1 and "Spuiboulevard" in lead_text
    assert management["Subject"] == ('Melding mediamonitor: Veel negatieve berichten over het '
                                     'project "Spuiboulevard"')
    html = management.get_body(("html",)).get_content()
    assert "<script" not in html and "Boze reacties op afsluiting Spuiboulevard" in html
    assert all((a.sent_email or "").startswith("ok ") for a in list_alerts(db))


def test_alert_email_failure_is_recorded_and_retried(db: Any, spike_scenario: Any) -> None:
    port = free_port()
    config = mail_config(port)
    assert len(run_alerts(db, config, now=spike_scenario.now)) == 1
    assert all((a.sent_email or "").startswith("error: ") for a in list_alerts(db))
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert run_alerts(db, config, now=spike_scenario.now + timedelta(hours=1)) == []
    finally:
        controller.stop()
    assert len(collector.to("directie@dordrecht.example")) == 1
    assert all((a.sent_email or "").startswith("ok ") for a in list_alerts(db))


def test_unexpected_delivery_bug_is_recorded_not_raised(
    db: Any, spike_scenario: Any, hook_config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    import alerts.notify

    def broken(*args: Any) -> dict[str, Any]:
        raise RuntimeError("card bug")

    monkeypatch.setattr(alerts.notify, "teams_payload", broken)
    assert len(run_alerts(db, hook_config, now=spike_scenario.now)) == 1
    assert all("card bug" in (a.sent_webhook or "") for a in list_alerts(db))


def test_teams_workflow_gets_an_adaptive_card_with_escaped_text(
    db: Any, spike_scenario: Any, webhooks: Any, monkeypatch: pytest.MonkeyPatch, writer: Any
) -> None:
    monkeypatch.setenv(TEAMS_ENV, webhooks.url + "/workflow")
    config = Config(alerts=AlertSettings(
        email=False, webhooks=(Webhook(type="teams-workflow", url_env=TEAMS_ENV),)))
    writer.doc("[Klik](http://evil.example) *Opruiing*", spike_scenario.now - timedelta(minutes=50),
               "negatief", p_neg=0.99, watches={"Spuiboulevard": "negatief"})
    new = run_alerts(db, config, now=spike_scenario.now)
    messages = webhooks.bodies("/workflow")
    assert len(messages) == len(new) == 1
    for message in messages:
        assert message["type"] == "message"
        (attachment,) = message["attachments"]
        assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
        card = attachment["content"]
        assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
        assert card["body"][0]["type"] == "TextBlock" and card["body"][2]["type"] == "FactSet"
    texts = [block.get("text", "") for m in messages
             for block in m["attachments"][0]["content"]["body"]]
    hostile = next(t for t in texts if "Klik" in t)
    assert hostile.startswith("- [\\[Klik\\]\\(http://evil.example\\) \\*Opruiing\\*](https://")
    assert "[Klik](http" not in hostile
    assert all((a.sent_webhook or "").startswith("ok ") for a in list_alerts(db))


def test_unknown_webhook_type_is_a_config_error() -> None:
    from core.config import ConfigError, parse_config

    with pytest.raises(ConfigError, match=r"alerts.webhooks\[0\].type: 'slack'"):
        parse_config({"alerts": {"webhooks": [{"type": "slack", "url_env": "X"}]}})
