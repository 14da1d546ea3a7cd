"""A browser's upload on the local stack: the API grants a presigned POST, the page sends the form
straight to the bucket (moto's port: another origin, as S3 is on AWS), then reads the file back
through GET /api/files/{id}'s link. Over real HTTP, with the Origin header a browser sends."""
from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.local_stack, pytest.mark.slow]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def http(method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


def multipart(fields: dict[str, str], content: bytes, filename: str, content_type: str) -> tuple[bytes, str]:
    """The body a browser's FormData makes: the fields in order, then the file, last."""
    boundary = "----WebKitFormBoundary" + uuid.uuid4().hex[:16]
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 f"Content-Type: {content_type}\r\n\r\n".encode("utf-8") + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def sign_in(stack, user: str) -> dict[str, str]:
    status, grant = stack.json("POST", "/api/auth/dev-login", {"user_id": user})
    assert status == 200, grant
    return {"Authorization": f"Bearer {grant['access_token']}"}


def grant(stack, auth, size: int = len(PDF), **fields) -> dict:
    payload = {"filename": "营业执照.pdf", "content_type": "application/pdf", "size": size, **fields}
    status, answer = stack.json("POST", "/api/files", payload, auth)
    assert status == 201, answer
    return answer


def post_form(form: dict, content: bytes, origin: str, content_type: str = "application/pdf", **overrides):
    body, media = multipart({**form["fields"], **overrides}, content, "营业执照.pdf", content_type)
    return http("POST", form["url"], body, {"Content-Type": media, "Origin": origin})


def test_the_page_uploads_to_the_bucket_and_reads_the_file_back(stack_factory, tmp_path):
    data_dir = tmp_path / "data"
    stack = stack_factory(data_dir=data_dir)
    page = stack.url  # the page's origin: what a browser sends as Origin
    auth = sign_in(stack, "ent-zhengrixin")
    granted = grant(stack, auth)
    form = granted["upload"]
    bucket_url = urlsplit(form["url"])
    assert bucket_url.scheme == "http" and bucket_url.hostname == "127.0.0.1" and bucket_url.path == "/qd-local-files"
    assert bucket_url.port != stack.port  # moto: another origin than the page, as S3 is on AWS

    # The preflight a browser would send (a FormData POST needs none, but a page may add headers).
    status, _, headers = http("OPTIONS", form["url"], headers={"Origin": page, "Access-Control-Request-Method": "POST"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == page and "POST" in headers["Access-Control-Allow-Methods"]
    status, _, headers = http("OPTIONS", form["url"], headers={"Origin": "http://evil.example",
                                                                  "Access-Control-Request-Method": "POST"})
    assert status == 403 and headers.get("Access-Control-Allow-Origin") is None
    # Nothing but the bucket answers CORS: moto's own wildcard is off (its tables are not the page's).
    status, _, headers = http("OPTIONS", f"{bucket_url.scheme}://{bucket_url.netloc}/",
                              headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST",
                                       "Access-Control-Request-Headers": "x-amz-target"})
    assert headers.get("Access-Control-Allow-Origin") is None

    # What the policy allows, and only that, as S3 does.
    status, answer, headers = post_form(form, PDF + b"x", page)  # one byte more than announced
    assert status == 400 and b"EntityTooLarge" in answer and headers["Access-Control-Allow-Origin"] == page
    status, answer, _ = post_form(form, PDF, page, content_type="text/html", **{"Content-Type": "text/html"})
    assert status == 403 and b"Policy Condition failed" in answer
    status, answer, _ = post_form(form, PDF, page, key=f"uploads/91370211MA3D2H8N0J/{granted['id']}")  # another key
    assert status == 403 and b"Policy Condition failed" in answer
    status, answer, _ = post_form(form, PDF, page, acl="public-read")  # a field the policy does not name
    assert status == 403 and b"Extra input fields: acl" in answer
    forged = json.loads(base64.b64decode(form["fields"]["policy"]))
    forged["conditions"] = [c for c in forged["conditions"] if not (isinstance(c, list) and c[0] == "content-length-range")]
    status, answer, _ = post_form(form, PDF * 100, page, policy=base64.b64encode(json.dumps(forged).encode()).decode())
    assert status == 403 and b"SignatureDoesNotMatch" in answer

    status, answer, headers = post_form(form, PDF, page)
    assert status == 204, answer
    assert headers["Access-Control-Allow-Origin"] == page  # the page can read S3's answer

    def read_back(running) -> None:
        status, found = running.json("GET", f"/api/files/{granted['id']}", headers=sign_in(running, "ent-zhengrixin"))
        assert status == 200, found
        assert found["ref"] == granted["ref"] and found["name"] == "营业执照.pdf"
        status, content, headers = http("GET", found["download"]["url"], headers={"Origin": page})
        assert status == 200 and content == PDF
        assert headers["Content-Type"] == "application/pdf"
        assert headers["Content-Disposition"].startswith("attachment;")
        assert headers["Access-Control-Allow-Origin"] == page

    read_back(stack)
    other = sign_in(stack, "ent-hailian-trade")
    assert stack.json("GET", f"/api/files/{granted['id']}", headers=other)[0] == 404

    # The file is the enterprise's to attach to an appeal; another enterprise may not.
    appeal = {"category": "help", "title": "留抵退税迟迟未到账", "content": "我司今年3月申请的增值税留抵退税，至今未到账。",
              "district": "370202", "channel": "web", "contact": {"name": "王敏", "phone": "13805321234"}}
    status, refused = stack.json("POST", "/api/appeals", {**appeal, "attachments": [granted["ref"]]}, other)
    assert status == 422 and [e["field"] for e in refused["errors"]] == ["attachments[0]"]
    status, created = stack.json("POST", "/api/appeals", {**appeal, "attachments": [granted["ref"]]}, auth)
    assert status == 201, created

    # The upload was a journaled write: a killed stack has it after its restart.
    stack.kill()
    read_back(stack_factory(data_dir=data_dir, port=stack.port))
