"""Polls on messages and recipients' ratings of them: what may be asked and answered, decided
without any I/O. A poll's options are known by their positions (0, 1, ...): a poll never
changes once sent, so a position always names the same option."""

from __future__ import annotations

from dataclasses import dataclass

from snp.messaging.v1 import events_pb2 as pb

MAX_QUESTION = 300
MAX_OPTION = 120
MIN_OPTIONS, MAX_OPTIONS = 2, 10
MAX_COMMENT = 1000


class PollRuleBroken(ValueError):
    """A poll, an answer or a rating that breaks a rule the caller can fix (422), with every
    problem listed."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class AlreadyAnswered(Exception):
    """The recipient answered this poll already (409): one answer each, never changed."""


@dataclass(frozen=True)
class PollDraft:
    """A poll as composed: its question, its options in order, single or multiple choice."""

    question: str
    options: tuple[str, ...]
    multiple: bool = False


def check_poll(poll: PollDraft) -> PollDraft:
    """The poll with blanks trimmed (empty option lines dropped), or PollRuleBroken."""
    question = poll.question.strip()
    options = tuple(o.strip() for o in poll.options if o.strip())
    problems = []
    if not question:
        problems.append("poll question must not be empty")
    if len(question) > MAX_QUESTION:
        problems.append(f"poll question is longer than {MAX_QUESTION} characters")
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        problems.append(f"a poll has {MIN_OPTIONS} to {MAX_OPTIONS} options")
    if any(len(o) > MAX_OPTION for o in options):
        problems.append(f"a poll option is longer than {MAX_OPTION} characters")
    if len({o.casefold() for o in options}) != len(options):
        problems.append("a poll option is listed twice")
    if problems:
        raise PollRuleBroken(problems)
    return PollDraft(question, options, poll.multiple)


def attached(message_id: str, poll: PollDraft) -> pb.PollAttached:
    return pb.PollAttached(
        message_id=message_id,
        poll=pb.Poll(question=poll.question, options=list(poll.options), multiple=poll.multiple),
    )


def answer(
    poll: PollDraft | None,
    answered_before: bool,
    message_id: str,
    account_id: str,
    choices: list[int],
) -> pb.PollAnswered:
    """A recipient's answer: AlreadyAnswered if they gave one, PollRuleBroken for a message
    without a poll, no choice, an unknown option, one chosen twice, or more than one on a
    single-choice poll."""
    if poll is None:
        raise PollRuleBroken(["the message has no poll"])
    if answered_before:
        raise AlreadyAnswered("you answered this poll already")
    problems = []
    if not choices:
        problems.append("choose at least one option")
    if any(not 0 <= c < len(poll.options) for c in choices):
        problems.append("unknown option: choose one of the poll's options")
    if len(set(choices)) != len(choices):
        problems.append("an option is chosen twice")
    if not poll.multiple and len(choices) > 1:
        problems.append("this poll takes one choice only")
    if problems:
        raise PollRuleBroken(problems)
    return pb.PollAnswered(message_id=message_id, account_id=account_id, choices=sorted(choices))


def rated(message_id: str, account_id: str, useful: bool, comment: str) -> pb.MessageRated:
    """A recipient's rating with its comment trimmed (PollRuleBroken if it is too long)."""
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise PollRuleBroken([f"comment is longer than {MAX_COMMENT} characters"])
    return pb.MessageRated(
        message_id=message_id, account_id=account_id, useful=useful, comment=comment
    )
