"""An appeal's attachments: checked in the bucket and taken at submit, listed on its page, and read
through the appeal by whoever may read the appeal.

Rules (functions/files/service.py `attach`, functions/appeals/service.py `read_attachment`):
- at submit each `file:<id>` must be the caller's organisation's, untaken, and its bytes in the
  bucket as granted (exists; 1..size bytes; the declared Content-Type), else 422 `attachments[i]`;
- the records become "attached" to `appeal#<id>` in the submission's transaction, each with a
  `file.attached` audit record; a refused submission leaves them pending; taken once, never again;
- GET /api/appeals/{id}/files/{file_id} answers exactly whom GET /api/appeals/{id} answers, and only
  for a file that appeal lists (404 otherwise).
"""
from __future__ import annotations

import json

import boto3
import pytest

from tests.api.appeals.conftest import ZHENGRIXIN
from tests.support import SAMPLE_APPEAL, assert_problem, bearer, body, json_headers

BUCKET = "qd-test-files"
CONTENT = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PDF = {"filename": "退税申请表.pdf", "content_type": "application/pdf", "size": len(CONTENT)}
USERS = (
    None, "ent-zhengrixin", "ent-hailian-trade", "ent-bluesea-soft", "staff-tax", "staff-customs", "staff-laoshan",
    "staff-jimo", "dispatcher-city", "supervisor-city", "custodian-city", "admin-city", "admin-laoshan", "auditor-city",
    "bank-qrcb-client",
)


class Scene:
    def __init__(self, client, token):
        self.client, self.token = client, token
        self.s3 = boto3.client("s3", region_name="us-east-1")
        self.s3.create_bucket(Bucket=BUCKET)

    def grant(self, user: str = "ent-zhengrixin", **fields) -> dict:
        response = self.client.http.post("/api/files", headers=json_headers(self.token(user)),
                                         body=json.dumps({**PDF, **fields}, ensure_ascii=False))
        assert response.status_code == 201, response.body
        return body(response)

    def put(self, granted: dict, content: bytes = CONTENT, content_type: str | None = None) -> None:
        self.s3.put_object(Bucket=BUCKET, Key=granted["upload"]["fields"]["key"], Body=content,
                           ContentType=content_type or granted["content_type"])

    def uploaded(self, user: str = "ent-zhengrixin", **fields) -> dict:
        granted = self.grant(user, **fields)
        self.put(granted)
        return granted

    def submit(self, user: str = "ent-zhengrixin", **fields):
        return self.client.http.post("/api/appeals", headers=json_headers(self.token(user)),
                                     body=json.dumps({**SAMPLE_APPEAL, **fields}, ensure_ascii=False))

    def submitted(self, refs: list[str], **fields) -> str:
        response = self.submit(attachments=refs, **fields)
        assert response.status_code == 201, response.body
        return body(response)["id"]

    def get(self, user: str | None, path: str):
        return self.client.http.get(path, headers=bearer(self.token(user)) if user else {})

    def act(self, user: str, appeal_id: str, action: str, **fields) -> None:
        response = self.client.http.post(f"/api/appeals/{appeal_id}/{action}", headers=json_headers(self.token(user)),
                                         body=json.dumps(fields, ensure_ascii=False))
        assert response.status_code == 200, response.body


@pytest.fixture
def scene(client, token, clock):
    return Scene(client, token)


def record_of(file_id: str):
    from functions.files.models import FileRecord

    return FileRecord.get(file_id, consistent_read=True)


def refused(response, *fields_and_messages: tuple[str, str]) -> None:
    problem = assert_problem(response, 422)
    assert [(e["field"], e["message"]) for e in problem["errors"]] == list(fields_and_messages)


