"""One uploaded (or announced) file: who owns it, what it is, where its bytes are.

The bytes live in the stage's bucket under `uploads/{owner_org}/{file_id}`; this item is the
platform's record of them, written (status "pending") in the uploader's unit of work when the
upload is granted, before a byte is sent.

Access patterns (every read is a GetItem or a BatchGetItem by key; the table has no index)
| pattern                                             | key            | call |
|-----------------------------------------------------|----------------|------|
| grant an upload (POST /api/files)                   | `file_id` (new)| PutItem in the caller's transaction, `file_id` must not exist |
| one file's metadata and download (GET /api/files/…) | `file_id`      | GetItem |
| the attachments of a submission (require_owned)     | `file_id` × n  | one BatchGetItem (≤ 10 references, consistent) |
"""
from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from functions.shared.models import BaseMeta, table_name


class FileRecord(Model):
    class Meta(BaseMeta):
        table_name = table_name("files")

    file_id = UnicodeAttribute(hash_key=True)
    owner_sub = UnicodeAttribute()  # the person (or client) who asked to upload it
    owner_org = UnicodeAttribute()  # their organisation: the owner of the file
    district = UnicodeAttribute()  # the uploader's district
    name = UnicodeAttribute()  # the file name as the uploader gave it (shown, and given back on download)
    content_type = UnicodeAttribute()
    size = NumberAttribute()  # bytes announced; the upload policy allows 1..size
    status = UnicodeAttribute(default="pending")  # pending: granted; the bytes may not have arrived yet
    created_at = UnicodeAttribute()  # UTC, ISO 8601
    object_key = UnicodeAttribute()  # uploads/{owner_org}/{file_id} in the stage's bucket

    @property
    def ref(self) -> str:
        return f"file:{self.file_id}"
