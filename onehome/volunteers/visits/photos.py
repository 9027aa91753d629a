"""The one photo a visit may carry: checked by its bytes, not by its name or the type the
phone claims, and size-limited, because it travels over a poor network and sits in the
offline queue. A photo is stored under the visit's own id (`models.visits.visit_photo_path`)
so no file name a person typed reaches the disk."""

import base64
import binascii
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from onehome.errors import ValidationError

MAX_BYTES = 2 * 1024 * 1024  # a phone photo resized by the app; the page says so


@dataclass(frozen=True)
class Photo:
    content: bytes
    extension: str  # jpg, png or webp

    def as_file(self) -> ContentFile:
        return ContentFile(self.content, name=f"photo.{self.extension}")


def kind_of(head: bytes) -> str | None:
    """The image type from the file's first bytes (JPEG, PNG, WebP), else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def _too_big() -> ValidationError:
    return ValidationError(
        _("The photo is larger than %(mb)d MB. Take it again at a smaller size.")
        % {"mb": MAX_BYTES // (1024 * 1024)},
        code="photo_size",
    )


def read_photo(photo: object) -> Photo | None:
    """A checked photo from an uploaded file, raw bytes or base64 text (the phone app's
    JSON queue); None when none was given. Refuses a file over the limit or not an image."""
    if photo in (None, "", b""):
        return None
    if isinstance(photo, str):
        text = photo.split(",", 1)[1] if photo.startswith("data:") else photo
        if len(text) > MAX_BYTES * 4 // 3 + 8:
            raise _too_big()
        try:
            content = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError(_("The photo could not be read."), code="photo") from None
    elif isinstance(photo, bytes):
        content = photo
    else:
        size = getattr(photo, "size", None)
        if size is not None and size > MAX_BYTES:
            raise _too_big()
        if hasattr(photo, "seek"):
            photo.seek(0)
        content = photo.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise _too_big()
    extension = kind_of(content[:16])
    if extension is None:
        raise ValidationError(_("The photo must be a JPEG, PNG or WebP image."), code="photo_type")
    return Photo(content=content, extension=extension)
