"""Files: grant an upload, read one back, and check the references an object attaches. No Chalice.

The bytes never pass through the API. `grant_upload` records the file (status "pending") in the
caller's unit of work and answers an S3 presigned POST that allows exactly one object: the key
`uploads/{org}/{file_id}`, the declared Content-Type, 1..size bytes, for UPLOAD_SECONDS. The
browser sends the form straight to the stage's bucket (on AWS the bucket's CORS rule admits the
site's origin, infra/resources.py; locally the stack gives moto the same rule, infra/local). A file
is its uploader's organisation's: only that organisation reads it back (`read`: metadata and a
presigned GET of DOWNLOAD_SECONDS; anyone else gets 404) and only that organisation may attach it.

Where an object takes attachments (appeals' submit) the platform calls `attach`: every reference
names a file of the caller's organisation that nothing has taken yet, and its bytes are in the
bucket (one HeadObject each: the object exists, at most the granted size, the declared
Content-Type). Each record then becomes "attached" to that one object (`attached_to`) in the
object's own unit of work, with an audit record, so the object, its files' status and the audit
commit together; a file attached once is never attached again. Whoever may read the object then
reads its files through it (`attached`, `read_attached`): the object's platform checks access to
the object, this module checks the file belongs to it.

A reference is `file:{file_id}`. Anonymous callers attach nothing.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Iterable
from urllib.parse import quote

from functions.files.models import FileRecord
from functions.identity.principal import READ_ONLY_ROLES, Principal
from functions.settings import get_settings
from functions.shared import bucket
from functions.shared.audit import UnitOfWork
from functions.shared.cache import ProcessCache
from functions.shared.clock import isoformat_utc
from functions.shared.errors import FieldError, Forbidden, NotFound, ValidationFailed

MAX_SIZE = 10 * 1024 * 1024  # 10 MiB
UPLOAD_SECONDS = 15 * 60  # how long the upload form may be sent
DOWNLOAD_SECONDS = 5 * 60  # how long a download link works
PENDING = "pending"
ATTACHED = "attached"
REF_PREFIX = "file:"
# What may be uploaded: the type the form must declare, and the endings its file name may have.
ALLOWED_TYPES: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "application/msword": (".doc",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.ms-excel": (".xls",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
}
_REF = re.compile(r"^file:([0-9a-f]{32})$")
_LINK_SCHEMES = ("https://", "http://")


_s3 = ProcessCache("files.s3-client", bucket.new_client)


def object_key(org_id: str, file_id: str) -> str:
    return f"uploads/{org_id}/{file_id}"


def allowed_types_text() -> str:
    return "; ".join(f"{kind} ({', '.join(endings)})" for kind, endings in ALLOWED_TYPES.items())


@dataclass(frozen=True)
class Upload:
    """A granted upload: the record, and the form the browser POSTs to `url` (the fields, then the file)."""

    record: FileRecord
    url: str
    fields: dict[str, str]
    expires_in: int


@dataclass(frozen=True)
class Download:
    record: FileRecord
    url: str
    expires_in: int


def _check(filename: str, content_type: str, size: int) -> None:
    errors = []
    endings = ALLOWED_TYPES.get(content_type)
    if endings is None:
        errors.append(FieldError("content_type", f"is not accepted; upload one of: {allowed_types_text()}"))
    elif not filename.lower().endswith(endings):
        errors.append(FieldError("filename", f"a {content_type} file's name ends in {' or '.join(endings)}"))
    if not 1 <= size <= MAX_SIZE:
        errors.append(FieldError("size", f"must be 1 to {MAX_SIZE} bytes (10 MiB)"))
    if errors:
        raise ValidationFailed(errors)


def grant_upload(uow: UnitOfWork, caller: Principal, filename: str, content_type: str, size: int) -> Upload:
    """Record a pending file of the caller's organisation and sign the one upload that may fill it."""
    if caller.role in READ_ONLY_ROLES:
        raise Forbidden(f"A {caller.role} uploads nothing.")
    _check(filename, content_type, size)
    file_id = uuid.uuid4().hex
    record = FileRecord(
        file_id=file_id, owner_sub=caller.sub, owner_org=caller.org_id, district=caller.district, name=filename,
        content_type=content_type, size=size, status=PENDING, created_at=isoformat_utc(uow.now),
        object_key=object_key(caller.org_id, file_id),
    )
    uow.put(record, FileRecord.file_id.does_not_exist(), label="file")
    uow.audit(f"file#{file_id}", "file.upload_granted",
              after={"name": filename, "content_type": content_type, "size": size, "owner_org": caller.org_id})
    post = _s3.get().generate_presigned_post(
        Bucket=get_settings().bucket_name,
        Key=record.object_key,
        Fields={"Content-Type": content_type},
        # boto3 adds {"bucket"}, {"key"} and the signature's own fields; S3 refuses any other field.
        Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, size]],
        ExpiresIn=UPLOAD_SECONDS,
    )
    return Upload(record, post["url"], dict(post["fields"]), UPLOAD_SECONDS)