# -- taking the files at submit -------------------------------------------------------------------
def test_submit_takes_the_files_and_audits_it_with_the_appeal(scene, client, token):
    first, second = scene.uploaded(), scene.uploaded(filename="现场照片.png", content_type="image/png")
    appeal_id = scene.submitted([first["ref"], second["ref"]])
    trail = lambda entity: body(client.http.get(f"/api/audit?entity={entity}", headers=bearer(token("auditor-city"))))["items"]  # noqa: E731
    submitted = next(r for r in trail(f"appeal%23{appeal_id}") if r["action"] == "appeal.submitted")
    for granted in (first, second):
        record = record_of(granted["id"])
        assert (record.status, record.attached_to) == ("attached", f"appeal#{appeal_id}")
        (attached,) = [r for r in trail(f"file%23{granted['id']}") if r["action"] == "file.attached"]
        assert attached["after"] == {"status": "attached",
                                                                                "attached_to": f"appeal#{appeal_id}"}
        assert attached["request_id"] == submitted["request_id"]  # one request, one transaction
        assert attached["actor_sub"] == "ent-zhengrixin"


def test_a_file_whose_bytes_never_arrived_is_refused_and_nothing_is_taken(scene):
    arrived, missing = scene.uploaded(), scene.grant()
    refused(scene.submit(attachments=[arrived["ref"], missing["ref"]]), ("attachments[1]", "has not been uploaded yet"))
    assert record_of(arrived["id"]).status == "pending"  # the refused submission took nothing
    scene.put(missing)
    appeal_id = scene.submitted([arrived["ref"], missing["ref"]])
    assert {record_of(f["id"]).attached_to for f in (arrived, missing)} == {f"appeal#{appeal_id}"}


@pytest.mark.parametrize("content, content_type", [
    (CONTENT + b"x", "application/pdf"),  # one byte more than granted (S3 refuses it; a copy would not)
    (CONTENT, "text/html"),  # another type than the one declared
])
def test_bytes_that_are_not_what_was_granted_are_refused(scene, content, content_type):
    granted = scene.grant()
    scene.put(granted, content, content_type)
    refused(scene.submit(attachments=[granted["ref"]]), ("attachments[0]", "does not match what was granted"))
    assert record_of(granted["id"]).status == "pending"


def test_a_smaller_file_than_granted_is_fine(scene):
    granted = scene.grant(size=10_000)
    scene.put(granted)
    assert scene.submit(attachments=[granted["ref"]]).status_code == 201


def test_a_file_is_taken_once(scene):
    granted = scene.uploaded()
    first = scene.submitted([granted["ref"]])
    refused(scene.submit(attachments=[granted["ref"]], title="另一件事：厂区用电增容", content="厂区用电增容申请三个月未批复。"),
            ("attachments[0]", "is already attached to another object; upload the file again"))
    assert record_of(granted["id"]).attached_to == f"appeal#{first}"


@pytest.fixture
def heads():
    """The keys the API asks the bucket about (HeadObject), seen on its own S3 client."""
    from functions.files import service as files

    asked: list[str] = []
    files._s3.get().meta.events.register("before-call.s3.HeadObject",
                                          lambda params, **_: asked.append(params["url_path"].rsplit("/", 1)[1]))
    return asked


def test_another_organisations_file_is_not_probed_in_the_bucket(scene, heads):
    """Ownership is decided first: the bucket is asked only about the caller's own untaken files."""
    theirs = scene.uploaded("ent-hailian-trade")
    ours = scene.uploaded()
    refused(scene.submit(attachments=[theirs["ref"], ours["ref"]]), ("attachments[0]", "is not a file of your organisation"))
    assert heads == [ours["id"]]
    taken = scene.uploaded()
    scene.submitted([taken["ref"]])
    heads.clear()
    refused(scene.submit(attachments=[taken["ref"]], title="另一件事：厂区用电增容", content="厂区用电增容申请三个月未批复。"),
            ("attachments[0]", "is already attached to another object; upload the file again"))
    assert heads == []


