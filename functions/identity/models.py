"""Identity tables.

Access patterns
| pattern                                   | key                                              | call    |
|-------------------------------------------|--------------------------------------------------|---------|
| the platform issuer's signing keys (JWKS) | signing-keys: hash `key_set`, range `kid`        | Query   |
| a bank's OAuth client by client_id        | oauth-clients: hash `client_id`                  | GetItem |
| the demo people (local and dev stages)    | dev-users: hash `directory`="demo", range `user_id` | Query / GetItem |
"""
from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, ListAttribute, UnicodeAttribute
from pynamodb.models import Model

from functions.shared.models import BaseMeta, table_name


class SigningKey(Model):
    """A key of the platform's own issuer (bank tokens everywhere; people's tokens in dev mode).

    Production note: the private key should be wrapped by KMS; here it is stored as PEM in a
    table only the stage's functions can read.
    """

    class Meta(BaseMeta):
        table_name = table_name("signing-keys")

    key_set = UnicodeAttribute(hash_key=True)
    kid = UnicodeAttribute(range_key=True)
    private_pem = UnicodeAttribute()
    public_jwk = UnicodeAttribute()  # JSON
    created_at = UnicodeAttribute()


class OAuthClient(Model):
    """A bank's machine client. The secret is stored only as a salted scrypt hash."""

    class Meta(BaseMeta):
        table_name = table_name("oauth-clients")

    client_id = UnicodeAttribute(hash_key=True)
    secret_hash = UnicodeAttribute()
    institution_id = UnicodeAttribute()
    district = UnicodeAttribute()
    display_name = UnicodeAttribute()
    scopes = ListAttribute(of=UnicodeAttribute, default=list)
    disabled = BooleanAttribute(default=False)
    created_at = UnicodeAttribute()


class DevUser(Model):
    class Meta(BaseMeta):
        table_name = table_name("dev-users")

    directory = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute(range_key=True)
    role = UnicodeAttribute()
    org_id = UnicodeAttribute()
    district = UnicodeAttribute()
    display_name = UnicodeAttribute()
    client_id = UnicodeAttribute(null=True)
    client_secret = UnicodeAttribute(null=True)  # demo bank clients only; demo data is public