def _owned(caller: Principal, record: FileRecord | None) -> bool:
    return record is not None and record.owner_org == caller.org_id


def read(caller: Principal, file_id: str) -> Download:
    """The file's metadata and a short-lived download link: for its owner's organisation only (404 otherwise)."""
    try:
        record = FileRecord.get(file_id)
    except FileRecord.DoesNotExist:
        record = None
    if not _owned(caller, record):
        raise NotFound(f"No file {file_id}.")
    return _download(record)


def _download(record: FileRecord) -> Download:
    url = _s3.get().generate_presigned_url(
        "get_object",
        Params={"Bucket": get_settings().bucket_name, "Key": record.object_key,
                "ResponseContentType": record.content_type, "ResponseContentDisposition": content_disposition(record.name)},
        ExpiresIn=DOWNLOAD_SECONDS,
    )
    return Download(record, url, DOWNLOAD_SECONDS)


def content_disposition(name: str) -> str:
    """`attachment` with the file's own name (RFC 6266: an ASCII fallback, then the UTF-8 name)."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def parse_ref(ref: str) -> str | None:
    """`file:{file_id}` → the id; anything else → None."""
    match = _REF.match(ref)
    return match.group(1) if match else None


def require_owned(caller: Principal | None, refs: Iterable[str], field: str = "attachments", *,
                  links: bool = False) -> list[FileRecord]:
    """Every reference names a file of the caller's organisation, or 422 naming each one that does not
    (`attachments[1]`): a file of another organisation and no file at all are refused alike, so a
    reference does not tell whether it exists. No references: no call. Otherwise one consistent
    BatchGetItem for all of them (an object takes at most a few).

    `links=True` also admits http(s) links, unchecked: an intake channel's own media (Open311's
    `media_url`, which its intake checked), not a file of this stage. Anonymous callers attach nothing.
    """
    errors, found = _resolve(caller, refs, field, links)
    _raise_if(errors)
    return list(found.values())


def attach(uow: UnitOfWork, caller: Principal | None, refs: Iterable[str], to: str, field: str = "attachments", *,
           links: bool = False) -> list[FileRecord]:
    """Take the referenced files for the object `to` (e.g. `appeal#<id>`), in the caller's unit of work.

    As `require_owned`, and each file is one nothing has taken yet ("is already attached to another
    object") whose bytes are in the bucket as granted ("has not been uploaded yet", "does not match
    what was granted"): one HeadObject per file, made only for the caller's own untaken files. Then
    each record is marked attached to `to`, conditional on its still being pending (a concurrent
    attach of the same file loses the transaction: 409), with a `file.attached` audit record.
    No references: no call at all.
    """
    errors, found = _resolve(caller, refs, field, links)
    for position, record in list(found.items()):
        name = f"{field}[{position}]"
        if record.status != PENDING:
            errors.append((position, FieldError(name, "is already attached to another object; upload the file again")))
        elif (problem := _check_stored(record)) is not None:
            errors.append((position, FieldError(name, problem)))
    _raise_if(errors)
    at = isoformat_utc(uow.now)
    for record in found.values():
        uow.update(record, [FileRecord.status.set(ATTACHED), FileRecord.attached_to.set(to), FileRecord.attached_at.set(at)],
                   condition=(FileRecord.status == PENDING) & (FileRecord.owner_org == record.owner_org), label="attachment")
        record.status, record.attached_to, record.attached_at = ATTACHED, to, at
        uow.audit(f"file#{record.file_id}", "file.attached",
                  before={"status": PENDING}, after={"status": ATTACHED, "attached_to": to})
    return list(found.values())


def _check_stored(record: FileRecord) -> str | None:
    """What is wrong with the bytes in the bucket, or None: they exist, 1..size bytes, the declared type."""
    from botocore.exceptions import ClientError

    try:
        head = _s3.get().head_object(Bucket=get_settings().bucket_name, Key=record.object_key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return "has not been uploaded yet"
        raise
    stored_type = (head.get("ContentType") or "").split(";")[0].strip().lower()
    if not 1 <= int(head.get("ContentLength", 0)) <= int(record.size) or stored_type != record.content_type:
        return "does not match what was granted"
    return None


def attached(refs: Iterable[str], to: str) -> list[FileRecord]:
    """The files of `refs` attached to the object `to`, in the order of `refs`; links and anything not
    attached to `to` are left out. The caller checked that its reader may read the object. One
    BatchGetItem; no file references: no call."""
    ids = [file_id for file_id in dict.fromkeys(parse_ref(ref) for ref in refs) if file_id]
    if not ids:
        return []
    found = {r.file_id: r for r in FileRecord.batch_get(ids)}
    return [found[i] for i in ids if i in found and found[i].attached_to == to]


def read_attached(file_id: str, to: str) -> Download:
    """A file attached to the object `to`, with a short-lived download link (404 for any other file).
    The caller checked that its reader may read the object and that the object lists the file."""
    try:
        record = FileRecord.get(file_id)
    except FileRecord.DoesNotExist:
        record = None
    if record is None or record.attached_to != to:
        raise NotFound(f"No file {file_id}.")
    return _download(record)


def _raise_if(errors: list[tuple[int, FieldError]]) -> None:
    if errors:
        raise ValidationFailed([error for _, error in sorted(errors, key=lambda pair: pair[0])])


def _resolve(caller: Principal | None, refs: Iterable[str], field: str,
             links: bool) -> tuple[list[tuple[int, FieldError]], dict[int, FileRecord]]:
    """The errors by position, and the caller's own files by position (one consistent BatchGetItem)."""
    refs = list(refs)
    if not refs:
        return [], {}
    if caller is None:
        raise ValidationFailed([FieldError(field, "only a signed-in caller attaches files; an anonymous report carries none")])
    errors: list[tuple[int, FieldError]] = []
    wanted: dict[str, int] = {}  # file id → its position
    for position, ref in enumerate(refs):
        name = f"{field}[{position}]"
        if links and ref.lower().startswith(_LINK_SCHEMES):
            continue
        file_id = parse_ref(ref)
        if file_id is None:
            errors.append((position, FieldError(name, "is not a file reference (file:<id>, from POST /api/files)")))
        elif file_id in wanted:
            errors.append((position, FieldError(name, "is attached twice")))
        else:
            wanted[file_id] = position
    found = {r.file_id: r for r in FileRecord.batch_get(list(wanted), consistent_read=True)} if wanted else {}
    owned: dict[int, FileRecord] = {}
    for file_id, position in wanted.items():
        if _owned(caller, found.get(file_id)):
            owned[position] = found[file_id]
        else:
            errors.append((position, FieldError(f"{field}[{position}]", "is not a file of your organisation")))
    return errors, owned
