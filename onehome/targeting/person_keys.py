"""A survey person key as a registry document. The survey's key is a national ID when one
is known, possibly behind a prefix naming its kind ("card:0123…"), else a survey-internal
number that identifies nobody in the registry."""

from onehome.errors import ValidationError
from onehome.registry.identity import normalise_id
from onehome.registry.models import IdType


def document_of(key: str | None) -> tuple[str, str | None]:
    """(id type, normalised number) of a Thai or non-Thai ID card when the key (after any
    prefix) is a valid one, else (no document, None)."""
    number = key.split(":", 1)[-1] if key else ""
    if not number:
        return IdType.NONE, None
    for id_type in (IdType.THAI_ID, IdType.NON_THAI_ID):
        try:
            return id_type, normalise_id(id_type, number)
        except ValidationError:
            continue
    return IdType.NONE, None
