"""The journal: the single record of a run, as a stream of typed events.

``events`` is the contract (the kinds, each kind's typed fields, packing); ``store`` writes and reads it
(memory, SQLite, JSON Lines); ``writer`` is the writer process of long runs. Nothing
here imports SimPy or scoring.
"""

from ballotdrill.journal.events import (
    COLUMNS,
    KINDS,
    PACKED,
    RECORDS,
    SHAPES,
    ActionTaken,
    Contained,
    Data,
    DecisionMade,
    DecisionRequested,
    EffectFailed,
    Escalated,
    Event,
    HandoffFailed,
    IncidentStarted,
    InjectDelivered,
    Kind,
    Mitigated,
    Paused,
    Resumed,
    Row,
    RunEnded,
    RunStarted,
    StaffChanged,
    VotingExtended,
    WaveSlowed,
    canonical_json,
    encode_data,
    unpack,
)
from ballotdrill.journal.packed import (
    HandoffLine,
    HandoffReceived,
    HandoffSent,
    ProcedureEnded,
    ProcedureStarted,
    StepCompleted,
    StepCrew,
    StepQueued,
    StepStarted,
    StepTargets,
)
from ballotdrill.journal.store import (
    JOURNAL_FILE,
    Journal,
    JournalError,
    MemorySink,
    Sink,
    SqliteSink,
    read_events,
    read_meta,
)

__all__ = [
    "COLUMNS", "JOURNAL_FILE", "KINDS", "PACKED", "RECORDS", "SHAPES", "ActionTaken", "Contained", "Data",
    "DecisionMade", "DecisionRequested", "EffectFailed", "Escalated", "Event", "HandoffFailed", "HandoffLine",
    "HandoffReceived", "HandoffSent",
    "IncidentStarted", "InjectDelivered", "Journal", "JournalError", "Kind", "MemorySink", "Mitigated", "Paused",
    "ProcedureEnded", "ProcedureStarted", "Resumed", "Row", "RunEnded", "RunStarted", "Sink", "SqliteSink",
    "StaffChanged", "StepCompleted", "StepCrew", "StepQueued", "StepStarted", "StepTargets", "VotingExtended",
    "WaveSlowed", "canonical_json", "encode_data", "read_events", "read_meta", "unpack",
]
