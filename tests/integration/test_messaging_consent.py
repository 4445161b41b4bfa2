"""Consent per information provider against the running stack: a partner of the force's council
agency alerts a ward, members who turned the council off get police alerts but not the
council's (inbox and the mail sink), members on the defaults get both with the reason, a
changed force default applies to members who never chose, each change is an event, and another
force can neither see nor change this force's settings."""

from __future__ import annotations

import types
from typing import Any

import httpx
import psycopg
import pytest

from tests.integration import test_messaging_api as shared
from tests.integration.messaging_helpers import (
    EventPublisher,
    Force,
    Person,
    add_members,
    bearer,
    mails_to,
    member_token,
    new_force,
    publish_group,
    wait_until,
)
from tests.integration.test_identity_partners import new_partner
from tests.integration.test_messaging_api import messaging_db, wait_for_final, wait_for_roles

pytestmark = pytest.mark.integration
COUNCIL_NAME = "Camden Council ASB team"
# Messaging's module fixtures, shared: the identity and messaging clients, membership's events.
identity, messaging, membership_events = shared.identity, shared.messaging, shared.membership_events


def events_of(stack: Any, tenant: str, event_type: str, stream_id: str | None = None) -> int:
    with messaging_db(stack) as conn:
        row = conn.execute(
            "SELECT count(*) FROM events WHERE tenant = %s AND event_type = %s"
            " AND (%s::text IS NULL OR stream_id = %s)",
            (tenant, event_type, stream_id, stream_id),
        ).fetchone()
    return int(row[0]) if row else 0


def register_agency(stack: Any, client: httpx.Client, admin: Person, name: str, kind: str) -> str:
    """An agency registered with identity, once messaging's projection has it."""
    made = client.post("/agencies", headers=bearer(admin.token), json={"name": name, "kind": kind})
    assert made.status_code == 201, made.text
    agency_id = str(made.json()["agency_id"])

    def projected() -> bool:
        with messaging_db(stack) as conn:
            return (
                conn.execute("SELECT 1 FROM agencies WHERE agency_id = %s", (agency_id,)).fetchone()
                is not None
            )

    wait_until(projected, what=f"messaging's projection of agency {agency_id}")
    return agency_id


@pytest.fixture(scope="module")
def world(stack: Any, identity: httpx.Client, membership_events: EventPublisher) -> dict[str, Any]:
    force = new_force(stack, identity)
    people = add_members(stack, force, ["chair", "off", "dflt", "keen"])
    group = publish_group(membership_events, force, "Elm Street Watch", "W01", people["chair"], [])
    wait_for_roles(stack, group, 1)
    council = register_agency(stack, identity, force.admin, COUNCIL_NAME, "council")
    housing = register_agency(stack, identity, force.admin, "Camden Housing", "housing")
    admin = types.SimpleNamespace(tenant=force.tenant, auth=bearer(force.admin.token))
    partner = new_partner(identity, admin, council)["token"]
    other = new_force(stack, identity)
    outsiders = add_members(stack, other, ["bee"])
    return {
        "force": force,
        "people": people,
        "group": group,
        "council": council,
        "housing": housing,
        "partner": partner,
        "other": other,
        "bee": outsiders["bee"],
    }


def put_preferences(
    client: httpx.Client, token: str, providers: list[dict[str, Any]] | None = None
) -> httpx.Response:
    body: dict[str, Any] = {"channels": ["email"], "areas": ["W01"]}
    if providers is not None:
        body["providers"] = providers
    return client.put("/preferences", headers=bearer(token), json=body)


def alert(client: httpx.Client, token: str, subject: str) -> httpx.Response:
    return client.post(
        "/messages",
        headers=bearer(token),
        json={
            "subject": subject,
            "body": "Fly-tipping on the estate: report it to us.",
            "type": "alert",
            "priority": "normal",
            "audience": {"type": "ward", "id": "W01"},
        },
    )


def inbox_entry(client: httpx.Client, token: str, subject: str) -> dict[str, Any] | None:
    answer = client.get("/inbox", headers=bearer(token))
    assert answer.status_code == 200, answer.text
    return next((m for m in answer.json()["messages"] if m["subject"] == subject), None)


def mailed(stack: Any, person: Person, subject: str) -> bool:
    return any(m["Subject"] == subject for m in mails_to(stack.maildir, person.email))


@pytest.fixture(scope="module")
def chosen(
    stack: Any,
    identity: httpx.Client,
    messaging: httpx.Client,
    world: dict[str, Any],
) -> dict[str, str]:
    """`off` turned the council off, `keen` turned it on, `dflt` never chose: all opted into
    ward W01. The members' tokens by name."""
    force: Force = world["force"]
    tokens = {n: member_token(identity, force, world["people"][n]) for n in ("off", "dflt", "keen")}
    for name, choice in (("off", False), ("keen", True), ("dflt", None)):
        providers = None if choice is None else [{"id": world["council"], "on": choice}]
        put = put_preferences(messaging, tokens[name], providers)
        assert put.status_code == 200, put.text
    return tokens


