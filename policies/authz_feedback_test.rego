package snp.authz_feedback_test

import data.snp.authz

# Ratings and polls: a message's recipients rate it and answer its poll; its sender, its
# group's officers and (a police alert) the force's police read the results. To anyone else a
# message they were not sent is unknown.

_member(id, roles) := {"id": id, "kind": "member", "tenant": "met", "mfa": false, "group_roles": roles}

_staff(kind, id) := {"id": id, "kind": kind, "tenant": "met", "mfa": true, "group_roles": {}}

_message(recipient) := {
	"type": "message", "id": "msg1", "tenant": "met", "owner": "chair1",
	"group_id": "g1", "sender_kind": "member", "recipient": recipient,
}

_alert := {"type": "message", "id": "msg2", "tenant": "met", "owner": "pc1", "group_id": "", "sender_kind": "police"}

_decide(subject, action, resource) := decision if {
	decision := authz.decision with input as {"subject": subject, "action": action, "resource": resource}
}

_allows(subject, action, resource) if _decide(subject, action, resource).allow

_denies(subject, action, resource, reason) if {
	d := _decide(subject, action, resource)
	d.allow == false
	reason in d.reasons
}

test_a_recipient_answers_and_rates if {
	every action in {"messaging.poll.answer", "messaging.message.rate"} {
		_allows(_member("m1", {}), action, _message(true))
		_allows(_staff("police", "pc9"), action, object.union(_alert, {"recipient": true}))
	}
	reasons := _decide(_member("m1", {}), "messaging.poll.answer", _message(true)).reasons
	"grant:recipient_answers_message_poll" in reasons
}

test_anyone_not_sent_it_is_refused_as_if_it_were_unknown if {
	every action in {"messaging.poll.answer", "messaging.message.rate"} {
		_denies(_member("m2", {"g1": ["chair"]}), action, _message(false), "recipient_not_allowed")
		_decide(_member("m2", {}), action, _message(false)).conceal
		_decide(_member("m2", {}), action, object.remove(_message(true), ["recipient"])).conceal
		_decide(_staff("police", "pc9"), action, _alert).conceal
	}
}

test_the_sender_not_sent_it_is_refused_but_knows_it if {
	d := _decide(_member("chair1", {"g1": ["chair"]}), "messaging.poll.answer", _message(false))
	d.allow == false
	d.conceal == false
}

test_answering_stays_in_the_force_and_staff_need_mfa if {
	elsewhere := object.union(_message(true), {"tenant": "ldn"})
	_denies(_member("m1", {}), "messaging.message.rate", elsewhere, "cross_tenant")
	no_mfa := object.union(_staff("police", "pc9"), {"mfa": false})
	_denies(no_mfa, "messaging.message.rate", object.union(_alert, {"recipient": true}), "mfa_required")
}

test_the_sender_and_the_group_officers_read_the_results if {
	_allows(_member("chair1", {}), "messaging.message.read_feedback", _message(false))
	_allows(_member("sec1", {"g1": ["secretary", "member"]}), "messaging.message.read_feedback", _message(false))
	_denies(_member("m1", {"g1": ["member"]}), "messaging.message.read_feedback", _message(true), "not_the_account_itself")
	_denies(_staff("police", "pc9"), "messaging.message.read_feedback", _message(false), "sender_kind_not_allowed")
}

test_the_forces_police_read_a_police_alerts_results if {
	_allows(_staff("police", "pc9"), "messaging.message.read_feedback", _alert)
	_allows(_staff("tenant_admin", "a1"), "messaging.message.read_feedback", _alert)
	_denies(_staff("partner", "p1"), "messaging.message.read_feedback", _alert, "not_the_account_itself")
	_denies(_member("m1", {}), "messaging.message.read_feedback", _alert, "not_the_account_itself")
}
