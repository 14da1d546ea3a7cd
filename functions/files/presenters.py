"""A file as the API shows it, from what the service read. No table reads here."""
from __future__ import annotations

from typing import Any

from functions.files.models import FileRecord
from functions.files.schemas import FileDownloadLinkOut, FileDownloadOut, FileUploadFormOut, FileUploadOut
from functions.files.service import Download, Upload
from functions.shared.clock import parse_instant


def _file(record: FileRecord) -> dict[str, Any]:
    return {"id": record.file_id, "ref": record.ref, "name": record.name, "content_type": record.content_type,
            "size": int(record.size), "status": record.status, "created_at": parse_instant(record.created_at)}


def upload(granted: Upload) -> FileUploadOut:
    return FileUploadOut(**_file(granted.record),
                         upload=FileUploadFormOut(url=granted.url, fields=granted.fields, expires_in=granted.expires_in))


def download(found: Download) -> FileDownloadOut:
    return FileDownloadOut(**_file(found.record), download=FileDownloadLinkOut(url=found.url, expires_in=found.expires_in))