def test_preferences_list_the_providers_with_the_defaults_until_the_member_chooses(
    messaging: httpx.Client,
    world: dict[str, Any],
    chosen: dict[str, str],
) -> None:
    force: Force = world["force"]
    listed = messaging.get("/preferences", headers=bearer(chosen["dflt"])).json()["providers"]
    shown = {p["id"]: (p["name"], p["kind"], p["on"], p["chosen"]) for p in listed}
    assert shown == {
        "police": (force.display_name, "police", True, False),
        "neighbourhood_watch": (
            "Neighbourhood Watch association",
            "neighbourhood_watch",
            True,
            False,
        ),
        world["council"]: (COUNCIL_NAME, "council", True, False),
        world["housing"]: ("Camden Housing", "housing", False, False),
    }
    off = messaging.get("/preferences", headers=bearer(chosen["off"])).json()["providers"]
    assert [(p["on"], p["chosen"]) for p in off if p["id"] == world["council"]] == [(False, True)]


def test_a_member_who_turned_the_council_off_gets_police_alerts_but_not_the_councils(
    stack: Any,
    messaging: httpx.Client,
    world: dict[str, Any],
    chosen: dict[str, str],
) -> None:
    force: Force = world["force"]
    people = world["people"]
    police = alert(messaging, force.police.token, "Police: burglaries in W01")
    assert police.status_code == 202, police.text
    assert police.json()["recipients"] == 3
    council = alert(messaging, world["partner"], "Council: fly-tipping in W01")
    assert council.status_code == 202, council.text
    assert council.json()["recipients"] == 2  # dflt (the default) and keen (chose it)
    wait_for_final(messaging, force.police.token, police.json()["id"], 3)
    status = wait_for_final(messaging, world["partner"], council.json()["id"], 2)
    assert status["sender"]["role"] == f"officer of {COUNCIL_NAME}"
    assert status["provider"] == {"id": world["council"], "name": COUNCIL_NAME}

    for name in ("off", "dflt", "keen"):
        assert mailed(stack, people[name], "Police: burglaries in W01"), name
    assert not mailed(stack, people["off"], "Council: fly-tipping in W01")
    assert inbox_entry(messaging, chosen["off"], "Council: fly-tipping in W01") is None
    assert mailed(stack, people["dflt"], "Council: fly-tipping in W01")
    assert mailed(stack, people["keen"], "Council: fly-tipping in W01")

    default = inbox_entry(messaging, chosen["dflt"], "Council: fly-tipping in W01")
    assert default is not None
    assert default["reason"] == (
        f"You get alerts from {COUNCIL_NAME} for ward Ward W01 because your force turns them"
        " on by default"
    )
    keen = inbox_entry(messaging, chosen["keen"], "Council: fly-tipping in W01")
    assert keen is not None
    assert (
        keen["reason"]
        == f"You get alerts from {COUNCIL_NAME} for ward Ward W01 because you chose to"
    )
    police_entry = inbox_entry(messaging, chosen["off"], "Police: burglaries in W01")
    assert police_entry is not None
    assert police_entry["reason"].startswith(f"You get alerts from {force.display_name} for ward")


def test_the_force_changes_a_default_and_it_applies_to_members_who_never_chose(
    stack: Any,
    messaging: httpx.Client,
    world: dict[str, Any],
    chosen: dict[str, str],
) -> None:
    force: Force = world["force"]
    people = world["people"]
    before = events_of(stack, force.tenant, "messaging.ProviderDefaultsChanged")
    put = messaging.put(
        "/providers/defaults",
        headers=bearer(force.admin.token),
        json={"on": ["police", "neighbourhood_watch", world["housing"]]},
    )
    assert put.status_code == 200, put.text
    decided = {p["id"]: (p["default_on"], p["set_by_force"]) for p in put.json()["providers"]}
    assert decided[world["council"]] == (False, True)
    assert decided[world["housing"]] == (True, True)
    assert events_of(stack, force.tenant, "messaging.ProviderDefaultsChanged") == before + 1
    # The same defaults again change nothing and record nothing.
    again = messaging.put(
        "/providers/defaults",
        headers=bearer(force.admin.token),
        json={"on": ["police", "neighbourhood_watch", world["housing"]]},
    )
    assert again.status_code == 200, again.text
    assert events_of(stack, force.tenant, "messaging.ProviderDefaultsChanged") == before + 1

    sent = alert(messaging, world["partner"], "Council: bulky waste day")
    assert sent.status_code == 202, sent.text
    assert sent.json()["recipients"] == 1  # only keen, who chose the council
    wait_for_final(messaging, world["partner"], sent.json()["id"], 1)
    assert mailed(stack, people["keen"], "Council: bulky waste day")
    assert not mailed(stack, people["dflt"], "Council: bulky waste day")
    assert inbox_entry(messaging, chosen["dflt"], "Council: bulky waste day") is None
    shown = messaging.get("/preferences", headers=bearer(chosen["dflt"])).json()["providers"]
    assert [(p["on"], p["chosen"]) for p in shown if p["id"] == world["council"]] == [
        (False, False)
    ]
    # Put back the platform's defaults for the other tests.
    restored = messaging.put(
        "/providers/defaults",
        headers=bearer(force.admin.token),
        json={"on": ["police", "neighbourhood_watch", world["council"]]},
    )
    assert restored.status_code == 200, restored.text


