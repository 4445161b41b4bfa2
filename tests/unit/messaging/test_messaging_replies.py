"""Replies' rules: text limits, what an anonymous reply may carry, whom an answer goes to, and
how a reply team is named."""

from __future__ import annotations

import pytest

from snp_messaging.domain import replies as rules
from snp_messaging.domain.replies import ReplyRuleBroken, ShareContact, Thread

NAMED = Thread("t1", "m1", "acct-1", anonymous=False, status="open")
ANONYMOUS = Thread("t2", "m1", "", anonymous=True, status="open")


def test_a_named_reply_is_trimmed_and_says_what_it_shares() -> None:
    posted = rules.reply("t1", "m1", "r1", "acct-1", "  Seen a van  ", ShareContact.EMAIL)
    assert (posted.account_id, posted.text, posted.share_contact) == (
        "acct-1",
        "Seen a van",
        "email",
    )
    assert not posted.anonymous and posted.reference == ""


def test_empty_or_too_long_text_is_refused_with_its_reason() -> None:
    with pytest.raises(ReplyRuleBroken) as empty:
        rules.reply("t1", "m1", "r1", "acct-1", "   ", ShareContact.NONE)
    assert empty.value.problems == ["text must not be empty"]
    with pytest.raises(ReplyRuleBroken) as long:
        rules.reply("t1", "m1", "r1", "acct-1", "x" * (rules.MAX_TEXT + 1), ShareContact.NONE)
    assert long.value.problems == [f"text is longer than {rules.MAX_TEXT} characters"]
    assert rules.reply("t1", "m1", "r1", "a", "x" * rules.MAX_TEXT, ShareContact.NONE).text


def test_an_anonymous_reply_names_no_account_and_shares_nothing() -> None:
    posted = rules.reply(
        "t2", "m1", "r2", "", "I saw it", ShareContact.NONE, anonymous=True, reference="R-AB"
    )
    assert posted.account_id == "" and posted.anonymous and posted.reference == "R-AB"
    with pytest.raises(ReplyRuleBroken) as sharing:
        rules.reply("t2", "m1", "r2", "", "hi", ShareContact.PHONE, anonymous=True, reference="R")
    assert sharing.value.problems == ["an anonymous reply cannot share your email or phone"]
    with pytest.raises(ValueError, match="no account"):  # a programming error, never a 422
        rules.reply(
            "t2", "m1", "r2", "acct-1", "hi", ShareContact.NONE, anonymous=True, reference="R"
        )


def test_a_reference_is_readable_and_from_the_random_bytes() -> None:
    ref = rules.reference_of(bytes(range(8)))
    assert ref == "R-23456789"
    assert len(rules.reference_of(b"\xff" * 8)) == 2 + rules.REFERENCE_LENGTH
    assert set(rules.reference_of(bytes(range(200, 208)))[2:]) <= set(rules.REFERENCE_ALPHABET)
    with pytest.raises(ValueError, match="random bytes"):
        rules.reference_of(b"short")


def test_the_team_answers_a_named_thread_only() -> None:
    answered = rules.answer(NAMED, "r3", "chair-1", " Thanks, passed on ", "msg-9")
    assert (answered.thread_id, answered.answered_by, answered.text) == (
        "t1",
        "chair-1",
        "Thanks, passed on",
    )
    assert answered.answer_message_id == "msg-9"
    with pytest.raises(ReplyRuleBroken) as nobody:
        rules.answer(ANONYMOUS, "r3", "pc1", "Thanks", "msg-9")
    assert nobody.value.problems == [
        "an anonymous reply cannot be answered: nobody knows who sent it"
    ]
    with pytest.raises(ReplyRuleBroken):
        rules.answer(NAMED, "r3", "chair-1", "", "msg-9")


def test_marking_handled_twice_records_it_once() -> None:
    [handled] = rules.handled(NAMED, "chair-1")
    assert (handled.thread_id, handled.handled_by) == ("t1", "chair-1")
    done = Thread("t1", "m1", "acct-1", anonymous=False, status="handled")
    assert rules.handled(done, "chair-2") == []


def test_only_police_alerts_take_anonymous_replies() -> None:
    assert rules.check_anonymous_replies(True, "police") == []
    assert rules.check_anonymous_replies(True, "tenant_admin") == []
    assert rules.check_anonymous_replies(True, "member") == [
        "only police alerts may take anonymous replies"
    ]
    assert rules.check_anonymous_replies(False, "member") == []


def test_the_reply_team_is_named_for_the_member() -> None:
    assert rules.team_name("member", "Elm Street Watch", "Demo Police") == (
        "the officers of Elm Street Watch"
    )
    assert (
        rules.team_name("police", "Elm Street Watch", "Demo Police")
        == "the Demo Police police team"
    )
    assert rules.team_name("tenant_admin", "", "Demo Police") == "the Demo Police police team"


def test_sharing_says_which_contacts() -> None:
    assert [(s.email, s.phone) for s in ShareContact] == [
        (False, False),
        (True, False),
        (False, True),
        (True, True),
    ]
