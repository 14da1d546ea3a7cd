"""The identity vault: a reporter's identity, encrypted, stored apart from the case.

Handlers work on a case that carries no identity at all. Only a custodian can open the vault
(`reveal`), and the route audits every reveal in the same transaction that answers it.
Encryption: Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) with a data key from the
`vault-keys` table, created once per stage. Production: wrap the data key with KMS
(GenerateDataKey / Decrypt) so the table alone cannot open it.
"""
from __future__ import annotations

import json
import threading
from datetime import datetime
from typing import Any

from cryptography.fernet import Fernet
from pynamodb.exceptions import PutError

from functions.appeals.models import ReporterIdentity, VaultKey
from functions.shared.audit import UnitOfWork
from functions.shared.clock import isoformat_utc
from functions.shared.errors import NotFound

KEY_SET = "reporter-identity"
_lock = threading.Lock()
_keys: dict[str, Fernet] = {}


def _current_key(now: datetime) -> tuple[str, Fernet]:
    with _lock:
        if not _keys:
            for item in VaultKey.query(KEY_SET, consistent_read=True):
                _keys[item.key_id] = Fernet(item.secret.encode())
            if not _keys:
                key_id = isoformat_utc(now)
                try:
                    VaultKey(key_set=KEY_SET, key_id=key_id, secret=Fernet.generate_key().decode(), created_at=key_id).save(
                        VaultKey.key_id.does_not_exist()
                    )
                except PutError:
                    pass
                for item in VaultKey.query(KEY_SET, consistent_read=True):
                    _keys[item.key_id] = Fernet(item.secret.encode())
        key_id = min(_keys)
        return key_id, _keys[key_id]


def _key(key_id: str) -> Fernet:
    with _lock:
        if key_id not in _keys:
            item = VaultKey.get(KEY_SET, key_id, consistent_read=True)
            _keys[key_id] = Fernet(item.secret.encode())
        return _keys[key_id]


def forget_keys() -> None:
    with _lock:
        _keys.clear()


def seal(uow: UnitOfWork, appeal_id: str, identity: dict[str, Any]) -> None:
    key_id, fernet = _current_key(uow.now)
    token = fernet.encrypt(json.dumps(identity, ensure_ascii=False).encode()).decode()
    uow.put(
        ReporterIdentity(appeal_id=appeal_id, key_id=key_id, ciphertext=token, created_at=isoformat_utc(uow.now)),
        ReporterIdentity.appeal_id.does_not_exist(),
        label="identity",
    )


def reveal(appeal_id: str) -> dict[str, Any]:
    try:
        item = ReporterIdentity.get(appeal_id, consistent_read=True)
    except ReporterIdentity.DoesNotExist:
        raise NotFound("This appeal has no sealed identity.") from None
    return json.loads(_key(item.key_id).decrypt(item.ciphertext.encode()))
