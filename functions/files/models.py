"""One uploaded (or announced) file: who owns it, what it is, where its bytes are.

The bytes live in the stage's bucket under `uploads/{owner_org}/{file_id}`; this item is the
platform's record of them, written (status "pending") in the uploader's unit of work when the
upload is granted, before a byte is sent. When an object takes the file (appeals' submit), the
bytes are checked in the bucket and the record becomes "attached" to that one object
(`attached_to`, e.g. `appeal#<id>`), in the object's own transaction; it is never attached again.

Access patterns (every read is a GetItem or a BatchGetItem by key; the table has no index)
| pattern                                             | key            | call |
|-----------------------------------------------------|----------------|------|
| grant an upload (POST /api/files)                   | `file_id` (new)| PutItem in the caller's transaction, `file_id` must not exist |
| one file's metadata and download (GET /api/files/…) | `file_id`      | GetItem |
| the attachments of a submission (require_owned, attach) | `file_id` × n | one BatchGetItem (≤ 10 references, consistent) |
| mark them attached (attach)                         | `file_id` × n  | UpdateItem in the object's transaction, `status = pending` |
| an object's attachments (attached: its page)        | `file_id` × n  | one BatchGetItem (none: no call) |
| one attachment through its object (read_attached)   | `file_id`      | GetItem, `attached_to` must be the object |
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
    status = UnicodeAttribute(default="pending")  # pending: granted, bytes maybe not arrived; attached: checked and taken
    created_at = UnicodeAttribute()  # UTC, ISO 8601
    object_key = UnicodeAttribute()  # uploads/{owner_org}/{file_id} in the stage's bucket
    attached_to = UnicodeAttribute(null=True)  # the one object that took it, e.g. appeal#<id>
    attached_at = UnicodeAttribute(null=True)  # UTC, ISO 8601

    @property
    def ref(self) -> str:
        return f"file:{self.file_id}"
