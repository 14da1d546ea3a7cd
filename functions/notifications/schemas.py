from __future__ import annotations

from pydantic import Field

from functions.shared.schemas import Instant, Schema


class InboxQuery(Schema):
    limit: int = Field(default=20, ge=1, le=50)


class NoticeOut(Schema):
    id: str
    topic: str = Field(description="what happened, e.g. appeal.dispatched")
    subject: str
    text: str = Field(description="the notice in the words SMS and e-mail use")
    data: dict = Field(description="the notice's facts (appeal_id, ticket_no, ...), for links")
    recipient: str = Field(description="user:{sub} or org:{id}: to the caller, or to the caller's organisation")
    at: Instant
