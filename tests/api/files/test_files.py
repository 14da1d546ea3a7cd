"""Files: upload grants (type, size, presigned conditions), reading back, and attachments at submit."""
from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support import SAMPLE_APPEAL, assert_problem, bearer, body, json_headers

ZHENGRIXIN = "91370202MA3C4R7K75"
PDF = {"filename": "退税申请表.pdf", "content_type": "application/pdf", "size": 12345}
MIB = 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FilesApi:
    def __init__(self, client, token):
        self.client = client
        self.token = token

    def pin(self, user: str) -> None:
        """From now on every request is `user`'s, with one token (issuing one reads the directory)."""
        issued = self.token(user)
        self.token = lambda _: issued

    def upload(self, user: str | None, headers: dict | None = None, **fields):
        payload = {**PDF, **fields}
        return self.client.http.post("/api/files", headers=json_headers(self.token(user) if user else None, **(headers or {})),
                                     body=json.dumps(payload, ensure_ascii=False))

    def granted(self, user: str, **fields) -> dict:
        response = self.upload(user, **fields)
        assert response.status_code == 201, response.body
        return body(response)

    def put_bytes(self, granted: dict, content: bytes = b"%PDF-1.4 test", content_type: str | None = None) -> None:
        """What the browser's form does: the object at the granted key (moto takes it unchecked)."""
        import boto3

        boto3.client("s3", region_name="us-east-1").put_object(
            Bucket="qd-test-files", Key=granted["upload"]["fields"]["key"], Body=content,
            ContentType=content_type or granted["content_type"])

    def uploaded(self, user: str, **fields) -> dict:
        """Granted, and its bytes sent as granted."""
        granted = self.granted(user, **fields)
        self.put_bytes(granted)
        return granted

    def read(self, user: str | None, file_id: str):
        return self.client.http.get(f"/api/files/{file_id}", headers=bearer(self.token(user)) if user else {})

    def submit(self, user: str | None, **fields):
        payload = {**SAMPLE_APPEAL, **fields}
        return self.client.http.post("/api/appeals", headers=json_headers(self.token(user) if user else None),
                                     body=json.dumps(payload, ensure_ascii=False))


@pytest.fixture
def files(client, token, clock):
    import boto3

    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="qd-test-files")
    return FilesApi(client, token)


def policy_of(form: dict) -> dict:
    return json.loads(base64.b64decode(form["fields"]["policy"]))


# -- granting an upload ----------------------------------------------------------------------------
def test_a_grant_is_a_presigned_post_for_exactly_this_file(files):
    granted = files.granted("ent-zhengrixin")
    file_id = granted["id"]
    assert granted["ref"] == f"file:{file_id}" and granted["status"] == "pending"
    assert (granted["name"], granted["content_type"], granted["size"]) == ("退税申请表.pdf", "application/pdf", 12345)
    assert granted["created_at"] == "2026-11-20T10:00:00+08:00"
    form = granted["upload"]
    assert form["method"] == "POST" and form["url"] == "https://qd-test-files.s3.amazonaws.com/"
    assert form["expires_in"] == 900
    key = f"uploads/{ZHENGRIXIN}/{file_id}"
    assert form["fields"]["key"] == key and form["fields"]["Content-Type"] == "application/pdf"
    assert form["fields"]["x-amz-algorithm"] == "AWS4-HMAC-SHA256" and form["fields"]["x-amz-signature"]
    conditions = policy_of(form)["conditions"]
    assert {"bucket": "qd-test-files"} in conditions
    assert {"key": key} in conditions  # the exact key, not a prefix
    assert {"Content-Type": "application/pdf"} in conditions
    assert ["content-length-range", 1, 12345] in conditions


@pytest.mark.parametrize("filename, content_type", [
    ("a.pdf", "application/pdf"), ("photo.JPG", "image/jpeg"), ("photo.jpeg", "image/jpeg"), ("scan.png", "image/png"),
    ("letter.doc", "application/msword"), ("letter.docx", DOCX), ("sheet.xls", "application/vnd.ms-excel"),
    ("sheet.xlsx", XLSX),
])
def test_the_allowed_types(files, filename, content_type):
    granted = files.granted("ent-zhengrixin", filename=filename, content_type=content_type)
    assert {"Content-Type": content_type} in policy_of(granted["upload"])["conditions"]


@pytest.mark.parametrize("content_type", ["text/html", "image/svg+xml", "application/zip", "application/octet-stream",
                                          "image/gif", "application/x-msdownload"])
def test_other_types_are_refused_naming_the_field(files, content_type):
    problem = assert_problem(files.upload("ent-zhengrixin", filename="x.pdf", content_type=content_type), 422, "content_type")
    assert "application/pdf" in problem["errors"][0]["message"]  # says what is accepted


