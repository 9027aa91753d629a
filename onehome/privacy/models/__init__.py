"""Records of the PDPA lifecycle: consent, data-subject requests, breaches, and what the
retention task anonymised."""

from .breaches import Breach, BreachStatus, RiskLevel
from .consent import (
    ConsentPurpose,
    ConsentRecord,
    EmergencyOverride,
    GivenBy,
    LawfulBasis,
)
from .requests import DataRequest, RequestKind, RequestStatus
from .retention import AnonymisedRecord

__all__ = [
    "AnonymisedRecord",
    "Breach",
    "BreachStatus",
    "ConsentPurpose",
    "ConsentRecord",
    "DataRequest",
    "EmergencyOverride",
    "GivenBy",
    "LawfulBasis",
    "RequestKind",
    "RequestStatus",
    "RiskLevel",
]
