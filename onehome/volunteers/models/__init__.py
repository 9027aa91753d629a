"""The volunteers app's records, one module per room (see the package docstring)."""

from .assignments import Assignment, AssignmentSource
from .course import CourseStatus, Enrollment, GraduationEvidence
from .development import FollowUp, HouseholdPlan
from .roster import WORKING, Recognition, Training, Volunteer, VolunteerClub, VolunteerStatus
from .sync import ChangeOutcome, ChangeTarget, Conflict, ConflictStatus, OfflineChange
from .visits import HelpKind, HelpRequest, RecordBookEntry, Visit

__all__ = [
    "WORKING",
    "Assignment",
    "AssignmentSource",
    "ChangeOutcome",
    "ChangeTarget",
    "Conflict",
    "ConflictStatus",
    "CourseStatus",
    "Enrollment",
    "FollowUp",
    "GraduationEvidence",
    "HelpKind",
    "HelpRequest",
    "HouseholdPlan",
    "OfflineChange",
    "Recognition",
    "RecordBookEntry",
    "Training",
    "Visit",
    "Volunteer",
    "VolunteerClub",
    "VolunteerStatus",
]
