"""Request and response bodies; unknown fields are refused, lengths bounded."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from snp_platform.bodies import RequestBody


class Body(RequestBody):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class TenantIn(Body):
    slug: str = Field(min_length=3, max_length=50)
    display_name: str = Field(min_length=1, max_length=200)


class ContactIn(Body):
    display_name: str = Field(min_length=1, max_length=100)
    email: str = Field(min_length=3, max_length=254)
    phone: str = Field(default="", max_length=16)


class RegistrationIn(ContactIn):
    password: str = Field(min_length=1, max_length=1024)


class StaffAccountIn(ContactIn):
    # Without a password, identity records a set-up link that messaging mails to the email:
    # its owner chooses the password, and nobody has to pass one on.
    password: str | None = Field(default=None, min_length=1, max_length=1024)
    kind: str = Field(max_length=32)
    tenant: str | None = Field(default=None, max_length=50, description="operators only")
    agency_id: str | None = Field(
        default=None,
        pattern=r"^[0-9a-fA-F-]{36}$",
        description="the agency a partner acts for (partners only): its id",
    )


class SignInIn(Body):
    tenant: str = Field(min_length=1, max_length=50)
    email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=1024)
    code: str | None = Field(default=None, max_length=32, description="TOTP or recovery code")


class RefreshIn(Body):
    refresh_token: str = Field(min_length=1, max_length=256)


class TotpConfirmIn(Body):
    code: str = Field(min_length=6, max_length=32)


class PasswordChangeIn(Body):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class PasswordResetRequestIn(Body):
    tenant: str = Field(min_length=1, max_length=50)
    email: str = Field(min_length=1, max_length=254)


class PasswordResetIn(Body):
    new_password: str = Field(min_length=1, max_length=1024)


class EmailLookupIn(Body):
    email: str = Field(min_length=3, max_length=254)
    # The ward panel the member is to chair, when the caller knows it: told to the member.
    for_panel: str = Field(default="", max_length=200)


class RoleIn(Body):
    role: str = Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")


class AuthenticatorResetIn(Body):
    # Shown to the second administrator who decides; sealed under the account's key.
    reason: str = Field(min_length=1, max_length=500)


class TokensOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "Bearer"  # noqa: S105 (the OAuth token type, not a secret)
    expires_in: int
    # Only when a recovery code was the second factor: how many are left unused.
    recovery_codes_left: int | None = None


class AccountOut(BaseModel):
    account_id: str
    tenant: str
    kind: str
    display_name: str
    email: str
    phone: str
    totp_enrolled: bool
    roles: list[str]
    recovery_codes_left: int = 0
    agency_id: str | None = None  # the agency a partner acts for
    # A member's agreement to share contact details with the Neighbourhood Watch association.
    shares_with_association: bool = False


class AssociationSharingIn(Body):
    agreed: bool


class PublicTenantOut(BaseModel):
    slug: str
    display_name: str


class AgencyIn(Body):
    # Lengths are the domain's rule (one message each); this bound only stops a huge body.
    name: str = Field(max_length=1000)
    kind: str = Field(max_length=32)


class AgencyRenameIn(Body):
    name: str = Field(max_length=1000)
