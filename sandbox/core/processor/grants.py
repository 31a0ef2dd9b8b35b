"""Authorization codes and processor access tokens, per tenant.

A client asks for a code scoped to a user, member and account(s) it has verified; a processor
exchanges the code once for an access token (MX: codes are one-time use, tokens live 60 days) and
reads only the accounts the token covers. Codes and tokens are secrets from the CSPRNG
(`tokens.new_token`), registered in the app's token directory so the processor, who has no
`client_id`, is led to the right tenant by the secret alone.

Bounded: at most MAX_GRANTS codes plus tokens per tenant; past it the oldest go first, and spent
or expired codes are swept on every issue.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Iterator

from ..clock import VirtualClock
from ..data.model import Account
from ..data.store import DataStore
from ..errors import BadRequest, Forbidden, NotFound, Unauthorized, Unprocessable
from ..ids import stable_uuid
from ..members.store import MemberStore
from ..tokens import TokenDirectory, new_token
from ..users import UserStore
from .scope import Scope

CODE_KIND = "processor_code"
TOKEN_KIND = "processor_token"
CODE_TTL_SECONDS = 600.0  # UNCONFIRMED: MX documents one-time use, not a lifetime
TOKEN_TTL_SECONDS = 60 * 86400.0  # MX: every access_token expires after 60 days
MAX_GRANTS = 10_000
INVALID_TOKEN = "The access token is invalid. Ask the client for a new authorization code."


@dataclass
class Code:
    code: str
    scope: Scope
    created_at: float
    expires_at: float


@dataclass
class AccessToken:
    token: str
    scope: Scope
    processor_guid: str
    created_at: float
    expires_at: float
    revoked_at: float | None = None

    def is_active(self, now: float) -> bool:
        return self.revoked_at is None and now < self.expires_at


def processor_guid(processor_id: str) -> str:
    """A processor's MX guid, the same for the same `processor_id` (it is not a secret)."""
    return f"PPR-{stable_uuid('payment-processor', processor_id)}"


class ProcessorTokens:
    def __init__(self, client_id: str, clock: VirtualClock, directory: TokenDirectory, users: UserStore,
                 members: MemberStore, data: DataStore, limit: int = MAX_GRANTS) -> None:
        self.client_id = client_id
        self.clock = clock
        self.directory = directory
        self.users = users
        self.members = members
        self.data = data
        self.limit = limit
        self._codes: OrderedDict[str, Code] = OrderedDict()
        self._tokens: OrderedDict[str, AccessToken] = OrderedDict()

    # -- the client's side ---------------------------------------------------------------------
    def issue_code(self, scope: Scope) -> Code:
        """A code for `scope`: every guid must exist and belong together, and every account must be
        verified (have the account number a verification job produced), as MX requires."""
        self.users.get(scope.user_guid, allow_partner_id=False)
        self.members.get(scope.user_guid, scope.member_guid, allow_partner_id=False)
        for guid in scope.account_guids:
            self.data.account(scope.user_guid, guid, scope.member_guid)
            if not self.data.account_numbers(scope.user_guid, account_guid=guid):
                raise Unprocessable(f"Account {guid} has not been verified. Verify the member before "
                                    "requesting an authorization code.")
        now = self.clock.now()
        self._sweep(now)
        code = Code(new_token(), scope, now, now + CODE_TTL_SECONDS)
        self._codes[code.code] = code
        self.directory.register(CODE_KIND, code.code, self.client_id)
        self._trim()
        return code

    def list(self, user_guid: str | None = None, member_guid: str | None = None,
             account_guid: str | None = None) -> list[AccessToken]:
        """Tokens (revoked and expired ones too, `active` says which) within the filters, oldest first."""
        return [t for t in self._tokens.values()
                if (user_guid is None or t.scope.user_guid == user_guid)
                and (member_guid is None or t.scope.member_guid == member_guid)
                and (account_guid is None or t.scope.covers(account_guid))]

    def revoke(self, token: str) -> AccessToken:
        found = self._tokens.get(token)
        if found is None:
            raise NotFound()
        if found.revoked_at is None:
            found.revoked_at = self.clock.now()
        return found

    # -- the processor's side ------------------------------------------------------------------
    def exchange(self, code: str, processor_id: str) -> AccessToken:
        found = self._codes.pop(code, None)
        self.directory.forget(CODE_KIND, code)  # one-time use, whatever happens next
        now = self.clock.now()
        if found is None:
            raise BadRequest("The authorization code is invalid or has already been used.")
        if now >= found.expires_at:
            raise BadRequest("The authorization code has expired. Ask the client for a new one.")
        token = AccessToken(new_token(), found.scope, processor_guid(processor_id), now, now + TOKEN_TTL_SECONDS)
        self._tokens[token.token] = token
        self.directory.register(TOKEN_KIND, token.token, self.client_id)
        self._trim()
        return token

    def resolve(self, token: str) -> AccessToken:
        """The live token, or 401: unknown, revoked and expired tokens all read nothing."""
        found = self._tokens.get(token)
        if found is None:
            raise Unauthorized(INVALID_TOKEN)
        if found.revoked_at is not None:
            raise Unauthorized("The access token has been revoked.")
        if self.clock.now() >= found.expires_at:
            raise Unauthorized("The access token has expired. Ask the client for a new authorization code.")
        return found

    def accounts(self, token: AccessToken, account_guid: str | None = None) -> list[Account]:
        """The accounts a read may see: all the token covers, or the one asked for (403 if not covered)."""
        scope = token.scope
        if account_guid is not None and not scope.covers(account_guid):
            raise Forbidden("The access token does not cover this account.")
        wanted = [account_guid] if account_guid is not None else list(scope.account_guids)
        return [self.data.account(scope.user_guid, guid, scope.member_guid) for guid in wanted]

    # -- cascades --------------------------------------------------------------------------------
    def drop_member(self, member_guid: str) -> None:
        self._drop(lambda scope: scope.member_guid == member_guid)

    def drop_user(self, user_guid: str) -> None:
        self._drop(lambda scope: scope.user_guid == user_guid)

    def _drop(self, doomed) -> None:
        for table, kind in ((self._codes, CODE_KIND), (self._tokens, TOKEN_KIND)):
            for secret in [s for s, grant in table.items() if doomed(grant.scope)]:
                del table[secret]
                self.directory.forget(kind, secret)

    def _sweep(self, now: float) -> None:
        for secret in [s for s, code in self._codes.items() if now >= code.expires_at]:
            del self._codes[secret]
            self.directory.forget(CODE_KIND, secret)
        self._trim()

    def _trim(self) -> None:
        """Past the limit the oldest grant goes, code or token."""
        while len(self._codes) + len(self._tokens) > self.limit:
            oldest_code = next(iter(self._codes.values()), None)
            oldest_token = next(iter(self._tokens.values()), None)
            use_code = oldest_token is None or (oldest_code is not None and oldest_code.created_at <= oldest_token.created_at)
            table, kind = (self._codes, CODE_KIND) if use_code else (self._tokens, TOKEN_KIND)
            secret, _ = table.popitem(last=False)
            self.directory.forget(kind, secret)

    def __iter__(self) -> Iterator[AccessToken]:
        return iter(self._tokens.values())

    def __len__(self) -> int:
        return len(self._codes) + len(self._tokens)
