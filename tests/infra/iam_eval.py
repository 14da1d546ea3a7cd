"""A small evaluator of the generated identity policies, for the infra tests.

It follows IAM's order for one identity policy: an explicit Deny that matches wins; otherwise a
matching Allow allows; otherwise the request is implicitly denied. Resources in the templates are
symbolic (`Fn::GetAtt [TableAudit, Arn]`, `Fn::Sub ${TableAudit.Arn}/index/*`); they resolve
to `arn:<LogicalId>` plus the suffix, so a test asks about `arn:TableAudit` or
`arn:TableAudit/index/actor-index`. A statement with a Condition is refused rather than guessed.
"""
from __future__ import annotations

import fnmatch
import re
from typing import Any

PSEUDO = {"AWS::Partition": "aws-cn", "AWS::Region": "cn-north-1", "AWS::AccountId": "111122223333",
          "AWS::URLSuffix": "amazonaws.com.cn"}


def resolve(resource: Any) -> list[str]:
    if isinstance(resource, list):
        return [r for item in resource for r in resolve(item)]
    if isinstance(resource, str):
        return [resource]
    if "Fn::GetAtt" in resource:
        logical_id, attribute = resource["Fn::GetAtt"]
        assert attribute == "Arn", resource
        return [f"arn:{logical_id}"]
    if "Fn::Sub" in resource:
        text = resource["Fn::Sub"]

        def substitute(match: re.Match) -> str:
            name = match.group(1)
            if name in PSEUDO:
                return PSEUDO[name]
            assert name.endswith(".Arn"), name
            return f"arn:{name[:-4]}"

        return [re.sub(r"\$\{([^}]+)\}", substitute, text)]
    raise AssertionError(f"unexpected resource {resource!r}")


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _matches(statement: dict, action: str, resource: str) -> bool:
    if "Condition" in statement:
        raise NotImplementedError(f"conditions are not evaluated here: {statement}")
    if "NotAction" in statement or "NotResource" in statement:
        raise NotImplementedError(f"NotAction/NotResource are not evaluated here: {statement}")
    action_hit = any(fnmatch.fnmatch(action.lower(), pattern.lower()) for pattern in _as_list(statement["Action"]))
    resource_hit = any(fnmatch.fnmatchcase(resource, pattern) for pattern in resolve(statement["Resource"]))
    return action_hit and resource_hit


def allowed(policy: dict, action: str, resource: str) -> bool:
    statements = policy["Statement"]
    if any(s["Effect"] == "Deny" and _matches(s, action, resource) for s in statements):
        return False
    return any(s["Effect"] == "Allow" and _matches(s, action, resource) for s in statements)


def with_statement(policy: dict, statement: dict) -> dict:
    return {**policy, "Statement": list(policy["Statement"]) + [statement]}


ALLOW_EVERYTHING = {"Sid": "LaterAllowAll", "Effect": "Allow", "Action": "*", "Resource": "*"}
