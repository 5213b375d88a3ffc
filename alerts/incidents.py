"""One alert per incident: group spikes that share evidence, and plan new vs. updated.

Why: a burst about parking in the Binnenstad spikes the overall count, the topic "verkeer
en parkeren" and the watch "Binnenstad" at once, in volume and in negative items. Those
are one event for an adviser, so they become one incident with one message.

How spikes are grouped:
- topic and watch spikes join when they share at least `OVERLAP` of the smaller evidence
  set (the same documents make both counts);
- an overall spike joins the group that explains at least half of its excess over normal
  (count − baseline median), else the overall spikes form a group of their own;
- a group matches an open incident (updated within the cooldown) when they share a topic or
  watch scope or `OVERLAP` of evidence: the incident is updated, no new alert is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from alerts.detect import MAX_EVIDENCE_ITEMS, WINDOW, SpikeCandidate, spike_candidates
from core.config import Config
from core.timeutil import to_iso
from outbox.messages import incident_message
from storage.alerts import Alert, Observation, last_alert_time
from storage.db import Database
from storage.incidents import Incident, create_incident, open_incidents, update_incident

OVERLAP = 0.5
SCOPE_RANK = {"watch": 0, "topic": 1, "overall": 2}
"""The most specific scope names the incident: a project says more than 'everything'."""


@dataclass
class SpikeGroup:
    """Spikes that are one event."""

    members: list[SpikeCandidate] = field(default_factory=list)

    @property
    def evidence(self) -> frozenset[str]:
        """The documents of its topic and watch spikes (of the overall spikes if only those).

        An overall window also holds every ordinary item of the day; counting those as
        evidence would make any later, unrelated burst look like the same incident.
        """
        specific = [m for m in self.members if m.alert.scope_type != "overall"]
        return frozenset().union(*(m.evidence for m in (specific or self.members)))

    @property
    def scopes(self) -> tuple[str, ...]:
        return tuple(sorted({f"{m.alert.scope_type}:{m.alert.scope_key}" for m in self.members}))

    @property
    def peak(self) -> int:
        return max(int(m.alert.figures["count"]) for m in self.members)


@dataclass
class IncidentPlan:
    """What an alert run would do: new incidents, updates of open ones, spikes in cooldown."""

    new: list[tuple[SpikeGroup, Alert]] = field(default_factory=list)
    updates: list[tuple[Incident, SpikeGroup, Alert]] = field(default_factory=list)
    cooling: list[Alert] = field(default_factory=list)


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared documents as a share of the smaller set (0 when either is empty)."""
    smaller = min(len(a), len(b))
    return len(a & b) / smaller if smaller else 0.0


def group_spikes(spikes: list[SpikeCandidate]) -> list[SpikeGroup]:
    """Group spikes that share evidence (rules in the module docstring)."""
    groups: list[SpikeGroup] = []
    for spike in (s for s in spikes if s.alert.scope_type != "overall"):
        joined = [g for g in groups if overlap(g.evidence, spike.evidence) >= OVERLAP]
        if not joined:
            groups.append(SpikeGroup([spike]))
            continue
        first = joined[0]
        first.members.append(spike)
        for other in joined[1:]:  # the new spike bridges groups: merge them
            first.members.extend(other.members)
            groups.remove(other)
    broad = SpikeGroup()
    for spike in (s for s in spikes if s.alert.scope_type == "overall"):
        excess = int(spike.alert.figures["count"]) - float(spike.alert.figures["baseline_median"])
        best = max(groups, key=lambda g: len(g.evidence & spike.evidence), default=None)
        if best is not None and len(best.evidence & spike.evidence) >= 0.5 * excess:
            best.members.append(spike)
        else:
            broad.members.append(spike)
    return groups + ([broad] if broad.members else [])


def plan_incidents(db: Database, config: Config, now: datetime) -> IncidentPlan:
    """Decide, without writing, what each spike group is: new, an update, or in cooldown."""
    cooldown = timedelta(hours=config.alerts.cooldown_hours)
    still_open = open_incidents(db, now - cooldown)
    plan = IncidentPlan()
    for group in group_spikes(spike_candidates(db, config, now)):
        alert = incident_alert(group, now, config.schedule.timezone)
        match = _matching(still_open, group)
        if match is not None:
            plan.updates.append((match, group, alert))
        elif _recently_alerted(db, group, now, cooldown):
            plan.cooling.append(alert)
        else:
            plan.new.append((group, alert))
    return plan


def _matching(incidents: list[Incident], group: SpikeGroup) -> Incident | None:
    specific = {s for s in group.scopes if not s.startswith("overall:")}
    if not specific:
        return _explaining(incidents, group)
    for incident in incidents:
        if specific & set(incident.scopes) or overlap(incident.evidence,
                                                       group.evidence) >= OVERLAP:
            return incident
    return None


