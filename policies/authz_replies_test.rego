package snp.authz_replies_test

import data.snp.authz

# Replies: a message's recipients reply to it (anonymously only where a police alert allows
# it); its reply team (the group's officers for a group's message, the force's police for a
# police alert) reads, answers and handles the threads. To anyone else a thread is unknown.

_member(id, roles) := {"id": id, "kind": "member", "tenant": "met", "mfa": false, "group_roles": roles}

_staff(kind, id) := {"id": id, "kind": kind, "tenant": "met", "mfa": true, "group_roles": {}}

_group_message(extra) := object.union(
	{
		"type": "message", "id": "msg1", "tenant": "met", "owner": "chair1",
		"group_id": "g1", "sender_kind": "member", "recipient": true,
		"anonymous": false, "anonymous_replies": false,
	},
	extra,
)

_alert(extra) := object.union(
	{
		"type": "message", "id": "msg2", "tenant": "met", "owner": "pc1", "group_id": "",
		"sender_kind": "police", "recipient": true, "anonymous": false, "anonymous_replies": true,
	},
	extra,
)

_thread(sender_kind, group_id) := {
	"type": "reply_thread", "id": "t1", "tenant": "met", "owner": "s1",
	"group_id": group_id, "sender_kind": sender_kind,
}

_team_actions := {"messaging.reply_thread.read", "messaging.reply_thread.answer", "messaging.reply_thread.handle"}

_decide(subject, action, resource) := decision if {
	decision := authz.decision with input as {"subject": subject, "action": action, "resource": resource}
}

_allows(subject, action, resource) if _decide(subject, action, resource).allow

_denies(subject, action, resource, reason) if {
	d := _decide(subject, action, resource)
	d.allow == false
	reason in d.reasons
}

test_a_recipient_replies_by_name if {
	_allows(_member("m1", {}), "messaging.reply.create", _group_message({}))
	_allows(_staff("police", "pc9"), "messaging.reply.create", _alert({}))
	d := _decide(_member("m1", {}), "messaging.reply.create", _group_message({}))
	"grant:recipient_replies_to_message" in d.reasons
}

test_anyone_not_sent_it_is_refused_as_if_it_were_unknown if {
	d := _decide(_member("m2", {"g1": ["chair"]}), "messaging.reply.create", _group_message({"recipient": false}))
	d.allow == false
	d.conceal
	"recipient_not_allowed" in d.reasons
}

test_an_anonymous_reply_only_where_the_alert_takes_them if {
	# asked without the account's id, as the service asks it
	anonymous := object.union(_member("", {}), {"id": ""})
	_allows(anonymous, "messaging.reply.create", _alert({"anonymous": true}))
	not_taken := _alert({"anonymous": true, "anonymous_replies": false})
	_denies(anonymous, "messaging.reply.create", not_taken, "anonymous_replies_not_allowed")
	_denies(anonymous, "messaging.reply.create", _group_message({"anonymous": true}), "anonymous_replies_not_allowed")
	_denies(_staff("police", "pc9"), "messaging.reply.create", _alert({"anonymous": true}), "anonymous_not_allowed")
}

test_replies_stay_in_the_force if {
	_denies(_member("m1", {}), "messaging.reply.create", _group_message({"tenant": "ldn"}), "cross_tenant")
}

test_the_group_officers_are_a_group_messages_reply_team if {
	every action in _team_actions {
		_allows(_member("sec1", {"g1": ["secretary", "member"]}), action, _thread("member", "g1"))
		_denies(_member("m1", {"g1": ["member"]}), action, _thread("member", "g1"), "not_an_officer")
		_decide(_member("m1", {"g1": ["member"]}), action, _thread("member", "g1")).conceal
		_denies(_member("chair2", {"g2": ["chair"]}), action, _thread("member", "g1"), "not_an_officer")
		_denies(_staff("police", "pc9"), action, _thread("member", "g1"), "sender_kind_not_allowed")
	}
}

test_the_forces_police_are_a_police_alerts_reply_team if {
	every action in _team_actions {
		_allows(_staff("police", "pc9"), action, _thread("police", ""))
		_allows(_staff("tenant_admin", "a1"), action, _thread("tenant_admin", "g1"))

		# a police alert to a panel: the panel's officers are not its reply team
		_denies(_member("chair1", {"g1": ["chair"]}), action, _thread("police", "g1"), "sender_kind_not_allowed")
		_denies(_staff("partner", "p1"), action, _thread("police", ""), "not_the_account_itself")
		_denies(_staff("police", "pc9"), action, object.union(_thread("police", ""), {"tenant": "ldn"}), "cross_tenant")
	}
}

test_a_partner_answers_the_replies_to_their_own_alert if {
	own := object.union(_thread("partner", ""), {"owner": "p1"})
	_allows(_staff("partner", "p1"), "messaging.reply_thread.read", own)
	_denies(_staff("partner", "p2"), "messaging.reply_thread.read", own, "not_the_account_itself")
}

test_police_without_mfa_are_told_so_not_concealed if {
	no_mfa := object.union(_staff("police", "pc9"), {"mfa": false})
	d := _decide(no_mfa, "messaging.reply_thread.read", _thread("police", ""))
	d.allow == false
	"mfa_required" in d.reasons
	d.conceal == false
}