def test_two_submissions_racing_for_one_file_cannot_both_take_it(scene, clock):
    """Both pass the checks before either commits; the record's condition (still pending) lets one win."""
    from functions.files import service as files
    from functions.identity.principal import Principal
    from functions.shared.audit import UnitOfWork
    from functions.shared.errors import Conflict

    granted = scene.uploaded()
    caller = Principal(sub="ent-zhengrixin", role="enterprise", org_id=ZHENGRIXIN, district="370202")
    first, second = (UnitOfWork.for_actor(caller, f"r{i}", clock.now()) for i in (1, 2))
    files.attach(first, caller, [granted["ref"]], "appeal#a1")
    files.attach(second, caller, [granted["ref"]], "appeal#a2")
    first.commit()
    with pytest.raises(Conflict):
        second.commit()
    assert record_of(granted["id"]).attached_to == "appeal#a1"


def test_submit_budgets(scene, client, token, dynamo_calls, heads):
    """Without attachments a submit costs what it did (Query, UpdateItem, TransactWriteItems); with n
    files, one BatchGetItem more (all n) and n HeadObjects on the bucket; the n updates and audit
    records ride in the one transaction."""
    files = [scene.uploaded() for _ in range(3)]
    scene.submit("ent-hailian-trade", district="370211")  # warm the per-process caches
    issued = token("ent-zhengrixin")
    scene.token = lambda _: issued
    dynamo_calls.reset()
    scene.submitted([], title="厂区用电增容三个月未批复", content="厂区用电增容申请三个月未批复，影响投产。")
    assert dynamo_calls.by_operation == {"Query": 1, "UpdateItem": 1, "TransactWriteItems": 1}
    dynamo_calls.reset()
    assert heads == []
    scene.submitted([f["ref"] for f in files])
    assert dynamo_calls.by_operation == {"Query": 1, "UpdateItem": 1, "BatchGetItem": 1, "TransactWriteItems": 1}
    assert heads == [f["id"] for f in files]


# -- the appeal lists its files -------------------------------------------------------------------
def test_the_appeal_lists_its_files_in_order(scene):
    first, second = scene.uploaded(), scene.uploaded(filename="现场照片.png", content_type="image/png", size=4096)
    appeal_id = scene.submitted([second["ref"], first["ref"]])
    answer = body(scene.get("staff-tax", f"/api/appeals/{appeal_id}"))
    assert answer["attachment_files"] == [
        {"id": second["id"], "ref": second["ref"], "name": "现场照片.png", "content_type": "image/png", "size": 4096},
        {"id": first["id"], "ref": first["ref"], "name": "退税申请表.pdf", "content_type": "application/pdf",
         "size": len(CONTENT)},
    ]


def test_reading_an_appeal_costs_one_batch_more_only_when_it_has_files(scene, token, dynamo_calls):
    plain = scene.submitted([])
    with_files = scene.submitted([scene.uploaded()["ref"], scene.uploaded()["ref"]],
                                 title="厂区用电增容三个月未批复", content="厂区用电增容申请三个月未批复，影响投产。")
    issued = token("dispatcher-city")
    scene.token = lambda _: issued
    scene.get("dispatcher-city", f"/api/appeals/{plain}")  # warm the token keys and the unit directory
    dynamo_calls.reset()
    assert scene.get("dispatcher-city", f"/api/appeals/{plain}").status_code == 200
    # the appeal, its clocks, its timeline
    assert dynamo_calls.by_operation == {"GetItem": 1, "Query": 2}
    dynamo_calls.reset()
    assert len(body(scene.get("dispatcher-city", f"/api/appeals/{with_files}"))["attachment_files"]) == 2
    assert dynamo_calls.by_operation == {"GetItem": 1, "Query": 2, "BatchGetItem": 1}  # + the files, in one batch


def test_an_intake_channels_links_are_not_files(scene):
    from functions.appeals.models import Appeal

    appeal_id = scene.submitted([])
    appeal = Appeal.get(appeal_id)
    appeal.attachments = ["https://files.example.com/a.jpg"]
    appeal.save()
    assert body(scene.get("ent-zhengrixin", f"/api/appeals/{appeal_id}"))["attachment_files"] == []


