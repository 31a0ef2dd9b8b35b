"""A tenant: one per `client_id`, isolated like moto's accounts, built as an explicit composition.

Each part is a typed attribute, built in dependency order and handed the siblings it needs:
clock → scheduler → event bus (+ timeline) → causes → guids → users → data → members → OAuth →
microdeposits → money management (pfm) → managed data → processor hand-off (tokens, ACH returns,
credentials) → lifecycle (operations spanning parts) → webhooks → widget → faults (the request
journal subscribes to the bus next to the timeline).
Nothing is looked up by name; a test substitutes a part by building it itself.
"""
from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from typing import Callable

from .cause import Causes
from .clock import VirtualClock
from .data.card_products import CardProducts
from .data.generation import routing_number_of
from .data.profiles import Profile, load_profiles
from .data.store import DataStore
from .events import EventBus, Timeline
from .faults import FaultBook
from .ids import GuidFactory
from .institutions import Catalog
from .journal import RequestJournal
from .lifecycle import Lifecycle
from .managed import ManagedData
from .members.behavior import BehaviorBook, default_book
from .members.scripts import ScriptBook
from .members.store import MemberStore
from .microdeposits.rules import MicrodepositRules, default_rules
from .microdeposits.store import MicrodepositStore
from .oauth import OAuthComponent
from .pfm.categories import DefaultCategories, default_categories
from .pfm.component import PfmComponent
from .pfm.merchants import MerchantDirectory
from .processor.ach import AchReturnStore
from .processor.credentials import CredentialSigner
from .processor.grants import ProcessorTokens
from .scheduler import Scheduler
from .tokens import TokenDirectory
from .users import UserStore
from .webhooks.component import WebhookComponent
from .widget.store import WidgetComponent

# Default start of a frozen clock: fixed, so frozen runs are reproducible.
FROZEN_EPOCH = 1767268800.0  # 2026-01-01T12:00:00Z
# How much host time one slice of catch-up may take before the server lets other tenants run.
SETTLE_SLICE_SECONDS = 0.01


@dataclass(frozen=True)
class TenantSettings:
    seed: int = 0
    clock_mode: str = "real"  # real | frozen
    start: float | None = None  # virtual start; None = wall time (real) or FROZEN_EPOCH (frozen)
    public_url: str = "http://127.0.0.1:8080"
    delete_lag_seconds: float = 0.0  # see Lifecycle: MX's lag of user-level lists after a member delete
    webhook_url: str | None = None  # every tenant's starting webhook receiver (--webhook-url)


@dataclass(frozen=True)
class Fixtures:
    """What every tenant reads and none changes: parsed once per app."""

    catalog: Catalog
    scripts: ScriptBook = field(default_factory=ScriptBook)
    book: BehaviorBook = field(default_factory=default_book)
    rules: MicrodepositRules = field(default_factory=default_rules)
    profiles: dict[str, Profile] = field(default_factory=load_profiles)
    categories: DefaultCategories = field(default_factory=default_categories)
    merchants: MerchantDirectory | None = None  # None: built from `profiles`
    card_products: CardProducts | None = None  # None: fixtures/credit_card_products.yml

    def __post_init__(self) -> None:
        if self.merchants is None:
            object.__setattr__(self, "merchants", MerchantDirectory.from_profiles(self.profiles))
        if self.card_products is None:
            object.__setattr__(self, "card_products", CardProducts.load(self.profiles))

    @functools.cached_property
    def routing_index(self) -> dict[str, str]:
        """Routing number → institution code: the microdeposit rules' table, then every non-Canadian
        catalog institution's own number (the one its accounts carry), first in catalog order."""
        index: dict[str, str] = {}
        for inst in self.catalog.all():
            if inst.iso_country_code != "CA" and inst.profile in self.profiles:
                index.setdefault(routing_number_of(inst, self.profiles[inst.profile]), inst.code)
        return {**index, **self.rules.routing_institutions}