def test_the_openapi_document_says_which_types_and_how_large(client):
    document = body(client.http.get("/api/openapi.json"))
    schema = document["components"]["schemas"]["FileUploadIn"]["properties"]
    assert set(schema["content_type"]["enum"]) == {"application/pdf", "image/jpeg", "image/png", "application/msword", DOCX,
                                                   "application/vnd.ms-excel", XLSX}
    assert schema["size"]["maximum"] == 10 * MIB


def test_size_is_one_byte_to_ten_mebibytes(files):
    assert files.upload("ent-zhengrixin", size=10 * MIB).status_code == 201
    assert ["content-length-range", 1, 10 * MIB] in policy_of(files.granted("ent-zhengrixin", size=10 * MIB)["upload"])["conditions"]
    for size in (0, -1, 10 * MIB + 1, "12345", 1.5, True):
        assert_problem(files.upload("ent-zhengrixin", size=size), 422, "size")


@pytest.mark.parametrize("filename", ["../../etc/passwd.pdf", "dir\\x.pdf", "a\nb.pdf", "", "x" * 201 + ".pdf"])
def test_a_file_name_is_a_name(files, filename):
    assert_problem(files.upload("ent-zhengrixin", filename=filename), 422, "filename")


def test_the_name_must_fit_the_type(files):
    problem = assert_problem(files.upload("ent-zhengrixin", filename="report.html", content_type="application/pdf"),
                             422, "filename")
    assert ".pdf" in problem["errors"][0]["message"]


def test_uploads_are_for_signed_in_callers_who_may_write(files):
    assert_problem(files.upload(None), 401)
    assert_problem(files.upload("auditor-city"), 403)  # reads everything, changes nothing
    assert files.upload("staff-tax").status_code == 201  # intake staff attach what a caller sent


def test_the_grant_is_audited(files, client, token):
    granted = files.granted("ent-zhengrixin")
    trail = body(client.http.get(f"/api/audit?entity=file%23{granted['id']}", headers=bearer(token("auditor-city"))))
    (record,) = trail["items"]
    assert record["action"] == "file.upload_granted"
    assert (record["actor_sub"], record["actor_role"], record["actor_org"]) == ("ent-zhengrixin", "enterprise", ZHENGRIXIN)
    assert record["after"] == {"name": "退税申请表.pdf", "content_type": "application/pdf", "size": 12345, "owner_org": ZHENGRIXIN}


def test_a_grant_is_one_transaction_and_replays_with_its_key(files, dynamo_calls):
    files.pin("ent-zhengrixin")
    files.granted("ent-zhengrixin")  # warm the token keys
    dynamo_calls.reset()
    key = {"Idempotency-Key": "6f1c2a4e-2b7d-4f5e-9c1a-8d3e5f7a9b0c"}
    first = files.upload("ent-zhengrixin", headers=key)
    assert first.status_code == 201
    assert dynamo_calls.by_operation == {"GetItem": 1, "TransactWriteItems": 1}  # the key's record, the write
    again = files.upload("ent-zhengrixin", headers=key)
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert body(again) == body(first)  # the same file and the same form, not a second file


# -- reading a file back ---------------------------------------------------------------------------
def test_the_owner_reads_it_back_with_a_short_lived_link(files, dynamo_calls):
    files.pin("ent-zhengrixin")
    granted = files.granted("ent-zhengrixin")
    dynamo_calls.reset()
    response = files.read("ent-zhengrixin", granted["id"])
    assert response.status_code == 200, response.body
    assert dynamo_calls.by_operation == {"GetItem": 1}
    found = body(response)
    assert {k: found[k] for k in ("id", "ref", "name", "content_type", "size", "status")} == {
        k: granted[k] for k in ("id", "ref", "name", "content_type", "size", "status")}
    link = urlsplit(found["download"]["url"])
    assert found["download"]["expires_in"] == 300
    assert link.netloc == "qd-test-files.s3.amazonaws.com" and link.path == f"/uploads/{ZHENGRIXIN}/{granted['id']}"
    query = parse_qs(link.query)
    assert query["X-Amz-Expires"] == ["300"] and query["response-content-type"] == ["application/pdf"]
    disposition = query["response-content-disposition"][0]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''%E9%80%80" in disposition


def test_another_organisation_gets_404(files):
    granted = files.granted("ent-zhengrixin")
    for user in ("ent-hailian-trade", "staff-tax", "dispatcher-city", "admin-city"):
        assert_problem(files.read(user, granted["id"]), 404)
    assert_problem(files.read("ent-zhengrixin", "0" * 32), 404)
    assert_problem(files.read(None, granted["id"]), 401)


