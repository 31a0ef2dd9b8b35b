"""Operations that span a tenant's parts, each in one place whichever route or widget action asks.

Creating a member that signs in with OAuth needs the members part and the OAuth part; deleting a
member or a user reaches its data, its processor codes and tokens, its taggings and insights (and a
user's tags, rules, custom categories and notifications),
OAuth states, microdeposits and (by the `MemberDeleted` / `UserDeleted` events) widget sessions. Routes and the widget call these, never the parts' own
`delete`, so a cascade cannot be forgotten on one path. Managed members are members like any other
(their accounts and transactions go with `data.drop_member`); the data part also forgets a member's
merged-away accounts and a user's holdings deactivation there.
"""
from __future__ import annotations

from typing import Any

from .clock import VirtualClock
from .data.store import DataStore
from .events import EventBus, UserDeleted
from .members.model import Member
from .members.store import MemberStore
from .microdeposits.store import MicrodepositStore
from .oauth import OAuthComponent
from .pfm.component import PfmComponent
from .processor.grants import ProcessorTokens
from .scheduler import Scheduler
from .users import User, UserStore

MAX_DELETE_LAG_SECONDS = 3600


class Lifecycle:
    def __init__(self, clock: VirtualClock, scheduler: Scheduler, bus: EventBus, users: UserStore,
                 members: MemberStore, data: DataStore, oauth: OAuthComponent, microdeposits: MicrodepositStore,
                 pfm: PfmComponent, delete_lag_seconds: float = 0.0,
                 processor: ProcessorTokens | None = None) -> None:
        self.clock = clock
        self.scheduler = scheduler
        # MX's lag (opt-in): a deleted member's accounts and transactions stay in user-level lists
        # this long, with a dangling member_guid. 0 = gone at once.
        self.delete_lag_seconds = delete_lag_seconds
        self.bus = bus
        self.users = users
        self.members = members
        self.data = data
        self.oauth = oauth
        self.microdeposits = microdeposits
        self.pfm = pfm
        self.processor = processor  # codes and tokens for a deleted member's accounts stop working at once

    def create_member(self, user_guid: str, fields: dict[str, Any], products: list[str] | None = None,
                      skip_aggregation: bool = False, oauth_options: dict[str, Any] | None = None) -> Member:
        """A member that signs in, or (is_oauth) waits PENDING with a fresh `oauth_window_uri`.

        OAuth options are checked before anything exists, so a bad redirect URL is a 400 that
        creates nothing.
        """
        grant = None
        if fields.get("is_oauth") is True:
            grant = self.oauth.parse_options({**(oauth_options or {}), "skip_aggregation": skip_aggregation})
        member = self.members.create(user_guid, fields, products, skip_aggregation, oauth_options)
        if member.is_oauth and grant is not None:
            self.oauth.issue_uri(member, grant)
        return member

    def delete_member(self, member: Member) -> None:
        self.members.delete(member)
        self.oauth.drop_member(member.guid)
        if self.processor is not None:
            self.processor.drop_member(member.guid)
        guid, user_guid = member.guid, member.user_guid

        def drop(at: float | None = None) -> None:
            self.data.drop_member(guid)
            self.pfm.prune(user_guid)  # taggings of the member's transactions go with them

        if self.delete_lag_seconds > 0:
            self.scheduler.at(self.clock.now() + self.delete_lag_seconds, drop)
        else:
            drop()

    def delete_user(self, user: User) -> None:
        for member in self.members.list(user.guid):
            self.delete_member(member)
        self.data.drop_user(user.guid)
        if self.processor is not None:
            self.processor.drop_user(user.guid)
        self.pfm.drop_user(user.guid)
        self.microdeposits.delete_user(user.guid)
        self.users.delete(user)
        self.bus.publish(UserDeleted(self.clock.now(), user.guid))
