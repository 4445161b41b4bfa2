"""Each service's own exceptions as problem documents: one helper, every answer pinned."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, cast

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from snp_documents.adapters.group_keys import GroupKeyMissing
from snp_documents.adapters.multipart import UploadRefused
from snp_documents.adapters.sealing import DecryptionFailed as SealedTextRefused
from snp_documents.domain.documents import DocumentRuleBroken, InvalidDocument
from snp_documents.entrypoints import app as documents_app
from snp_documents.service_layer.context import NotFound as NoDocument
from snp_documents.settings import DocumentsSettings
from snp_identity.domain.accounts import AccountRuleBroken
from snp_identity.domain.tenants import TenantRuleBroken
from snp_identity.entrypoints import app as identity_app
from snp_identity.service_layer.context import InvalidInput as BadAccountInput
from snp_identity.service_layer.context import NotFound as NoAccount
from snp_identity.settings import IdentitySettings
from snp_membership.domain.model import GroupRuleBroken, InvalidGroupInput
from snp_membership.entrypoints import app as membership_app
from snp_membership.service_layer.context import NotFound as NoGroup
from snp_membership.service_layer.context import TenantUnknown
from snp_membership.service_layer.listing import BadCursor
from snp_membership.settings import MembershipSettings
from snp_messaging.entrypoints import app as messaging_app
from snp_messaging.service_layer.context import InvalidInput as BadMessageInput
from snp_messaging.settings import MessagingSettings
from snp_platform.keywrap import KeyUnavailable, UnwrapFailed
from snp_platform.problems import (
    INVALID_INPUT,
    PROBLEM_JSON,
    ErrorProblem,
    add_error_problems,
    error_message,
)

_NO_CONTEXT: Any = SimpleNamespace(pool=None)  # building an app touches no database
_APPS: dict[str, Callable[[], FastAPI]] = {
    "identity": lambda: identity_app.build_app(IdentitySettings(), _NO_CONTEXT),
    "membership": lambda: membership_app.build_app(MembershipSettings(), _NO_CONTEXT),
    "documents": lambda: documents_app.build_app(DocumentsSettings(), _NO_CONTEXT),
    "messaging": lambda: messaging_app.build_app(MessagingSettings(), _NO_CONTEXT),
}
_INVALID = '"type":"urn:snp:problem:invalid-input","title":"Unprocessable Entity","status":422'
_CONFLICT = '"type":"urn:snp:problem:conflict","title":"Conflict","status":409'
_INTEGRITY = (
    '{"type":"urn:snp:problem:document-integrity","title":"Internal Server Error","status":500,'
    '"detail":"The document failed its integrity check and was not served."}'
)
# The bytes each app.py's own handlers answered with before they became tables.
ANSWERS: list[tuple[str, Exception, int, str]] = [
    (
        "identity",
        BadAccountInput(["too short", "no digit"]),
        422,
        "{" + _INVALID + ',"detail":"The request cannot be accepted.",'
        '"errors":[{"message":"too short"},{"message":"no digit"}]}',
    ),
    (
        "identity",
        NoAccount("a1"),
        404,
        '{"type":"urn:snp:problem:not-found","title":"Not Found","status":404,'
        '"detail":"No such account."}',
    ),
    (
        "identity",
        AccountRuleBroken("already erased"),
        409,
        "{" + _CONFLICT + ',"detail":"already erased"}',
    ),
    ("identity", AccountRuleBroken(""), 409, "{" + _CONFLICT + "}"),
    (
        "identity",
        TenantRuleBroken("met is taken"),
        409,
        "{" + _CONFLICT + ',"detail":"met is taken"}',
    ),
    (
        "membership",
        InvalidGroupInput(["bad name"]),
        422,
        "{" + _INVALID + ',"detail":"The request cannot be accepted.",'
        '"errors":[{"message":"bad name"}]}',
    ),
    ("membership", BadCursor("zz"), 422, "{" + _INVALID + ',"detail":"Unknown cursor."}'),
    (
        "membership",
        NoGroup("g1"),
        404,
        '{"type":"urn:snp:problem:not-found","title":"Not Found","status":404,'
        '"detail":"No such resource."}',
    ),
    ("membership", GroupRuleBroken("closed"), 409, "{" + _CONFLICT + ',"detail":"closed"}'),
    (
        "membership",
        TenantUnknown("met"),
        409,
        '{"type":"urn:snp:problem:tenant-unknown","title":"Conflict","status":409,'
        '"detail":"Membership does not know this force yet; try again shortly."}',
    ),
    (
        "documents",
        UploadRefused(413, "The file is too large."),
        413,
        '{"type":"urn:snp:problem:upload-refused","title":"Request Entity Too Large",'
        '"status":413,"detail":"The file is too large."}',
    ),
    ("documents", InvalidDocument("bad title"), 422, "{" + _INVALID + ',"detail":"bad title"}'),
    (
        "documents",
        NoDocument("d1"),
        404,
        '{"type":"urn:snp:problem:not-found","title":"Not Found","status":404,'
        '"detail":"No such resource."}',
    ),
    ("documents", DocumentRuleBroken("gone"), 409, "{" + _CONFLICT + ',"detail":"gone"}'),
    ("documents", SealedTextRefused("segment 3"), 500, _INTEGRITY),
    ("documents", UnwrapFailed("wrapped key"), 500, _INTEGRITY),
    ("documents", KeyUnavailable("k9"), 500, _INTEGRITY),
    ("documents", GroupKeyMissing("g1"), 500, _INTEGRITY),
    (
        "messaging",
        BadMessageInput(["no body"]),
        422,
        "{" + _INVALID + ',"detail":"The request cannot be accepted.",'
        '"errors":[{"message":"no body"}]}',
    ),
]


def _raising(error: Exception) -> Callable[[], None]:
    def route() -> None:
        raise error

    return route


def _answer(app: FastAPI, error: Exception) -> Any:
    path = f"/raise/{len(app.routes)}"  # a new route each time: the first match would win
    app.add_api_route(path, _raising(error))
    return TestClient(app, raise_server_exceptions=False).get(path)


@pytest.mark.parametrize(
    ("service", "error", "status", "body"),
    ANSWERS,
    ids=[f"{s}-{type(e).__name__}" for s, e, _, _ in ANSWERS],
)
def test_each_service_answers_its_exceptions_as_before(
    service: str, error: Exception, status: int, body: str
) -> None:
    response = _answer(_APPS[service](), error)
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.content == body.encode()
    if isinstance(error, TenantUnknown):
        assert response.headers["retry-after"] == "2"
    else:
        assert "retry-after" not in response.headers


class _Rule(Exception):
    pass


class _Stricter(_Rule):
    pass


def test_a_table_answers_subclasses_and_tuples_and_only_on_its_own_app() -> None:
    app, other = FastAPI(), FastAPI()
    add_error_problems(
        app,
        {
            (_Rule, KeyError): ErrorProblem(409, "conflict", error_message, title="Refused"),
            ValueError: ErrorProblem(lambda e: 400 + len(e.args), "odd", lambda e: None),
        },
    )
    assert _answer(app, _Stricter("no")).json() == {
        "type": "urn:snp:problem:conflict",
        "title": "Refused",
        "status": 409,
        "detail": "no",
    }
    assert _answer(app, ValueError(*"abcdefghijkl")).json() == {
        "type": "urn:snp:problem:odd",
        "title": "Precondition Failed",
        "status": 412,
    }
    assert _answer(other, _Rule("no")).status_code == 500  # FastAPI's own, no table there


def test_the_shared_invalid_input_lists_each_problem() -> None:
    app = FastAPI()
    add_error_problems(app, {BadAccountInput: INVALID_INPUT})
    assert _answer(app, BadAccountInput(["a", "b"])).json()["errors"] == [
        {"message": "a"},
        {"message": "b"},
    ]


def test_an_exception_answered_twice_is_a_mistake() -> None:
    with pytest.raises(ValueError, match="_Rule is answered twice"):
        add_error_problems(
            FastAPI(),
            {_Rule: INVALID_INPUT, (KeyError, _Rule): ErrorProblem(409, "conflict")},
        )


def test_a_logged_problem_names_the_exception_type() -> None:
    logged: list[tuple[str, dict[str, Any]]] = []

    class _Logger:
        def error(self, event: str, **values: Any) -> None:
            logged.append((event, values))

    app = FastAPI()
    add_error_problems(
        app, {_Rule: ErrorProblem(500, "broken", "x", log="rule_broken")}, cast(Any, _Logger())
    )
    assert _answer(app, _Stricter("secret")).status_code == 500
    assert logged == [("rule_broken", {"error": "_Stricter"})]
