"""File routes: grant an upload (the bytes go straight to the stage's bucket), read one back."""
from __future__ import annotations

from functions.api.routes import ApiBlueprint, Call
from functions.files import presenters, service
from functions.files.schemas import FileDownloadOut, FileUploadIn, FileUploadOut

bp = ApiBlueprint(__name__, tag="files")


@bp.api(
    "/files",
    "POST",
    summary="Announce a file and get the form that uploads it straight to the file store",
    description="Answers a presigned POST for exactly this file (its key, Content-Type and at most `size` bytes), valid "
                "for 15 minutes, and the reference (`file:<id>`) an object attaches. The file belongs to the caller's "
                "organisation.",
    body=FileUploadIn,
    response=FileUploadOut,
    status=201,
    errors=(403,),
)
def upload(call: Call):
    body: FileUploadIn = call.body
    return presenters.upload(service.grant_upload(call.uow, call.caller, body.filename, body.content_type, body.size))


@bp.api("/files/{file_id}", summary="A file of the caller's organisation, with a short-lived download link",
        response=FileDownloadOut, errors=(404,))
def read(call: Call):
    return presenters.download(service.read(call.caller, call.params["file_id"]))
