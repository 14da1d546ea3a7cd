"""Fixtures for the appeals API tests: demo data, tokens, and a small client for actions."""
from __future__ import annotations

import json

import pytest

from tests.support import SAMPLE_APPEAL, body, json_headers

ZHENGRIXIN = "91370202MA3C4R7K75"  # 青岛正日信企业管理有限公司, 市南区
HAILIAN = "91370211MA3D2H8N0J"  # 西海岸新区 trade company


class AppealsApi:
    def __init__(self, client, token):
        self.client = client
        self.token = token

    def submit(self, user: str | None, **fields):
        payload = {**SAMPLE_APPEAL, **fields}
        headers = json_headers(self.token(user) if user else None)
        return self.client.http.post("/api/appeals", headers=headers, body=json.dumps(payload, ensure_ascii=False))

    def act(self, user: str, appeal_id: str, action: str, **fields):
        return self.client.http.post(
            f"/api/appeals/{appeal_id}/{action}", headers=json_headers(self.token(user)), body=json.dumps(fields, ensure_ascii=False)
        )

    def get(self, user: str, appeal_id: str):
        return self.client.http.get(f"/api/appeals/{appeal_id}", headers=json_headers(self.token(user)))

    def ok(self, response, status=200):
        assert response.status_code == status, (response.status_code, response.body.decode())
        return body(response)


@pytest.fixture
def api(client, token):
    return AppealsApi(client, token)
