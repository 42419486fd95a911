"""Harm per incident: reach, voter-minutes and station-minutes from ``contained``, or from ``run_ended.data.harm``
for an incident still open at the end; a collector fed journal events once, in ``seq`` order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ballotdrill.journal import Contained, Event, RunEnded
from ballotdrill.journal.kinds import CONTAINED, INCIDENT_STARTED, RUN_ENDED
from ballotdrill.scoring.feed import DecodedHandlers, Handlers, feed_all
from ballotdrill.scoring.measured import HarmMeasure
from ballotdrill.scoring.model import Harm, r3, unchecked

_new: Any = tuple.__new__


class HarmCollector:
    """Reach, voter-minutes and station-minutes per incident (at containment, or at the run's end)."""

    def __init__(self) -> None:
        self.contained: dict[str, tuple[int, Contained]] = {}
        self.incidents: dict[str, None] = {}  # ids in start order (a dict: membership is O(1))
        self.end_harm: dict[str, dict[str, float]] = {}
        self.end_seq: int | None = None

    def handlers(self) -> Handlers:
        return {INCIDENT_STARTED: self._started, RUN_ENDED: self._ended}

    def decoded_handlers(self) -> DecodedHandlers:
        return {CONTAINED: self._contained}

    def _started(self, event: Event) -> None:
        if event.incident:
            self.incidents.setdefault(event.incident)

    def _contained(self, event: Event, contained: Contained) -> None:
        if event.incident and event.incident not in self.contained:
            self.contained[event.incident] = (event.seq, contained)

    def _ended(self, event: Event) -> None:
        self.end_harm = dict(event.fields(RunEnded).harm or {})
        self.end_seq = event.seq

    def results(self) -> list[Harm]:
        """Every incident's harm, in start order."""
        return [self.harm_of(incident) for incident in self.incidents]

    def pop(self, incident: str) -> HarmMeasure:
        """Take out a contained incident's harm, as its fields (no record built): it is final."""
        found = self.measure(incident)
        self.incidents.pop(incident, None)
        self.contained.pop(incident, None)
        return found

    def harm_of(self, incident: str) -> Harm:
        return unchecked(Harm, self.measure(incident)._asdict())  # validated again if kept

    def measure(self, incident: str) -> HarmMeasure:
        """``incident``'s harm as its :class:`Harm` holds it, without building the record."""
        row = self.contained.get(incident)
        if row is not None:
            data, evidence, still_open = row[1], [row[0]], False
        else:
            at_end = self.end_harm.get(incident) or {}
            data = Contained("", at_end.get("reach"), at_end.get("voter_minutes"), at_end.get("station_minutes"))
            evidence, still_open = ([self.end_seq] if self.end_seq is not None else []), True
        reach, voters, stations = data.reach, data.voter_minutes, data.station_minutes
        measured: HarmMeasure = _new(HarmMeasure, (  # as HarmMeasure(...), without its Python-level __new__
            incident, r3(reach) if reach else 0.0, r3(voters) if voters else 0.0,  # r3(0) is 0.0
            r3(stations) if stations else 0.0, still_open, evidence, None, None))
        return measured


def harm(events: Iterable[Event]) -> list[Harm]:
    """Reach, voter-minutes and station-minutes per incident (at containment, or at the run's end)."""
    collector = HarmCollector()
    feed_all(collector, events)
    return collector.results()