def test_each_change_of_consent_is_an_event_the_member_sees_in_their_history(
    stack: Any,
    messaging: httpx.Client,
    world: dict[str, Any],
    chosen: dict[str, str],
) -> None:
    force: Force = world["force"]
    off = world["people"]["off"]
    stream = f"recipient:{off.account_id}"
    assert events_of(stack, force.tenant, "messaging.ProviderConsentChanged", stream) == 1
    put = put_preferences(
        messaging,
        chosen["off"],
        [{"id": world["council"], "on": False}, {"id": "police", "on": False}],
    )
    assert put.status_code == 200, put.text  # the council unchanged: one event, the police's
    assert events_of(stack, force.tenant, "messaging.ProviderConsentChanged", stream) == 2
    history = messaging.get("/me/consent-history", headers=bearer(chosen["off"]))
    assert history.status_code == 200, history.text
    changes = [
        (c["provider"]["id"], c["provider"]["name"], c["on"]) for c in history.json()["changes"]
    ]
    assert changes == [
        ("police", force.display_name, False),
        (world["council"], COUNCIL_NAME, False),
    ]
    # The police alert no longer reaches the member who turned the police off.
    sent = alert(messaging, force.police.token, "Police: road closure")
    assert sent.status_code == 202, sent.text
    assert sent.json()["recipients"] == 2
    assert inbox_entry(messaging, chosen["off"], "Police: road closure") is None
    # Nobody else reads a member's history: another member's token reads their own.
    dflt = messaging.get("/me/consent-history", headers=bearer(chosen["dflt"])).json()
    assert dflt == {"changes": []}


def test_bad_input_is_a_problem_and_changes_nothing(
    stack: Any,
    messaging: httpx.Client,
    world: dict[str, Any],
    chosen: dict[str, str],
) -> None:
    force: Force = world["force"]
    keen = world["people"]["keen"]
    stream = f"recipient:{keen.account_id}"
    before = events_of(stack, force.tenant, "messaging.PreferencesChanged", stream)
    unknown = put_preferences(messaging, chosen["keen"], [{"id": "no-such-provider", "on": False}])
    assert unknown.status_code == 422, unknown.text
    assert unknown.headers["content-type"].startswith("application/problem+json")
    assert "unknown provider 'no-such-provider'" in unknown.text
    assert events_of(stack, force.tenant, "messaging.PreferencesChanged", stream) == before
    defaults = messaging.put(
        "/providers/defaults", headers=bearer(force.admin.token), json={"on": ["nope"]}
    )
    assert defaults.status_code == 422, defaults.text
    for token in (force.police.token, chosen["keen"], world["partner"]):
        refused = messaging.put("/providers/defaults", headers=bearer(token), json={"on": []})
        assert refused.status_code == 403, refused.text
        assert messaging.get("/providers", headers=bearer(token)).status_code == 403
    group = messaging.post(
        "/messages",
        headers=bearer(world["partner"]),
        json={
            "subject": "Hi",
            "body": "To the group",
            "audience": {"type": "group", "id": world["group"]},
        },
    )
    assert group.status_code == 403, group.text


def test_another_force_can_neither_see_nor_change_this_forces_settings(
    stack: Any,
    identity: httpx.Client,
    messaging: httpx.Client,
    world: dict[str, Any],
) -> None:
    force: Force = world["force"]
    other: Force = world["other"]
    mine = messaging.get("/providers", headers=bearer(other.admin.token))
    assert mine.status_code == 200, mine.text
    assert {p["id"] for p in mine.json()["providers"]} == {"police", "neighbourhood_watch"}
    a_defaults = events_of(stack, force.tenant, "messaging.ProviderDefaultsChanged")
    refused = messaging.put(
        "/providers/defaults", headers=bearer(other.admin.token), json={"on": [world["council"]]}
    )
    assert refused.status_code == 422, refused.text
    assert events_of(stack, force.tenant, "messaging.ProviderDefaultsChanged") == a_defaults
    assert events_of(stack, other.tenant, "messaging.ProviderDefaultsChanged") == 0
    bee = member_token(identity, other, world["bee"])
    choice = messaging.put(
        "/preferences",
        headers=bearer(bee),
        json={"channels": ["email"], "providers": [{"id": world["council"], "on": False}]},
    )
    assert choice.status_code == 422, choice.text
    with psycopg.connect(stack.service_database_url("messaging")) as conn:
        row = conn.execute(
            "SELECT count(*) FROM provider_consent WHERE account_id = %s",
            (world["bee"].account_id,),
        ).fetchone()
    assert row == (0,)
