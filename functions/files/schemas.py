from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from functions.files.service import ALLOWED_TYPES, MAX_SIZE, allowed_types_text
from functions.shared.schemas import Instant, Schema

ContentType = Literal[tuple(ALLOWED_TYPES)]


class FileUploadIn(Schema):
    filename: str = Field(min_length=1, max_length=200, description="the file's own name, without folders; its ending "
                                                                     "must fit the content type")
    content_type: ContentType = Field(description=f"accepted: {allowed_types_text()}")
    size: int = Field(strict=True, ge=1, le=MAX_SIZE, description=f"bytes, at most {MAX_SIZE} (10 MiB); the upload may "
                                                                  "not be larger")

    @field_validator("filename")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        if any(c in "/\\" or not c.isprintable() for c in value) or value in (".", ".."):
            raise ValueError("is a file name only: no folders, no control characters")
        return value


class FileUploadFormOut(Schema):
    method: Literal["POST"] = "POST"
    url: str = Field(description="where to POST the form (multipart/form-data), straight to the stage's file store")
    fields: dict[str, str] = Field(description="send each as a form field, in this order, then the file as the last "
                                               "field, named `file`")
    expires_in: int = Field(description="seconds the form may still be sent")


class FileDownloadLinkOut(Schema):
    url: str = Field(description="a link that serves the file (as an attachment, with its name)")
    expires_in: int = Field(description="seconds the link works")


class FileOut(Schema):
    id: str
    ref: str = Field(description="what an object attaches, e.g. an appeal's `attachments`: file:<id>")
    name: str
    content_type: str
    size: int
    status: str = Field(description="pending: the upload was granted (the bytes may still be on their way); attached: "
                                    "its bytes were checked and an object took it (it is attached to nothing else)")
    created_at: Instant


class FileUploadOut(FileOut):
    upload: FileUploadFormOut


class FileDownloadOut(FileOut):
    download: FileDownloadLinkOut
