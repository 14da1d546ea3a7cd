"""The identity vault: a reporter's identity, encrypted, stored apart from the case.

Handlers work on a case that carries no identity at all. Only a custodian can open the vault
(`reveal`), and the route audits every reveal in the same transaction that answers it.
Encryption: Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) with a data key from the
`vault-keys` table, created once per stage. Production: wrap the data key with KMS
(GenerateDataKey / Decrypt) so the table alone cannot open it.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from cryptography.fernet import Fernet

from functions.appeals.models import ReporterIdentity, VaultKey
from functions.shared.audit import UnitOfWork
from functions.shared.clock import isoformat_utc
from functions.shared.errors import NotFound
from functions.shared.keyring import KeySet
from functions.shared.models import put_if_absent

KEY_SET = "reporter-identity"


def _create_key(now: datetime) -> None:
    # Processes starting in the same second race for the same id: one put wins, the others read it.
    key_id = isoformat_utc(now)
    secret = Fernet.generate_key().decode()
    put_if_absent(VaultKey(key_set=KEY_SET, key_id=key_id, secret=secret, created_at=key_id), VaultKey.key_id)


# Kept for the life of the process: a data key never changes; an id sealed by a key created
# elsewhere since (a rotation, a concurrent first start) reloads the set once.
vault_keys: KeySet[Fernet] = KeySet(
    "appeals.vault_keys",
    list_items=lambda: VaultKey.query(KEY_SET, consistent_read=True),
    create_item=_create_key,
    key_id_of=lambda item: item.key_id,
    parse=lambda item: Fernet(item.secret.encode()),
)


def seal(uow: UnitOfWork, appeal_id: str, identity: dict[str, Any]) -> None:
    key_id, fernet = vault_keys.current(uow.now)
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
    return json.loads(vault_keys.by_id(item.key_id).decrypt(item.ciphertext.encode()))
