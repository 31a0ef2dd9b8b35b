"""A hypothesis state machine: random member journeys against the running sandbox, checked
against a small model of MX's rules (MX Bank passwords, MFA answers, jobs, expiry, PREVENTED)."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, rule, run_state_machine_as_test

from contract_tests.harness import MX, new_client

pytestmark = pytest.mark.sandbox_only

STEP = 10  # virtual seconds after each action: every phase has finished (aggregate 2+3 s, then verify 3 s)
EXPIRY = 300
PASSWORDS = {"password": "CONNECTED", "challenge": "CHALLENGED", "options": "CHALLENGED",
             "UNAUTHORIZED": "DENIED", "LOCKED": "LOCKED", "SERVER_ERROR": "FAILED", "BAD_REQUEST": "FAILED"}
ANSWERS = {"correct": "CONNECTED", "wrong": "REJECTED", "DISABLED": "DENIED", "SERVER_ERROR": "FAILED"}


@dataclass
class ModelMember:
    guid: str
    password: str
    status: str = "CREATED"
    job_type: str = "aggregate"
    denied: int = 0
    deadline: float | None = None  # when an open challenge expires

    def authenticate(self, outcome: str, at: float) -> None:
        self.denied = self.denied + 1 if outcome == "DENIED" else 0
        if outcome == "DENIED" and self.denied >= 3:
            outcome = "PREVENTED"
        self.status = outcome
        self.deadline = at + 2 + EXPIRY if outcome == "CHALLENGED" else None


class MemberJourneys(RuleBasedStateMachine):
    members = Bundle("members")

    def __init__(self, mx: MX) -> None:
        super().__init__()
        self.mx = mx
        mx.freeze(now="2026-06-01T00:00:00Z")
        self.now = 0.0
        self.user = mx.create_user()["guid"]
        fields = mx.get("/institutions/mxbank/credentials").json()["credentials"]
        self.guids = {f["field_name"]: f["guid"] for f in fields}
        self.model: dict[str, ModelMember] = {}
        self.deleted: list[str] = []

    def creds(self, password: str) -> list[dict[str, str]]:
        return [{"guid": self.guids["LOGIN"], "value": "mxuser"}, {"guid": self.guids["PASSWORD"], "value": password}]

    def path(self, member: ModelMember, suffix: str = "") -> str:
        return f"/users/{self.user}/members/{member.guid}{suffix}"

    def tick(self, seconds: float = STEP) -> None:
        self.mx.advance(seconds)
        self.now += seconds
        for m in self.model.values():
            if m.status == "CHALLENGED" and m.deadline is not None and self.now >= m.deadline:
                m.status, m.deadline = "EXPIRED", None

    def expect(self, r, *codes: int):
        assert r.status_code in codes, (r.status_code, r.text)
        assert r.status_code < 500

    @rule(target=members, password=st.sampled_from(sorted(PASSWORDS)))
    def create(self, password):
        taken = {m.password for m in self.model.values()}
        if password in taken:  # same credentials twice is MX's duplicate-member conflict
            r = self.mx.post(f"/users/{self.user}/members", json={"member": {"institution_code": "mxbank", "credentials": self.creds(password)}})
            self.expect(r, 409)
            self.tick()
            return None
        r = self.mx.post(f"/users/{self.user}/members", json={"member": {"institution_code": "mxbank", "credentials": self.creds(password)}})
        self.expect(r, 202)
        member = ModelMember(r.json()["member"]["guid"], password)
        member.authenticate(PASSWORDS[password], self.now)
        self.model[member.guid] = member
        self.tick()
        return member

    @rule(member=members, password=st.sampled_from(sorted(PASSWORDS)))
    def update_credentials(self, member, password):
        if member is None or member.guid not in self.model:
            return
        r = self.mx.put(self.path(member), json={"member": {"credentials": self.creds(password)}})
        self.expect(r, 200)
        if member.status == "PREVENTED":
            member.denied = 0
        member.password, member.job_type = password, "aggregate"
        member.authenticate(PASSWORDS[password], self.now)
        self.tick()

    @rule(member=members, job=st.sampled_from(["aggregate", "verify"]))
    def start_job(self, member, job):
        if member is None or member.guid not in self.model:
            return
        r = self.mx.post(self.path(member, f"/{job}"))
        code = 202 if job == "aggregate" else 200
        if member.status == "CHALLENGED" and member.job_type != job:
            self.expect(r, 409)
        else:
            self.expect(r, code)
            if member.status not in ("CHALLENGED", "PREVENTED"):
                member.job_type = job
                member.authenticate(PASSWORDS[member.password], self.now)
        self.tick()

    @rule(member=members, value=st.sampled_from(sorted(ANSWERS)))
    def resume(self, member, value):
        if member is None or member.guid not in self.model:
            return
        challenges = self.mx.get(self.path(member, "/challenges"))
        if member.status != "CHALLENGED":
            self.expect(challenges, 204)
            r = self.mx.put(self.path(member, "/resume"), json={"member": {"challenges": [{"guid": "CRD-x", "value": value}]}})
            self.expect(r, 405)
            return
        self.expect(challenges, 200)
        answers = [{"guid": c["guid"], "value": value} for c in challenges.json()["challenges"]]
        self.expect(self.mx.put(self.path(member, "/resume"), json={"member": {"challenges": answers}}), 202)
        member.authenticate(ANSWERS[value], self.now)
        self.tick()

    @rule(member=consumes(members))
    def delete(self, member):
        if member is None or member.guid not in self.model:
            return
        self.expect(self.mx.delete(self.path(member)), 204)
        del self.model[member.guid]
        self.deleted.append(member.guid)

    @rule(seconds=st.sampled_from([1, STEP, EXPIRY + 1]))
    def advance(self, seconds):
        self.tick(seconds)

    @invariant()
    def statuses_match_the_model(self):
        for member in self.model.values():
            r = self.mx.get(self.path(member, "/status"))
            self.expect(r, 200)
            body = r.json()["member"]
            assert body["connection_status"] == member.status, (member, body)
            assert body["is_being_aggregated"] is (member.status == "CHALLENGED")
        for guid in self.deleted[-3:]:
            self.expect(self.mx.get(f"/users/{self.user}/members/{guid}"), 404)


def test_member_state_machine(mx_target):
    clients = []

    def factory():
        http = new_client(mx_target)
        clients.append(http)
        return MemberJourneys(MX(http, mx_target, "model"))

    try:
        run_state_machine_as_test(
            factory,
            settings=settings(max_examples=60, stateful_step_count=25, deadline=None,
                              suppress_health_check=list(HealthCheck)),
        )
    finally:
        for http in clients:
            http.close()
