"""Find and join through the portal over plain HTTP, against the real stack: a force's home page
by its display name, finding groups by name or ward with paging, a group's public page and its
markings, registering (and identity's refusals), asking to join, founding a group; each bad
input; and forged posts that the services refuse."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import psycopg
import pytest

from snp_identity.service_layer import tenants
from tests.integration.membership_people import (
    META,
    PASSWORD,
    identity_client,
    identity_context,
    membership_client,
    wait_for_account,
    wait_for_tenant,
)
from tests.integration.portal_people import (
    Account,
    csrf_of,
    make_account,
    portal_client,
    sign_in,
)

pytestmark = pytest.mark.integration

FORCE_NAME = "Northshire Police"


@dataclass(frozen=True)
class World:
    tenant: str
    other_tenant: str
    people: dict[str, Account]
    tokens: dict[str, str]  # for setting groups up over membership's API
    tag: str


def _token(identity: httpx.Client, account: Account) -> str:
    body = {"tenant": account.tenant, "email": account.email, "password": PASSWORD}
    if account.totp is not None:
        body["code"] = account.next_code()
    signed = identity.post("/sessions", json=body)
    assert signed.status_code == 200, signed.text
    return str(signed.json()["access_token"])


@pytest.fixture(scope="module")
def world(stack: Any) -> World:
    with identity_context(stack) as ctx, identity_client(stack) as identity:
        tenant, other = f"north-{uuid.uuid4().hex[:8]}", f"south-{uuid.uuid4().hex[:8]}"
        tenants.register_tenant(ctx.streams, tenant, FORCE_NAME, META)
        tenants.register_tenant(ctx.streams, other, "Southshire Police", META)
        people = {
            "carol": make_account(ctx, tenant, "member", "Carol Coordinator"),
            "dan": make_account(ctx, tenant, "member", "Dan Neighbour"),
            "police": make_account(ctx, tenant, "police", "PC Ada Lowe"),
            # Each signs in once through the portal: a code's time step is used once.
            "police_portal": make_account(ctx, tenant, "police", "PC Ben Hale"),
            "police_founds": make_account(ctx, tenant, "police", "PC Cy Moss"),
            "area": make_account(ctx, tenant, "area_coordinator", "Ali Area"),
            "faraway": make_account(ctx, other, "member", "Far Away"),
        }
        tokens = {k: _token(identity, people[k]) for k in ("carol", "police", "area", "faraway")}
    wait_for_tenant(stack, tenant)
    wait_for_tenant(stack, other)
    return World(tenant, other, people, tokens, uuid.uuid4().hex[:6])


def _found(stack: Any, world: World, who: str = "carol", **fields: Any) -> str:
    body = {
        "group_type": "neighbourhood_watch",
        "name": f"Watch {world.tag} {uuid.uuid4().hex[:4]}",
        "ward_code": "E05000138",
        "ward_name": "Bloomsbury",
        **fields,
    }
    with membership_client(stack) as api:
        made = api.post("/groups", json=body, headers=_auth(world.tokens[who]))
    assert made.status_code == 201, made.text
    return str(made.json()["group_id"])


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _main(page: httpx.Response) -> str:
    found = re.search(r"<main.*?</main>", page.text, re.S)
    assert found, page.text[:300]
    return found.group(0)


def _header(page: httpx.Response) -> str:
    """The words of the header and the service navigation (links' addresses left out)."""
    found = re.search(r"<header.*?</section>", page.text, re.S)
    assert found
    return re.sub(r"<[^>]+>", " ", found.group(0))


def _join_requests(stack: Any, group_id: str) -> list[tuple[str, str]]:
    with psycopg.connect(stack.service_database_url("membership")) as conn:
        rows = conn.execute(
            "SELECT account_id, status FROM join_requests WHERE group_id = %s", (group_id,)
        ).fetchall()
    return [(r[0], r[1]) for r in rows]


# --- the way in -------------------------------------------------------------------------------


def test_a_visitor_chooses_their_force_by_its_short_name(stack: Any, world: World) -> None:
    with portal_client(stack) as portal:
        home = portal.get("/")
        assert home.status_code == 200
        assert "Find your police force" in home.text and 'action="/forces"' in home.text
        empty = portal.get("/forces", params={"force": " "})
        assert empty.status_code == 400 and "There is a problem" in empty.text
        assert 'href="#force"' in empty.text and "Enter the short name" in empty.text
        unknown = portal.get("/forces", params={"force": "no-such-force"})
        assert unknown.status_code == 404
        assert "There is no police force with that short name" in unknown.text
        assert 'value="no-such-force"' in unknown.text
        chosen = portal.get("/forces", params={"force": world.tenant.upper()})
        assert (chosen.status_code, chosen.headers["location"]) == (303, f"/forces/{world.tenant}")
        to_find = portal.get("/forces", params={"force": world.tenant, "then": "groups"})
        assert to_find.headers["location"] == f"/forces/{world.tenant}/groups"
        find = portal.get("/find")
        assert find.status_code == 200 and 'name="then" value="groups"' in find.text


def test_a_forces_home_page_names_it_by_its_display_name(stack: Any, world: World) -> None:
    with portal_client(stack) as portal:
        page = portal.get(f"/forces/{world.tenant}")
        assert page.status_code == 200
        assert f"<title>{FORCE_NAME} \N{EN DASH} Safer Neighbourhoods</title>" in page.text
        assert f'<h1 class="govuk-heading-l">{FORCE_NAME}</h1>' in page.text
        assert FORCE_NAME in _header(page) and world.tenant not in _header(page)
        assert f'href="/forces/{world.tenant}/register"' in page.text
        assert f'action="/forces/{world.tenant}/groups"' in page.text
        missing = portal.get("/forces/no-such-force")
        assert missing.status_code == 404 and "Page not found" in missing.text
        assert portal.get("/forces/..%2Fsessions").status_code == 404


def test_signed_in_the_way_in_leads_to_your_groups_and_your_force(stack: Any, world: World) -> None:
    dan = world.people["dan"]
    with portal_client(stack) as portal:
        sign_in(portal, dan)
        assert portal.get("/").headers["location"] == "/groups"
        assert portal.get("/find").headers["location"] == f"/forces/{world.tenant}/groups"
        account = portal.get("/account")
        assert FORCE_NAME in _header(account) and FORCE_NAME in _main(account)


# --- find a group -----------------------------------------------------------------------------


def test_groups_are_found_by_name_or_ward_a_page_at_a_time(stack: Any, world: World) -> None:
    tag = uuid.uuid4().hex[:6]
    made = [
        _found(stack, world, name=f"Paging {tag} {n:02d}", ward_name="Kings Cross")
        for n in range(22)
    ]
    hidden = _found(stack, world, name=f"Paging {tag} hidden", visibility="hidden")
    with portal_client(stack) as portal:
        first = portal.get(f"/forces/{world.tenant}/groups", params={"q": f"paging {tag}"})
        assert first.status_code == 200
        assert f"Find a group in {FORCE_NAME}" in first.text
        shown = re.findall(rf'href="/forces/{world.tenant}/groups/([0-9a-f-]{{36}})"', first.text)
        assert shown == made[:20]
        assert hidden not in first.text
        nexts = re.findall(
            r'<a class="govuk-link govuk-pagination__link" href="([^"]+)"', first.text
        )
        assert len(nexts) == 1 and "cursor=" in nexts[0] and "Next" in first.text
        second = portal.get(nexts[0].replace("&amp;", "&"))
        rest = re.findall(rf'href="/forces/{world.tenant}/groups/([0-9a-f-]{{36}})"', second.text)
        assert rest == made[20:] and hidden not in second.text
        assert "First page" in second.text and "Next page" not in second.text
        by_ward = portal.get(
            f"/forces/{world.tenant}/groups", params={"q": tag, "ward": "kings cr"}
        )
        assert len(re.findall(r"Neighbourhood Watch group in Kings Cross", by_ward.text)) == 20
        by_code = portal.get(
            f"/forces/{world.tenant}/groups", params={"q": tag, "ward": "E05000138"}
        )
        assert made[0] in by_code.text
        none = portal.get(f"/forces/{world.tenant}/groups", params={"q": f"nothing {tag}"})
        assert none.status_code == 200 and "No groups found." in none.text
        # The search is that force's only: the other force has none of these groups.
        elsewhere = portal.get(f"/forces/{world.other_tenant}/groups", params={"q": tag})
        assert "No groups found." in elsewhere.text and "Southshire Police" in elsewhere.text


def test_a_search_that_cannot_be_used_gets_the_error_summary(stack: Any, world: World) -> None:
    with portal_client(stack) as portal:
        long = portal.get(f"/forces/{world.tenant}/groups", params={"q": "x" * 101})
        assert long.status_code == 400 and "There is a problem" in long.text
        assert 'href="#q"' in long.text and "100 characters or fewer" in long.text
        control = portal.get(f"/forces/{world.tenant}/groups", params={"ward": "a\x01b"})
        assert control.status_code == 400 and 'href="#ward"' in control.text
        forged_cursor = portal.get(f"/forces/{world.tenant}/groups", params={"cursor": "bm9wZQ"})
        assert forged_cursor.status_code == 400 and "application/json" not in forged_cursor.text


# --- a group's public page --------------------------------------------------------------------


def test_a_groups_public_page_says_its_markings_plainly(stack: Any, world: World) -> None:
    group_id = _found(stack, world, name=f"Marked {world.tag}", ward_name="Holborn")
    with membership_client(stack) as api:
        for who, side in (("police", "police"), ("area", "area_coordinator")):
            marked = api.post(
                "/approvals",
                json={"group_id": group_id, "subject": "group", "side": side},
                headers=_auth(world.tokens[who]),
            )
            assert marked.status_code == 201, marked.text
    unmarked = _found(stack, world, group_type="community_group", name=f"Plain {world.tag}")
    with portal_client(stack) as portal:
        page = portal.get(f"/forces/{world.tenant}/groups/{group_id}")
        assert page.status_code == 200
        main = _main(page)
        assert f"Marked {world.tag}" in main and "Neighbourhood Watch" in main
        assert "Holborn" in main and "Open: you can ask to join" in main
        assert f"Approved by {FORCE_NAME}" in main
        assert "Approved by the Neighbourhood Watch area coordinator" in main
        assert f"/sign-in?next=/forces/{world.tenant}/groups/{group_id}" in main
        plain = _main(portal.get(f"/forces/{world.tenant}/groups/{unmarked}"))
        assert "Community group" in plain and "Not approved yet" in plain
        listed = portal.get(f"/forces/{world.tenant}/groups", params={"q": f"Marked {world.tag}"})
        assert f"Approved by {FORCE_NAME}" in listed.text


def test_a_hidden_group_is_not_found_like_an_unknown_one(stack: Any, world: World) -> None:
    hidden = _found(stack, world, visibility="hidden", name=f"Secret {world.tag}")
    far = _found(stack, world, who="faraway")
    dan = world.people["dan"]
    with portal_client(stack) as portal:
        unknown = portal.get(f"/forces/{world.tenant}/groups/{uuid.uuid4()}")
        assert unknown.status_code == 404 and "Page not found" in unknown.text
        for path in (
            f"/forces/{world.tenant}/groups/{hidden}",
            f"/forces/{world.tenant}/groups/{far}",  # another force's group under this one
            f"/forces/{world.tenant}/groups/not-an-id",
        ):
            answer = portal.get(path)
            assert answer.status_code == 404 and _main(answer) == _main(unknown)
        sign_in(portal, dan)  # a member outside the hidden group: membership says 403
        signed = portal.get(f"/forces/{world.tenant}/groups/{hidden}")
        assert signed.status_code == 404 and "Secret" not in signed.text


# --- register ---------------------------------------------------------------------------------


def _register(
    portal: httpx.Client, tenant: str, next_url: str | None = None, **fields: str
) -> httpx.Response:
    params = {"next": next_url} if next_url else {}
    form = portal.get(f"/forces/{tenant}/register", params=params)
    assert form.status_code == 200, form.text
    data = {"csrf_token": csrf_of(form), **fields}
    return portal.post(f"/forces/{tenant}/register", params=params, data=data)


def test_registering_refuses_bad_input_with_the_error_summary(stack: Any, world: World) -> None:
    good = {"name": "Robin Fairweather", "email": f"robin-{world.tag}@example.org"}
    strong = "cobalt lantern harbour 77"
    with portal_client(stack) as portal:
        empty = _register(portal, world.tenant)
        assert empty.status_code == 400 and "There is a problem" in empty.text
        for field in ("name", "email", "password"):
            assert f'href="#{field}"' in empty.text
        mismatch = _register(portal, world.tenant, **good, password=strong, confirm="other")
        assert mismatch.status_code == 400 and "The passwords do not match" in mismatch.text
        assert strong not in mismatch.text  # a password is never put back into the page
        assert 'value="Robin Fairweather"' in mismatch.text
        cases = {
            "password1234": "Your password is too common",
            "short one": "Your password must be at least 12 characters",
            "fairweather in the garden": "Your password must not contain your name",
        }
        for password, message in cases.items():
            weak = _register(portal, world.tenant, **good, password=password, confirm=password)
            assert weak.status_code == 400, weak.text
            assert message in weak.text and 'href="#password"' in weak.text
        bad_email = {**good, "email": "robin@nowhere"}
        refused = _register(portal, world.tenant, **bad_email, password=strong, confirm=strong)
        assert refused.status_code == 400
        assert "Enter an email address in the correct format" in refused.text
        assert "application/problem+json" not in refused.text and "urn:snp" not in refused.text
        no_csrf = portal.post(f"/forces/{world.tenant}/register", data={**good})
        assert no_csrf.status_code == 403
        assert "Your request could not be accepted" in no_csrf.text
        assert portal.get("/forces/no-such-force/register").status_code == 404


def test_registering_signs_the_newcomer_in_and_a_taken_email_gets_neutral_words(
    stack: Any, world: World
) -> None:
    email = f"newcomer-{uuid.uuid4().hex[:6]}@example.org"
    fields = {"name": "Nia Newcomer", "email": email}
    password = "violet kettle orchard 31"
    back = f"/forces/{world.tenant}/groups"
    with portal_client(stack) as portal:
        made = _register(portal, world.tenant, back, **fields, password=password, confirm=password)
        assert made.status_code == 303, made.text
        assert made.headers["location"] == f"{back}?registered=1"
        account = portal.get("/account")
        assert account.status_code == 200 and "Nia Newcomer" in account.text
        assert email in account.text
        home = portal.get(f"/forces/{world.tenant}", params={"registered": "1"})
        assert "Your account has been created and you are signed in." in home.text
    with portal_client(stack) as again:
        taken = _register(
            again,
            world.tenant,
            **{**fields, "email": email.upper()},
            password=password,
            confirm=password,
        )
        assert taken.status_code == 400
        assert "This email address cannot be used to register" in taken.text
    with identity_client(stack) as identity:
        # Identity's own answer to the same request: a 422 whose words differ from any other
        # refusal, so the API tells whoever asks that the address is registered (docs/portal.md).
        raw = identity.post(
            f"/tenants/{world.tenant}/accounts",
            json={"display_name": "X Y", "email": email, "password": password},
        )
        assert raw.status_code == 422
        assert raw.json()["errors"] == [
            {"message": "this email address cannot be used to register"}
        ]


# --- ask to join ------------------------------------------------------------------------------


def test_a_newcomer_asks_to_join_and_a_second_ask_gets_the_services_answer(
    stack: Any, world: World
) -> None:
    group_id = _found(stack, world, name=f"Joinable {world.tag}")
    page_path = f"/forces/{world.tenant}/groups/{group_id}"
    password = "amber compass meadow 58"
    with portal_client(stack) as portal:
        signed_out = portal.get(page_path)
        assert "Ask to join" not in signed_out.text  # a link to sign in instead
        register_link = f"/forces/{world.tenant}/register?next={page_path}"
        assert register_link in signed_out.text
        email = f"joiner-{uuid.uuid4().hex[:6]}@example.org"
        made = _register(
            portal,
            world.tenant,
            page_path,
            name="Jo Joiner",
            email=email,
            password=password,
            confirm=password,
        )
        assert made.headers["location"] == f"{page_path}?registered=1"
        page = portal.get(page_path)
        assert "Ask to join" in page.text and f'action="{page_path}"' in page.text
        asked = portal.post(page_path, data={"csrf_token": csrf_of(page)})
        assert (asked.status_code, asked.headers["location"]) == (303, f"{page_path}?asked=1")
        after = portal.get(asked.headers["location"])
        assert "Your request to join has been sent." in after.text
        assert "Your request is waiting for the group&#39;s officers to decide." in after.text
        assert "Ask to join" not in _main(after)
        again = portal.post(page_path, data={"csrf_token": csrf_of(after)})
        assert again.status_code == 409
        assert "There is a problem" in again.text
        assert "A request to join is already waiting." in again.text
        # The waiting request is still the only one.
        assert [s for _a, s in _join_requests(stack, group_id)] == ["pending"]
        # The coordinator admits them: the page now says they are a member.
        with membership_client(stack) as api:
            waiting = api.get(
                f"/groups/{group_id}/join-requests", headers=_auth(world.tokens["carol"])
            )
            [rid] = [r["request_id"] for r in waiting.json()["requests"]]
            admitted = api.post(
                f"/groups/{group_id}/join-requests/{rid}/admit",
                headers=_auth(world.tokens["carol"]),
            )
            assert admitted.status_code == 200, admitted.text
        member = portal.get(page_path)
        assert "You are a member of this group." in member.text
        assert f'href="/groups/{group_id}"' in member.text


def test_asking_to_join_signed_out_goes_to_sign_in_and_back(stack: Any, world: World) -> None:
    group_id = _found(stack, world)
    page_path = f"/forces/{world.tenant}/groups/{group_id}"
    with portal_client(stack) as portal:
        portal.get("/sign-in")  # a signed-out session with its CSRF token
        form = portal.get(page_path)
        posted = portal.post(page_path, data={"csrf_token": csrf_of(portal.get("/sign-in"))})
        assert posted.status_code == 303
        assert posted.headers["location"].startswith("/sign-in?next=")
        assert "Sign in to ask to join" in form.text
        done = sign_in(portal, world.people["dan"], next_url=page_path)
        assert done.headers["location"] == page_path
        assert "Ask to join" in portal.get(page_path).text


def test_forged_join_posts_are_refused_by_membership(stack: Any, world: World) -> None:
    group_id = _found(stack, world, name=f"Forged {world.tag}")
    closed = _found(stack, world)
    with membership_client(stack) as api:
        shut = api.patch(
            f"/groups/{closed}", json={"status": "closed"}, headers=_auth(world.tokens["carol"])
        )
        assert shut.status_code == 200
    page_path = f"/forces/{world.tenant}/groups/{group_id}"
    with portal_client(stack) as portal:  # a police officer: staff never join groups
        sign_in(portal, world.people["police_portal"], next_url=page_path)
        page = portal.get(page_path)
        refused = portal.post(page_path, data={"csrf_token": csrf_of(page)})
        assert refused.status_code == 403
        assert "Your account cannot ask to join this group." in refused.text
    with portal_client(stack) as portal:  # another force's resident, posting by hand
        sign_in(portal, world.people["faraway"])
        csrf = csrf_of(portal.get("/account"))
        across = portal.post(page_path, data={"csrf_token": csrf})
        assert across.status_code == 404 and "Page not found" in across.text
    closed_path = f"/forces/{world.tenant}/groups/{closed}"
    with portal_client(stack) as portal:  # its coordinator sees it closed
        sign_in(portal, world.people["carol"])
        page = portal.get(closed_path)
        assert "Closed: not taking new members" in page.text
        assert "You are a member of this group." in page.text
    with portal_client(stack) as portal:  # to anyone else a closed group is not found
        sign_in(portal, world.people["dan"])
        assert portal.get(closed_path).status_code == 404
        forced = portal.post(closed_path, data={"csrf_token": csrf_of(portal.get("/account"))})
        assert forced.status_code == 404
    assert _join_requests(stack, group_id) == [] and _join_requests(stack, closed) == []
    with membership_client(stack) as api:  # the services' own answers to the same posts
        police_token = world.tokens["police"]
        assert (
            api.post(f"/groups/{group_id}/join-requests", headers=_auth(police_token)).status_code
            == 403
        )
        assert (
            api.post(
                f"/groups/{group_id}/join-requests", headers=_auth(world.tokens["faraway"])
            ).status_code
            == 404
        )


# --- found a group ----------------------------------------------------------------------------


def _found_in_portal(portal: httpx.Client, **fields: str) -> httpx.Response:
    form = portal.get("/groups/new")
    assert form.status_code == 200, form.text
    return portal.post("/groups/new", data={"csrf_token": csrf_of(form), **fields})


def _groups_named(stack: Any, name: str) -> list[tuple[str, str]]:
    with psycopg.connect(stack.service_database_url("membership")) as conn:
        rows = conn.execute(
            "SELECT group_id, group_type FROM groups WHERE name = %s", (name,)
        ).fetchall()
    return [(r[0], r[1]) for r in rows]


def test_founding_a_group_makes_the_founder_its_leader(stack: Any, world: World) -> None:
    dan = world.people["dan"]
    wait_for_account(stack, dan.account_id)
    watch, club = f"Acorn Close {world.tag} Watch", f"Acorn Gardeners {world.tag}"
    with portal_client(stack) as portal:
        assert portal.get("/groups/new").headers["location"] == "/sign-in?next=%2Fgroups%2Fnew"
        sign_in(portal, dan, next_url="/groups/new")
        page = portal.get("/groups/new")
        assert "Start a group" in page.text and 'value="community_group"' in page.text
        assert "ward_panel" not in page.text
        made = _found_in_portal(
            portal,
            group_type="neighbourhood_watch",
            name=watch,
            ward_name="Bloomsbury",
            ward_code="E05000138",
            visibility="public",
        )
        assert made.status_code == 303, made.text
        [(group_id, group_type)] = _groups_named(stack, watch)
        assert made.headers["location"] == f"/groups/{group_id}"
        assert group_type == "neighbourhood_watch"
        chaired = _found_in_portal(
            portal,
            group_type="community_group",
            name=club,
            description="We look after the verges.",
            ward_name="Bloomsbury",
            ward_code="E05000138",
            visibility="hidden",
        )
        assert chaired.status_code == 303
        [(club_id, _type)] = _groups_named(stack, club)
        shown = portal.get(f"/forces/{world.tenant}/groups/{group_id}")
        assert "You are a member of this group." in shown.text
    with psycopg.connect(stack.service_database_url("membership")) as conn:
        roles = conn.execute(
            "SELECT group_id, role FROM group_officers "
            "WHERE account_id = %s AND group_id = ANY(%s)",
            (dan.account_id, [group_id, club_id]),
        ).fetchall()
    assert sorted(roles) == sorted([(group_id, "coordinator"), (club_id, "chair")])


def test_founding_refuses_bad_input_and_forged_kinds(stack: Any, world: World) -> None:
    dan = world.people["dan"]
    name = f"Forged Panel {world.tag}"
    with portal_client(stack) as portal:
        sign_in(portal, dan)
        empty = _found_in_portal(portal)
        assert empty.status_code == 400 and "There is a problem" in empty.text
        for field in ("group_type", "name", "ward_name", "ward_code", "visibility"):
            assert f'href="#{field}"' in empty.text
        bad_code = _found_in_portal(
            portal,
            group_type="neighbourhood_watch",
            name=f"Bad code {world.tag}",
            ward_name="Bloomsbury",
            ward_code="not a code!",
            visibility="public",
        )
        assert bad_code.status_code == 422 and 'href="#ward_code"' in bad_code.text
        assert "Enter the ward&#39;s code" in bad_code.text
        assert 'value="Bad code' in bad_code.text  # what was typed is kept
        # A ward panel is police's to found: the page offers none, and membership refuses one.
        forged = _found_in_portal(
            portal,
            group_type="ward_panel",
            name=name,
            ward_name="Bloomsbury",
            ward_code="E05000138",
            visibility="public",
        )
        # Membership refuses it (422: a ward panel is given its first chair by police) before
        # it even asks the policy, which would say no to a member (403).
        assert forged.status_code in (403, 422) and "There is a problem" in forged.text
    with portal_client(stack) as portal:  # police found ward panels only, never a watch group
        sign_in(portal, world.people["police_founds"])
        by_police = _found_in_portal(
            portal,
            group_type="neighbourhood_watch",
            name=name,
            ward_name="Bloomsbury",
            ward_code="E05000138",
            visibility="public",
        )
        assert by_police.status_code == 403
        assert "Your account cannot start this kind of group" in by_police.text
    with membership_client(stack) as api:
        panel = {"group_type": "ward_panel", "name": name, "ward_code": "E05000138"}
        panel |= {"ward_name": "Bloomsbury", "first_chair": dan.account_id}
        by_member = api.post("/groups", json=panel, headers=_auth(world.tokens["carol"]))
        assert by_member.status_code == 403  # the policy: members never found ward panels
    assert _groups_named(stack, name) == [] and _groups_named(stack, f"Bad code {world.tag}") == []
