"""Applications for policy projects, their public notices (公示) with objections, and departments' statistics.

An application's review history, payments and rating live on it (a few entries each, read together on
its page); what is queried is lifted into sparse index keys that are set only while the application is
in the state the query asks for, so each list reads exactly its rows.

Access patterns (every read is a GetItem or a Query; nothing walks a table)
| pattern                                                      | key / index                                                  | call |
|--------------------------------------------------------------|--------------------------------------------------------------|------|
| one application                                              | policy-applications: `application_id`                        | GetItem |
| one enterprise's application to a project (one per project)  | the id is `app-<uscc>-<project>`: a conditional put          | PutItem |
| an enterprise's applications, newest first                   | GSI `enterprise-index`: `enterprise_uscc`, `submitted_at`    | Query |
| a unit's review queue (applications at its stage), oldest first | GSI `review-index`: `review_unit`, `queued_at` (sparse)    | Query |
| a project's applications in one status (to announce, to pay) | GSI `project-status-index`: `project_status`, `application_id` | Query |
| one public notice                                            | policy-notices: `notice_id`                                  | GetItem |
| every notice, newest first (public list, open data)          | GSI `listed-index`: `listed`="notice", `opened_at`           | Query, paged |
| a notice's objections                                        | policy-objections: `notice_id`, `objection_id`               | Query |
| a department's statistics                                    | policy-department-stats: `department_id`                     | GetItem; ADD in each transaction |
"""
from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from functions.shared.models import BaseMeta, table_name

# Statuses (README.md "Applications"): the review stages, then the public notice, then the money.
IN_REVIEW, RETURNED, REJECTED, WITHDRAWN = "in_review", "returned", "rejected", "withdrawn"
APPROVED, IN_NOTICE, AWARDED, PAID, DECLINED = "approved", "in_notice", "awarded", "paid", "declined"
STATUSES = (IN_REVIEW, RETURNED, REJECTED, WITHDRAWN, APPROVED, IN_NOTICE, AWARDED, PAID, DECLINED)
FINISHED = (REJECTED, PAID)  # what the enterprise may rate the department on

NOTICE_OPEN, NOTICE_CLOSED = "open", "closed"
OBJECTION_OPEN, OBJECTION_UPHELD, OBJECTION_DISMISSED = "open", "upheld", "dismissed"


class EnterpriseIndex(GlobalSecondaryIndex["Application"]):
    class Meta:
        index_name = "enterprise-index"
        projection = AllProjection()

    enterprise_uscc = UnicodeAttribute(hash_key=True)
    submitted_at = UnicodeAttribute(range_key=True)


class ReviewIndex(GlobalSecondaryIndex["Application"]):
    class Meta:
        index_name = "review-index"
        projection = AllProjection()

    review_unit = UnicodeAttribute(hash_key=True)
    queued_at = UnicodeAttribute(range_key=True)


class ProjectStatusIndex(GlobalSecondaryIndex["Application"]):
    class Meta:
        index_name = "project-status-index"
        projection = AllProjection()

    project_status = UnicodeAttribute(hash_key=True)
    application_id = UnicodeAttribute(range_key=True)


class Application(Model):
    """One enterprise's application to one project (or its place on a 免申即享 list)."""

    class Meta(BaseMeta):
        table_name = table_name("policy-applications")

    application_id = UnicodeAttribute(hash_key=True)
    project_id = UnicodeAttribute()
    project_title = UnicodeAttribute()
    department_id = UnicodeAttribute()  # the project's owning department: announces and pays
    enterprise_uscc = UnicodeAttribute()
    enterprise_name = UnicodeAttribute(null=True)
    district = UnicodeAttribute()  # the enterprise's, from its credit code
    status = UnicodeAttribute()
    no_application = BooleanAttribute(default=False)  # 免申即享: put on the list by the department
    # The review stages as they were when it was submitted (a later version of the project does not
    # move an application between stages), and where it is: an index into them.
    stages = JSONAttribute(default=list)  # [{"name", "unit_id", "working_days"}]
    stage = NumberAttribute(default=0)
    form = JSONAttribute(default=dict)
    attachments = ListAttribute(of=UnicodeAttribute, default=list)  # file:<id>
    decisions = JSONAttribute(default=list)  # [{"stage", "unit_id", "decision", "amount_fen"?, "text", "at", "by"}]
    cap_fen = NumberAttribute(null=True)  # the project's cap on one award, when it has one
    approved_fen = NumberAttribute(null=True)
    paid_fen = NumberAttribute(default=0)
    payments = JSONAttribute(default=list)  # [{"amount_fen", "paid_on", "voucher_no", "recorded_at", "by"}]
    notice_id = UnicodeAttribute(null=True)
    notice_closes_at = UnicodeAttribute(null=True)  # the public notice's window end (its timeline step's deadline)
    reason = UnicodeAttribute(null=True)  # why it was returned, rejected, withdrawn or declined
    rating = JSONAttribute(null=True)  # {"grade": 1..5, "comment", "at"}
    submitted_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    # Sparse index keys, set by `refresh_index_keys` from the status.
    review_unit = UnicodeAttribute(null=True)
    queued_at = UnicodeAttribute(null=True)
    project_status = UnicodeAttribute(null=True)
    version = VersionAttribute()

    enterprise_index = EnterpriseIndex()
    review_index = ReviewIndex()
    project_status_index = ProjectStatusIndex()

    @property
    def stage_unit(self) -> str | None:
        stages = self.stages or []
        return stages[int(self.stage)]["unit_id"] if self.status == IN_REVIEW and int(self.stage) < len(stages) else None

    @property
    def reviewing_unit(self) -> str | None:
        """The unit at whose stage the application stands, or last stood once past review: the one
        whose review actions it answers with 409 in another status rather than 403."""
        stages = self.stages or []
        return stages[min(int(self.stage), len(stages) - 1)]["unit_id"] if stages else None

    def refresh_index_keys(self) -> None:
        self.review_unit = self.stage_unit
        self.queued_at = self.updated_at if self.review_unit else None
        self.project_status = f"{self.project_id}#{self.status}"


