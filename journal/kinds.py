"""Every journal kind as a module constant, for hot paths.

``Kind.X`` is a slow attribute lookup in Python 3.11 (``EnumType`` has ``__getattr__``); a name imported
from here is a plain global lookup and the same member (``kinds.CONTAINED is Kind.CONTAINED``).
"""

from typing import Final

from ballotdrill.journal.events import Kind

RUN_STARTED: Final = Kind.RUN_STARTED
STAFF_CHANGED: Final = Kind.STAFF_CHANGED
INCIDENT_STARTED: Final = Kind.INCIDENT_STARTED
DETECTED: Final = Kind.DETECTED
PROCEDURE_STARTED: Final = Kind.PROCEDURE_STARTED
STEP_QUEUED: Final = Kind.STEP_QUEUED
STEP_STARTED: Final = Kind.STEP_STARTED
STEP_COMPLETED: Final = Kind.STEP_COMPLETED
HANDOFF_SENT: Final = Kind.HANDOFF_SENT
HANDOFF_RECEIVED: Final = Kind.HANDOFF_RECEIVED
HANDOFF_FAILED: Final = Kind.HANDOFF_FAILED
DECISION_REQUESTED: Final = Kind.DECISION_REQUESTED
DECISION_MADE: Final = Kind.DECISION_MADE
INJECT_DELIVERED: Final = Kind.INJECT_DELIVERED
ESCALATED: Final = Kind.ESCALATED
CONTAINED: Final = Kind.CONTAINED
EFFECT_FAILED: Final = Kind.EFFECT_FAILED
WAVE_SLOWED: Final = Kind.WAVE_SLOWED
VOTING_EXTENDED: Final = Kind.VOTING_EXTENDED
MITIGATED: Final = Kind.MITIGATED
RESOLVED: Final = Kind.RESOLVED
PROCEDURE_ENDED: Final = Kind.PROCEDURE_ENDED
ACTION_TAKEN: Final = Kind.ACTION_TAKEN
PAUSED: Final = Kind.PAUSED
RESUMED: Final = Kind.RESUMED
SPEED_CHANGED: Final = Kind.SPEED_CHANGED
STOPPED: Final = Kind.STOPPED
RESTARTED: Final = Kind.RESTARTED
RUN_ENDED: Final = Kind.RUN_ENDED
NOTE: Final = Kind.NOTE
DISCUSSION_ANSWERED: Final = Kind.DISCUSSION_ANSWERED
