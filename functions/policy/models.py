"""The policy library as stored: documents, projects and news, their versions, and the search index's state.

An item's content is the format of README.md ("Content format"), kept whole as JSON: what the page
shows and what the search index and the eligibility rules read come from one place, and a new field
of the format needs no migration. What is queried is lifted out into attributes: the kind, the owning
department, the window's end. Published content is `content`; staff edit a `draft` beside it, and
publishing turns the draft into the next version (the version's content and its field-by-field changes
are kept in `policy-versions`).

Access patterns (every read is a GetItem or a Query; nothing walks a table)
| pattern                                                  | key / index                                           | call |
|----------------------------------------------------------|-------------------------------------------------------|------|
| one document, project or news item                       | policy-items: `item_id`                               | GetItem |
| several by id (a document's projects and news, a page)   | policy-items: `item_id` × n                           | BatchGetItem |
| every published item of a kind (index rebuild, matching) | GSI `kind-index`: `kind`, `item_id`                   | Query, paged |
| a department's items, newest change first (staff list)   | GSI `department-index`: `department_id`, `updated_at` | Query |
| what links to a document (its projects, its news)        | policy-links: `target`, `source`                      | Query |
| an item's versions, newest first                         | policy-versions: `item_id`, `version`                 | Query |
| the library's content version, and the indexed one       | policy-index-state: `name`="library"                  | GetItem; ADD in the publishing transaction |
| published project versions waiting for their fan-out     | policy-index-state: `name`="library", `pending_fanout` | ADD in the publishing transaction; GetItem, then DELETE (fanout.py) |

`kind-index` holds published items only (`listed_kind` is set when an item is first published and
removed when it is withdrawn), so a rebuild reads exactly what the public may find. With ~31,000
items of a few KB it is read in pages of 1 MB by the rebuild job, never on a request.
"""
from __future__ import annotations

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute, UnicodeSetAttribute, VersionAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from functions.shared.models import BaseMeta, table_name

DOCUMENT, PROJECT, NEWS = "document", "project", "news"
KINDS = (DOCUMENT, PROJECT, NEWS)
LIBRARY = "library"


class KindIndex(GlobalSecondaryIndex["PolicyItem"]):
    class Meta:
        index_name = "kind-index"
        projection = AllProjection()

    listed_kind = UnicodeAttribute(hash_key=True)
    item_id = UnicodeAttribute(range_key=True)


class DepartmentIndex(GlobalSecondaryIndex["PolicyItem"]):
    class Meta:
        index_name = "department-index"
        projection = KeysOnlyProjection()

    department_id = UnicodeAttribute(hash_key=True)
    updated_at = UnicodeAttribute(range_key=True)


class PolicyItem(Model):
    """One document, project or news item: its published content and its draft."""

    class Meta(BaseMeta):
        table_name = table_name("policy-items")

    item_id = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()  # document | project | news
    department_id = UnicodeAttribute(null=True)
    content = JSONAttribute(null=True)  # the published version's content; None until first published
    draft = JSONAttribute(null=True)  # staff's unpublished edit; None when there is none
    published_version = NumberAttribute(default=0)
    published_at = UnicodeAttribute(null=True)
    withdrawn_at = UnicodeAttribute(null=True)
    withdrawn_reason = UnicodeAttribute(null=True)
    updated_at = UnicodeAttribute()
    updated_by = UnicodeAttribute()
    listed_kind = UnicodeAttribute(null=True)  # = kind while published and not withdrawn (kind-index)
    version = VersionAttribute()

    kind_index = KindIndex()
    department_index = DepartmentIndex()


class PolicyLink(Model):
    """`source` (a project or news item) refers to `target` (a document): read from the target's side."""

    class Meta(BaseMeta):
        table_name = table_name("policy-links")

    target = UnicodeAttribute(hash_key=True)
    source = UnicodeAttribute(range_key=True)
    source_kind = UnicodeAttribute()


class PolicyVersion(Model):
    """One published version of an item: its content, and what changed from the one before, field by field."""

    class Meta(BaseMeta):
        table_name = table_name("policy-versions")

    item_id = UnicodeAttribute(hash_key=True)
    version = NumberAttribute(range_key=True)
    content = JSONAttribute()
    changes = JSONAttribute()  # [{"field", "before", "after"}]
    published_at = UnicodeAttribute()
    published_by = UnicodeAttribute()


class IndexState(Model):
    """The library's content version (ADDed by every publish and withdrawal, in its transaction) and the
    version the stored search index was built from: the rebuild job runs when they differ."""

    class Meta(BaseMeta):
        table_name = table_name("policy-index-state")

    name = UnicodeAttribute(hash_key=True, default=LIBRARY)
    content_version = NumberAttribute(default=0)
    indexed_version = NumberAttribute(default=0)
    indexed_at = UnicodeAttribute(null=True)
    index_key = UnicodeAttribute(null=True)  # the S3 key of the index built last
    # "<project_id>#<version>" of each project version published and not yet fanned out to the enterprises
    # it may suit (functions/policy/fanout.py); absent when none waits (DynamoDB keeps no empty set).
    pending_fanout = UnicodeSetAttribute(null=True)