class Tenant:
    clock: VirtualClock
    scheduler: Scheduler
    bus: EventBus
    timeline: Timeline
    journal: RequestJournal
    causes: Causes
    guids: GuidFactory
    users: UserStore
    data: DataStore
    members: MemberStore
    oauth: OAuthComponent
    microdeposits: MicrodepositStore
    pfm: PfmComponent
    managed: ManagedData
    processor: ProcessorTokens
    ach_returns: AchReturnStore
    credentials: CredentialSigner
    lifecycle: Lifecycle
    webhooks: WebhookComponent
    widget: WidgetComponent
    faults: FaultBook

    def __init__(self, client_id: str, fixtures: Fixtures, settings: TenantSettings,
                 tokens: TokenDirectory | None = None, waker: Callable[[], None] | None = None,
                 data: DataStore | None = None,
                 webhook_notify: Callable[["Tenant"], None] | None = None) -> None:
        self.client_id = client_id
        self.waker = waker  # told when something new is scheduled (the server's time driver)
        self.webhook_notify = webhook_notify  # told when webhooks are ready to send (the server's sender)
        self.fixtures = fixtures
        self.settings = settings
        self.tokens = tokens if tokens is not None else TokenDirectory()  # shared by the app's tenants
        self.last_used = time.monotonic()  # host time, for idle eviction only
        self._data = data  # a test's stand-in for the data part
        # Persistence (core/store): the host clock the virtual clock reads (a replay pins it), the
        # namespace guids and data derive from (a loaded snapshot keeps its source's), and a count
        # of rebuilds (a reset or a snapshot load starts the tenant's log afresh).
        self.wall: Callable[[], float] = time.time
        self.namespace = client_id
        self.generation = 0
        self.born_wall = 0.0
        self._build()

    @property
    def catalog(self) -> Catalog:
        return self.fixtures.catalog

    def _build(self) -> None:
        s, f, cid = self.settings, self.fixtures, self.client_id
        frozen = s.clock_mode == "frozen"
        self.generation += 1
        self.born_wall = self.wall()
        start = s.start if s.start is not None else (FROZEN_EPOCH if frozen else self.born_wall)
        self.clock = VirtualClock(start, frozen, wall=lambda: self.wall())
        self.scheduler = Scheduler()
        self.scheduler.waker = self.waker
        self.bus = EventBus()
        self.timeline = Timeline(self.bus)
        self.journal = RequestJournal(self.bus)
        self.causes = Causes()
        self.guids = GuidFactory(s.seed, self.namespace)
        self.users = UserStore(self.clock, self.guids)
        self.data = self._data or DataStore(s.seed, self.namespace, self.clock, self.guids, f.profiles)
        self.members = MemberStore(self.clock, self.scheduler, self.bus, self.guids, f.catalog, f.book,
                                   f.scripts, self.data)
        self.oauth = OAuthComponent(cid, s.public_url, self.clock, self.bus, self.tokens, self.members)
        self.microdeposits = MicrodepositStore(self.clock, self.scheduler, self.bus, self.guids, f.catalog, f.rules,
                                               f.routing_index)
        assert f.merchants is not None
        self.pfm = PfmComponent(self.clock, self.bus, self.guids, self.data, f.categories, f.merchants)
        self.managed = ManagedData(self.clock, self.guids, f.catalog, self.members, self.data)
        self.processor = ProcessorTokens(cid, self.clock, self.tokens, self.users, self.members, self.data)
        self.ach_returns = AchReturnStore(cid, s.seed, self.clock, self.guids, self.users, self.members, self.data)
        self.credentials = CredentialSigner()
        self.lifecycle = Lifecycle(self.clock, self.scheduler, self.bus, self.users, self.members, self.data,
                                   self.oauth, self.microdeposits, self.pfm, s.delete_lag_seconds,
                                   processor=self.processor)
        self.webhooks = WebhookComponent(cid, s.seed, s.webhook_url, self.clock, self.scheduler, self.bus,
                                         self.guids, self.causes, self.users, self.members, self.microdeposits)
        self.webhooks.outbox.notify = self._webhooks_ready
        self.widget = WidgetComponent(cid, self.clock, self.bus, self.guids, self.tokens, f.catalog, self.users,
                                      self.members, self.oauth, self.microdeposits, self.data, self.lifecycle,
                                      self.causes)
        self.faults = FaultBook(s.seed, self.clock, self.bus, f.catalog, f.book, self.members)
        self.members.jobs.fault_outcome = self.faults.job_outcome
        self.members.in_maintenance = self.faults.in_maintenance

    def _webhooks_ready(self) -> None:
        if self.webhook_notify is not None:
            self.webhook_notify(self)

    def is_empty(self) -> bool:
        """True before the tenant's first user: nothing yet depends on the clock."""
        return len(self.users) == 0

    def settle(self, budget_seconds: float | None = None) -> bool:
        """Run transitions due by the virtual now; with a budget, one slice. True once none is due."""
        return self.scheduler.run_due(self.clock.now(), budget_seconds)

    def has_due(self) -> bool:
        return self.scheduler.has_due(self.clock.now())

    def reset(self) -> None:
        """Wipe this tenant only: data, events, clock, guid counters and its browser tokens."""
        self.tokens.forget_owner(self.client_id)
        self._build()

    def gauges(self) -> dict[str, int]:
        return {
            "users": len(self.users),
            "members": len(self.members),
            "scheduled": len(self.scheduler),
            "timeline_events": len(self.timeline),
            "widget_links": len(self.widget.links),
            "widget_sessions": len(self.widget.sessions),
            "widget_messages": self.widget.message_count,
            "webhooks_pending": len(self.webhooks.outbox),
            "webhooks_dropped": self.webhooks.outbox.dropped,
            "journal_requests": len(self.journal),
            "fault_rules": len(self.faults),
            "processor_grants": len(self.processor),
        }
