"""A resident files a report to their ward's police team: named (their member account), or
anonymous, Crimestoppers-style, with a reference and a secret to follow it by.

An anonymous report is taken without any token, so nothing of the caller's account is ever in
reach: the event names no reporter, its actor is `anonymous`, its correlation id is a fresh one
(not the request's, which a client may reuse across its calls), nothing is logged, and OPA is
not asked (there is no subject; anyone may report anonymously, as anyone may call
Crimestoppers). Texts are sealed under the report's own key before they reach an event.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from snp.engagement.v1 import events_pb2 as pb
from snp_engagement.adapters import roles
from snp_engagement.adapters.event_streams import report_stream
from snp_engagement.adapters.reports_keys import ReportKeys, save_photo, text_aad
from snp_engagement.domain import reports as domain
from snp_engagement.domain.rules import InvalidInput
from snp_engagement.service_layer.context import EngagementContext
from snp_engagement.service_layer.reports_access import FILE
from snp_platform.authz import authorize
from snp_platform.envelope import new_event_id
from snp_platform.eventstore import NO_STREAM, EventMetadata
from snp_platform.sealing import seal_text
from snp_platform.tokens import Principal
from snp_platform.uploads import FileFacts, sniff

PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})
ANONYMOUS = "anonymous"
# Crockford's base32 without look-alikes: a reference read out over the phone survives.
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class PhotoRefused(Exception):
    """Not a JPEG or PNG by its bytes, whatever it was called (415)."""


class PhotoTooLarge(Exception):
    """Over the photo size limit (413)."""


class ReportsUnavailable(Exception):
    """No report KEK is configured: no report can be sealed, so none is taken (503)."""


@dataclass(frozen=True)
class ReportForm:
    ward_code: str
    category: str
    what: str
    where: str
    postcode: str
    happened_at: datetime
    photo: bytes | None = None
    time_known: bool = True


def new_reference() -> str:
    """`SNR-XXXX-XXXX-XXXX`: 60 random bits, unique per force (the table says so)."""
    chars = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(12))
    return f"SNR-{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def secret_hash(secret: str) -> str:
    """The secret is 144 random bits: a plain SHA-256 is as strong as a slow hash here."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _photo_facts(ctx: EngagementContext, photo: bytes | None) -> pb.ReportPhoto | None:
    if photo is None:
        return None
    if len(photo) > ctx.report_photo_max_bytes:
        raise PhotoTooLarge(f"a photo is at most {ctx.report_photo_max_bytes} bytes")
    content_type = sniff(photo, complete=True, allowed=PHOTO_TYPES) if photo else None
    if content_type is None:
        raise PhotoRefused("a photo is a JPEG or PNG image")
    facts = FileFacts.of(photo)
    return pb.ReportPhoto(content_type=content_type, size=facts.size, sha256=facts.sha256)


def _file(
    ctx: EngagementContext,
    tenant: str,
    form: ReportForm,
    filing: domain.Filing,
    metadata: EventMetadata,
) -> None:
    """Check, seal, decide and append in one transaction: refused, nothing is left behind."""
    if ctx.report_keys is None:
        raise ReportsUnavailable("reports are not taken: no report key is configured")
    keys: ReportKeys = ctx.report_keys
    photo = _photo_facts(ctx, form.photo)
    with ctx.pool.connection() as conn, conn.transaction():
        if not roles.ward_has_panel(conn, tenant, form.ward_code):
            raise InvalidInput("no ward panel of this force covers that ward")
        key = keys.create(conn, tenant, filing.report_id)

        def sealed(field: str, text: str) -> bytes:
            return seal_text(key, text, text_aad(tenant, filing.report_id, field))

        texts = domain.Sealed(
            sealed("what", form.what),
            sealed("where", form.where),
            sealed("postcode", form.postcode),
        )
        events = domain.file(filing, texts, datetime.now(UTC), photo)
        if form.photo is not None:
            save_photo(conn, key, tenant, filing.report_id, form.photo)
        stream = report_stream(tenant, filing.report_id)
        ctx.streams.append(stream, events, NO_STREAM, metadata, conn)


def file_named(
    ctx: EngagementContext, principal: Principal, form: ReportForm, metadata: EventMetadata
) -> str:
    """A member's report, followed from their account; its id back."""
    ward = {"type": "ward", "id": form.ward_code, "tenant": principal.tenant}
    authorize(ctx.opa, principal, FILE, ward)
    report_id = new_event_id()
    filing = domain.Filing(
        report_id,
        form.ward_code,
        form.category,
        form.happened_at,
        principal.account_id,
        time_known=form.time_known,
    )
    _file(ctx, principal.tenant, form, filing, metadata)
    return report_id


def file_anonymous(ctx: EngagementContext, tenant: str, form: ReportForm) -> tuple[str, str]:
    """An anonymous report; (reference, secret) back, the secret shown this once only."""
    reference, secret = new_reference(), secrets.token_urlsafe(18)
    filing = domain.Filing(
        new_event_id(),
        form.ward_code,
        form.category,
        form.happened_at,
        None,
        reference,
        secret_hash(secret),
        time_known=form.time_known,
    )
    metadata = EventMetadata(actor=ANONYMOUS, correlation_id=uuid.uuid4().hex)
    _file(ctx, tenant, form, filing, metadata)
    return reference, secret