# -- reading a file through its appeal ------------------------------------------------------------
@pytest.fixture
def handled(scene):
    """正日信's tax appeal with one file, led by unit-tax with unit-customs co-handling."""
    granted = scene.uploaded()
    appeal_id = scene.submitted([granted["ref"]])
    scene.act("dispatcher-city", appeal_id, "dispatch", unit_id="unit-tax", co_unit_ids=["unit-customs"])
    return appeal_id, granted


@pytest.mark.parametrize("user", USERS, ids=lambda user: user or "anonymous")
def test_whoever_reads_the_appeal_reads_its_files_and_nobody_else(scene, handled, user):
    appeal_id, granted = handled
    appeal = scene.get(user, f"/api/appeals/{appeal_id}")
    found = scene.get(user, f"/api/appeals/{appeal_id}/files/{granted['id']}")
    assert found.status_code == appeal.status_code, (found.status_code, appeal.status_code)
    if user in ("ent-zhengrixin", "staff-tax", "staff-customs", "dispatcher-city", "supervisor-city", "auditor-city"):
        assert found.status_code == 200  # the submitter, both units, the city's oversight
    if user in ("ent-hailian-trade", "staff-laoshan", "bank-qrcb-client"):
        assert_problem(found, 404)
    if found.status_code == 200:
        answer = body(found)
        assert (answer["id"], answer["name"], answer["status"]) == (granted["id"], "退税申请表.pdf", "attached")
        assert answer["download"]["expires_in"] == 300
        assert f"/uploads/{ZHENGRIXIN}/{granted['id']}?" in answer["download"]["url"]


def test_the_link_serves_the_bytes(scene, handled):
    import requests

    appeal_id, granted = handled
    link = body(scene.get("staff-customs", f"/api/appeals/{appeal_id}/files/{granted['id']}"))["download"]["url"]
    served = requests.get(link, timeout=5)
    assert served.status_code == 200 and served.content == CONTENT


def test_only_a_file_the_appeal_lists(scene, handled):
    appeal_id, _ = handled
    elsewhere = scene.uploaded()
    other_appeal = scene.submitted([elsewhere["ref"]], title="厂区用电增容三个月未批复", content="厂区用电增容申请三个月未批复，影响投产。")
    pending = scene.uploaded()
    for file_id in (elsewhere["id"], pending["id"], "0" * 32, "not-an-id"):
        assert_problem(scene.get("staff-tax", f"/api/appeals/{appeal_id}/files/{file_id}"), 404)
    assert_problem(scene.get("staff-tax", f"/api/appeals/{'0' * 16}/files/{elsewhere['id']}"), 404)
    assert scene.get("ent-zhengrixin", f"/api/appeals/{other_appeal}/files/{elsewhere['id']}").status_code == 200


def test_a_listed_file_not_attached_to_the_appeal_is_not_served(scene, handled):
    """The appeal's list and the file's record must agree: a reference written into an appeal by
    other means does not open a file of someone else's."""
    from functions.appeals.models import Appeal

    appeal_id, granted = handled
    stranger = scene.uploaded("ent-hailian-trade")
    appeal = Appeal.get(appeal_id)
    appeal.attachments = list(appeal.attachments) + [stranger["ref"]]
    appeal.save()
    assert_problem(scene.get("staff-tax", f"/api/appeals/{appeal_id}/files/{stranger['id']}"), 404)
    listed = body(scene.get("staff-tax", f"/api/appeals/{appeal_id}"))["attachment_files"]
    assert [f["id"] for f in listed] == [granted["id"]]


def test_reading_a_file_costs_two_gets_and_writes_nothing(scene, handled, token, dynamo_calls):
    appeal_id, granted = handled
    issued = token("staff-tax")
    scene.token = lambda _: issued
    scene.get("staff-tax", f"/api/appeals/{appeal_id}/files/{granted['id']}")
    dynamo_calls.reset()
    assert scene.get("staff-tax", f"/api/appeals/{appeal_id}/files/{granted['id']}").status_code == 200
    assert dynamo_calls.by_operation == {"GetItem": 2}  # the appeal, the file; not audited (see service.read_attachment)
