"""The result models of ``tosscan diff`` and ``tosscan history``, re-exported from ``tosscan.results.diff``
(where they live, below the renderers that read them)."""

from tosscan.results.diff import (
    AnswerChange,
    AnswerEvent,
    ClausePair,
    ClauseRef,
    Cosmetic,
    DiffResult,
    DiffSummary,
    DocumentRef,
    Event,
    GradeChange,
    HistoryResult,
    InlineOp,
    RightChange,
    RightChangeKind,
    Span,
    Status,
    Track,
    Version,
)

__all__ = ["AnswerChange", "AnswerEvent", "ClausePair", "ClauseRef", "Cosmetic", "DiffResult", "DiffSummary",
           "DocumentRef", "Event", "GradeChange", "HistoryResult", "InlineOp", "RightChange", "RightChangeKind",
           "Span", "Status", "Track", "Version"]