# -- attachments at submit -------------------------------------------------------------------------
def test_an_appeal_attaches_its_own_files(files, dynamo_calls):
    first, second = files.uploaded("ent-zhengrixin"), files.uploaded("ent-zhengrixin", filename="照片.png", content_type="image/png")
    files.submit("ent-hailian-trade", district="370211")  # warm the per-process caches (rules, units, calendar)
    files.pin("ent-zhengrixin")
    dynamo_calls.reset()
    response = files.submit("ent-zhengrixin", attachments=[first["ref"], second["ref"]])
    assert response.status_code == 201, response.body
    # As without attachments (the duplicate check, the ticket number, the transaction), plus one
    # BatchGetItem for all the references; marking them attached rides in the one transaction
    # (and each file costs one HeadObject on the bucket, not a DynamoDB call).
    assert dynamo_calls.by_operation == {"Query": 1, "UpdateItem": 1, "BatchGetItem": 1, "TransactWriteItems": 1}
    from functions.appeals.models import Appeal
    from functions.files.models import FileRecord

    appeal_id = body(response)["id"]
    assert Appeal.get(appeal_id).attachments == [first["ref"], second["ref"]]
    for granted in (first, second):
        record = FileRecord.get(granted["id"])
        assert (record.status, record.attached_to, record.attached_at) == ("attached", f"appeal#{appeal_id}",
                                                                          "2026-11-20T02:00:00.000000Z")


def test_another_organisations_file_is_refused_at_submit(files, dynamo_calls):
    theirs = files.granted("ent-hailian-trade")
    problem = assert_problem(files.submit("ent-zhengrixin", attachments=[theirs["ref"]]), 422, "attachments[0]")
    assert problem["errors"] == [{"field": "attachments[0]", "message": "is not a file of your organisation"}]
    ours = files.uploaded("ent-zhengrixin")
    problem = assert_problem(files.submit("ent-zhengrixin", attachments=[ours["ref"], theirs["ref"]]), 422, "attachments[1]")
    assert [e["field"] for e in problem["errors"]] == ["attachments[1]"]


def test_what_is_not_an_own_file_is_refused_alike(files):
    ours = files.uploaded("ent-zhengrixin")
    refs = ["https://files.example.com/a.jpg", f"file:{'0' * 32}", ours["ref"], ours["ref"], "file:../x"]
    problem = assert_problem(files.submit("ent-zhengrixin", attachments=refs), 422)
    assert [e["field"] for e in problem["errors"]] == ["attachments[0]", "attachments[1]", "attachments[3]", "attachments[4]"]
    # a file that does not exist is refused in the same words as another organisation's
    assert problem["errors"][1]["message"] == "is not a file of your organisation"


def test_intake_staff_attach_their_units_files_not_the_enterprises(files):
    staff_file = files.uploaded("staff-tax")
    hotline = {"channel": "hotline_12345", "enterprise_uscc": ZHENGRIXIN}
    assert files.submit("staff-tax", attachments=[staff_file["ref"]], **hotline).status_code == 201
    ent_file = files.granted("ent-zhengrixin")
    assert_problem(files.submit("dispatcher-city", attachments=[ent_file["ref"]], **hotline), 422, "attachments[0]")


def test_an_anonymous_report_cannot_attach(files):
    ours = files.granted("ent-zhengrixin")
    report = {"category": "report", "anonymous": True, "contact": None, "title": "某窗口工作人员索要好处费",
              "content": "在办理开办手续时，窗口工作人员暗示需要额外费用才能加快办理。"}
    problem = assert_problem(files.submit(None, attachments=[ours["ref"]], **report), 422, "attachments")
    assert problem["errors"][0]["field"] == "attachments"
    assert files.submit(None, **report).status_code == 201  # without attachments it goes through


def test_without_attachments_submit_reads_no_files(files, dynamo_calls):
    files.submit("ent-hailian-trade", district="370211")
    files.pin("ent-zhengrixin")
    dynamo_calls.reset()
    assert files.submit("ent-zhengrixin").status_code == 201
    assert "BatchGetItem" not in dynamo_calls.by_operation
    assert dynamo_calls.by_operation == {"Query": 1, "UpdateItem": 1, "TransactWriteItems": 1}


def test_a_signed_in_confidential_report_carries_no_uploaded_file(files):
    """A file record names the organisation that uploaded it: attached to a sealed report, it would
    unseal the reporter (the vault's guarantee, tests/api/appeals/test_confidentiality.py)."""
    ours = files.granted("ent-zhengrixin")
    report = {"category": "report", "title": "某窗口工作人员索要好处费", "content": "在办理开办手续时，窗口工作人员暗示需要额外费用才能加快办理。"}
    problem = assert_problem(files.submit("ent-zhengrixin", attachments=[ours["ref"]], **report), 422, "attachments")
    assert "names the organisation" in problem["errors"][0]["message"]
    assert files.submit("ent-zhengrixin", **report).status_code == 201
