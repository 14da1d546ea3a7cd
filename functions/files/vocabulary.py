"""What the page needs to know before an upload: the accepted types with their endings, and the size limit."""
from __future__ import annotations

from functions.files.service import ALLOWED_TYPES, MAX_SIZE


def page_vocabulary() -> dict:
    return {"types": {kind: list(endings) for kind, endings in ALLOWED_TYPES.items()}, "max_size": MAX_SIZE}
