"""The election a scenario is played on: what is elected, who organises it, and when each way of voting closes."""

from typing import Literal

from pydantic import Field, model_validator

from ballotdrill.scenarios.timefmt import format_clock
from ballotdrill.scenarios.types import ClockTime, Model

VotingMode = Literal["paper", "electronic"]
VOTING_MODES: tuple[str, ...] = ("paper", "electronic")

DEFAULT_POLLS_OPEN = 7 * 60.0
"""07:00 on day D: when the polls open if a scenario does not say (a wide window; declare your own)."""
DEFAULT_POLLS_CLOSE = 20 * 60.0
"""20:00 on day D: when the polls close if a scenario does not say."""


class Polls(Model):
    """Polling hours: harm to voters and stations counts only while the polls are open."""

    open: ClockTime
    close: ClockTime

    @model_validator(mode="after")
    def _close_after_open(self) -> "Polls":
        if self.close <= self.open:
            raise ValueError(f"polls 'close' ({format_clock(self.close)}) must be after 'open' "
                             f"({format_clock(self.open)})")
        return self


class Election(Model):
    """What is elected, by whom, whether voting is compulsory, and the polling hours per way of voting.

    ``closes`` may differ between paper and electronic voting; an incident that names its
    ``voting`` mode does harm only until that mode's close, any other until the last close.
    """

    type: str = ""
    """What is elected, in the author's words (``federal, regional and European``, ``local and provincial``)."""
    organiser: str = ""
    """Who organises it (an interior ministry, a regional administration)."""
    compulsory: bool | None = None
    """Whether voting is compulsory (None: not said)."""
    opens: ClockTime | None = None
    closes: dict[VotingMode, ClockTime] = Field(default={})
    basis: list[str] = Field(default=[])

    @model_validator(mode="after")
    def _closes_after_opening(self) -> "Election":
        opens = DEFAULT_POLLS_OPEN if self.opens is None else self.opens
        for mode, close in self.closes.items():
            if close <= opens:
                said = "" if self.opens is not None else " (the default opening; give 'opens')"
                raise ValueError(f"the election's '{mode}' close ({format_clock(close)}) must be after the polls "
                                 f"open ({format_clock(opens)}){said}")
        return self

    @property
    def gives_hours(self) -> bool:
        """Whether the election block says when the polls open or close."""
        return self.opens is not None or bool(self.closes)


def polls_window(polls: Polls | None, election: Election | None) -> tuple[float, float]:
    """When the polls open and when the last of them closes (clock minutes of day D), defaults where not said."""
    if polls is not None:
        return polls.open, polls.close
    if election is None:
        return DEFAULT_POLLS_OPEN, DEFAULT_POLLS_CLOSE
    opens = DEFAULT_POLLS_OPEN if election.opens is None else election.opens
    return opens, max(election.closes.values(), default=DEFAULT_POLLS_CLOSE)


def closes_by_mode(polls: Polls | None, election: Election | None) -> dict[str, float]:
    """When each way of voting closes (clock minutes of day D): the election's ``closes``, else the polls' close."""
    if election is not None and election.closes:
        return {mode: election.closes[mode] for mode in VOTING_MODES if mode in election.closes}
    close = polls_window(polls, election)[1]
    return dict.fromkeys(VOTING_MODES, close)


def hours_text(polls: Polls | None, election: Election | None) -> str:
    """Polling hours in words, ``08:00 to 16:00 (paper until 14:00, electronic until 16:00)``, or ``(default)``."""
    opens, close = polls_window(polls, election)
    text = f"{format_clock(opens)} to {format_clock(close)}"
    if polls is None and election is not None and election.closes:
        modes = ", ".join(f"{mode} until {format_clock(t)}" for mode, t in election.closes.items())
        text += f" ({modes})"
    if polls is None and (election is None or not election.gives_hours):
        text += " (default)"
    return text


def election_text(election: Election | None) -> str:
    """The election in one line for a report's overview (empty when the scenario names none)."""
    if election is None or not (election.type or election.organiser or election.compulsory is not None):
        return ""
    parts = [f"{election.type} elections" if election.type else "Elections"]
    if election.organiser:
        parts.append(f"organised by {election.organiser}")
    text = " ".join(parts)
    text = text[:1].upper() + text[1:]
    if election.compulsory is not None:
        text += "; voting is compulsory" if election.compulsory else "; voting is not compulsory"
    return text