def _explaining(incidents: list[Incident], group: SpikeGroup) -> Incident | None:
    """For an overall-only group: the open incident(s) that explain half its excess."""
    if not incidents:
        return None
    excess = max(float(m.alert.figures["count"]) - float(m.alert.figures["baseline_median"])
                 for m in group.members)
    known = frozenset().union(*(i.evidence for i in incidents))
    if len(known & group.evidence) < 0.5 * excess:
        return None
    return max(incidents, key=lambda i: (len(i.evidence & group.evidence), i.updated))


def _recently_alerted(db: Database, group: SpikeGroup, now: datetime,
                      cooldown: timedelta) -> bool:
    """An alert from before incidents existed still holds its scope's cooldown."""
    for member in group.members:
        last = last_alert_time(db, member.alert.kind, member.alert.scope_type,
                               member.alert.scope_key)
        if last is not None and now - last < cooldown:
            return True
    return False


def headline(group: SpikeGroup) -> SpikeCandidate:
    """The member that names the incident: most specific scope, then the largest count."""
    return min(group.members, key=lambda m: (SCOPE_RANK.get(m.alert.scope_type, 3),
                                             -int(m.alert.figures["count"]),
                                             m.alert.kind != "volume_spike", m.alert.scope_key))


def incident_alert(group: SpikeGroup, now: datetime, timezone: str) -> Alert:
    """The one alert (message, figures, evidence) of a spike group."""
    head = headline(group).alert
    same_scope = [m.alert for m in group.members
                  if (m.alert.scope_type, m.alert.scope_key) == (head.scope_type, head.scope_key)]
    volume = next((a for a in same_scope if a.kind == "volume_spike"), None)
    negative = next((a for a in same_scope if a.kind == "negative_spike"), None)
    figures = dict((volume or head).figures)
    if negative is not None:
        figures["negative_count"] = negative.figures["count"]
        figures["negative_median"] = negative.figures["baseline_median"]
    figures["members"] = [
        {"kind": m.alert.kind, "scope_type": m.alert.scope_type, "scope_key": m.alert.scope_key,
         "count": m.alert.figures["count"], "baseline_median": m.alert.figures["baseline_median"],
         "z": m.alert.figures["z"]}
        for m in sorted(group.members, key=lambda m: (m.alert.scope_type, m.alert.scope_key,
                                                      m.alert.kind))
    ]
    observations = {o.document_id: o for m in group.members for o in m.observations}
    place = _main_place(list(observations.values()))
    if place:
        figures["place"] = place
    figures["timezone"] = timezone
    kind = "negative_spike" if negative is not None else head.kind
    alert = Alert(
        kind=kind, scope_type=head.scope_type, scope_key=head.scope_key,
        window_start=head.window_end - WINDOW, window_end=head.window_end, figures=figures,
        items=_items(list(observations.values()), negative=kind == "negative_spike"),
        message="", dedupe_key=f"incident:{head.scope_type}:{head.scope_key}:"
                               f"{to_iso(head.window_end)}",
        created=now,
    )
    alert.message = incident_message(alert)
    return alert


def _main_place(observations: list[Observation]) -> str | None:
    """The place most of the incident's documents mention, if at least half do."""
    counts: dict[str, int] = {}
    for obs in observations:
        for name in obs.places:
            counts[name] = counts.get(name, 0) + 1
    if not counts:
        return None
    name, count = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    return name if count * 2 >= len(observations) else None


def _items(observations: list[Observation], negative: bool) -> list[dict[str, str | None]]:
    if negative:
        chosen = sorted(observations, key=lambda o: (-o.p_neg, o.document_id))
    else:
        chosen = sorted(observations, key=lambda o: (o.time, o.document_id), reverse=True)
    return [{"id": o.document_id, "title": o.title[:300], "url": o.url, "label": o.label,
             "time": to_iso(o.time)} for o in chosen[:MAX_EVIDENCE_ITEMS]]


def apply_plan(db: Database, plan: IncidentPlan) -> list[Alert]:
    """Store new incidents (one alert each) and grow open ones; returns the new alerts."""
    created = []
    for group, alert in plan.new:
        incident = create_incident(db, alert, group.scopes, group.evidence, group.peak)
        if incident is not None:
            created.append(alert)
    for incident, group, alert in plan.updates:
        alert.figures["incident_id"] = incident.id
        alert.figures["updates"] = incident.updates + 1
        update_incident(db, incident, alert, group.scopes, group.evidence, group.peak,
                        now=alert.created)
    return created