class ListedIndex(GlobalSecondaryIndex["PublicNotice"]):
    class Meta:
        index_name = "listed-index"
        projection = AllProjection()

    listed = UnicodeAttribute(hash_key=True)
    opened_at = UnicodeAttribute(range_key=True)


class PublicNotice(Model):
    """A public notice (公示) of a project's approved applicants and amounts, open for objections for a
    window of working days; closed by its SLA clock (`notice#<id>` / `window`)."""

    class Meta(BaseMeta):
        table_name = table_name("policy-notices")

    notice_id = UnicodeAttribute(hash_key=True)
    project_id = UnicodeAttribute()
    project_title = UnicodeAttribute()
    department_id = UnicodeAttribute()
    entries = JSONAttribute()  # [{"application_id", "enterprise_uscc", "enterprise_name", "amount_fen", "outcome"}]
    working_days = NumberAttribute()
    opened_at = UnicodeAttribute()
    closes_at = UnicodeAttribute()  # the window's exclusive end (the clock's due)
    closed_at = UnicodeAttribute(null=True)
    status = UnicodeAttribute(default=NOTICE_OPEN)
    open_objections = NumberAttribute(default=0)
    listed = UnicodeAttribute(default="notice")
    created_by = UnicodeAttribute()
    version = VersionAttribute()

    listed_index = ListedIndex()


class Objection(Model):
    """A real-name objection to one award on a notice, and how the department resolved it."""

    class Meta(BaseMeta):
        table_name = table_name("policy-objections")

    notice_id = UnicodeAttribute(hash_key=True)
    objection_id = UnicodeAttribute(range_key=True)  # <UTC stamp>-<hash of the request id>: in the order they came
    application_id = UnicodeAttribute()
    by_sub = UnicodeAttribute()
    by_name = UnicodeAttribute()
    by_org = UnicodeAttribute()
    phone = UnicodeAttribute()
    reason = UnicodeAttribute()
    status = UnicodeAttribute(default=OBJECTION_OPEN)
    response = UnicodeAttribute(null=True)
    resolved_at = UnicodeAttribute(null=True)
    resolved_by = UnicodeAttribute(null=True)
    at = UnicodeAttribute()
    version = VersionAttribute()


class DepartmentStats(Model):
    """A department's counters, ADDed in the transaction of the change they count."""

    class Meta(BaseMeta):
        table_name = table_name("policy-department-stats")

    department_id = UnicodeAttribute(hash_key=True)
    applications = NumberAttribute(default=0)
    approved = NumberAttribute(default=0)
    returned = NumberAttribute(default=0)
    rejected = NumberAttribute(default=0)
    awarded_fen = NumberAttribute(default=0)
    paid_fen = NumberAttribute(default=0)
    review_due = NumberAttribute(default=0)  # review stages finished…
    review_on_time = NumberAttribute(default=0)  # …of them within their deadline
    ratings = NumberAttribute(default=0)
    rating_sum = NumberAttribute(default=0)
    grade_1 = NumberAttribute(default=0)
    grade_2 = NumberAttribute(default=0)
    grade_3 = NumberAttribute(default=0)
    grade_4 = NumberAttribute(default=0)
    grade_5 = NumberAttribute(default=0)
