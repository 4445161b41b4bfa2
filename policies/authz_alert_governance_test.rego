package snp.authz_alert_governance_test

import data.snp.authz

# Governance of police alerts: tenant admins set the force's rule, a second police officer
# (never the sender) decides a held alert, and only its sender edits, withdraws or corrects it.

_staff(kind, id) := {"id": id, "kind": kind, "tenant": "met", "mfa": true, "group_roles": {}}

_member := {"id": "m1", "kind": "member", "tenant": "met", "mfa": false, "group_roles": {"g1": ["chair"]}}

_held(owner) := {"type": "held_alert", "id": "h1", "tenant": "met", "owner": owner, "sender_kind": "police"}

_decide(subject, action, resource) := decision if {
	decision := authz.decision with input as {"subject": subject, "action": action, "resource": resource}
}

_allows(subject, action, resource) if _decide(subject, action, resource).allow

_denies(subject, action, resource, reason) if {
	d := _decide(subject, action, resource)
	d.allow == false
	reason in d.reasons
}

test_a_second_police_officer_decides_a_held_alert if {
	_allows(_staff("police", "pc2"), "messaging.alert.decide", _held("pc1"))
	reasons := _decide(_staff("police", "pc2"), "messaging.alert.decide", _held("pc1")).reasons
	"grant:police_officer_decides_held_police_alert" in reasons
	admins := object.union(_held("pc1"), {"sender_kind": "tenant_admin"})
	_allows(_staff("police", "pc2"), "messaging.alert.decide", admins)
}

test_the_sender_never_decides_their_own_alert if {
	_denies(_staff("police", "pc1"), "messaging.alert.decide", _held("pc1"), "own_alert_not_allowed")
	unsigned := object.remove(_held("pc1"), ["owner"])
	_denies(_staff("police", "pc1"), "messaging.alert.decide", unsigned, "own_alert_not_allowed")
	_denies(_staff("police", "pc1"), "messaging.alert.decide", _held(""), "own_alert_not_allowed")
}

test_only_police_decide_and_only_police_alerts if {
	every kind in {"tenant_admin", "partner", "area_coordinator", "auditor", "operator"} {
		_denies(_staff(kind, "x9"), "messaging.alert.decide", _held("pc1"), "action_not_allowed_for_kind")
	}
	_denies(_member, "messaging.alert.decide", _held("pc1"), "action_not_allowed_for_kind")
	partners := object.union(_held("pc1"), {"sender_kind": "partner"})
	_denies(_staff("police", "pc2"), "messaging.alert.decide", partners, "sender_kind_not_allowed")
}

test_deciding_needs_mfa_and_the_same_force if {
	no_mfa := object.union(_staff("police", "pc2"), {"mfa": false})
	_denies(no_mfa, "messaging.alert.decide", _held("pc1"), "mfa_required")
	elsewhere := object.union(_held("pc1"), {"tenant": "ldn"})
	_denies(_staff("police", "pc2"), "messaging.alert.decide", elsewhere, "cross_tenant")
}

test_only_the_sender_amends_their_alert if {
	_allows(_staff("police", "pc1"), "messaging.alert.amend", _held("pc1"))
	sent := {"type": "message", "id": "x1", "tenant": "met", "owner": "a1", "sender_kind": "tenant_admin"}
	_allows(_staff("tenant_admin", "a1"), "messaging.alert.amend", sent)
	_denies(_staff("police", "pc2"), "messaging.alert.amend", _held("pc1"), "not_the_account_itself")
	_denies(_staff("tenant_admin", "a1"), "messaging.alert.amend", _held("pc1"), "not_the_account_itself")
}

test_amending_is_for_police_alerts_by_police_and_admins if {
	group_message := {"type": "message", "id": "x2", "tenant": "met", "owner": "m1", "sender_kind": "member"}
	_denies(_member, "messaging.alert.amend", group_message, "action_not_allowed_for_kind")
	partner := object.union(_staff("partner", "p1"), {"agency": "a1"})
	partners := object.union(group_message, {"owner": "p1", "sender_kind": "partner"})
	_denies(partner, "messaging.alert.amend", partners, "action_not_allowed_for_kind")
	odd := object.union(_held("pc1"), {"sender_kind": "member"})
	_denies(_staff("police", "pc1"), "messaging.alert.amend", odd, "sender_kind_not_allowed")
	elsewhere := object.union(_held("pc1"), {"tenant": "ldn"})
	_denies(_staff("police", "pc1"), "messaging.alert.amend", elsewhere, "cross_tenant")
}

test_only_tenant_admins_set_the_forces_approval_rule if {
	rules := {"type": "alert_rules", "id": "met", "tenant": "met"}
	_allows(_staff("tenant_admin", "a1"), "messaging.alert_rules.manage", rules)
	every kind in {"police", "partner", "area_coordinator", "auditor", "operator"} {
		_denies(_staff(kind, "x9"), "messaging.alert_rules.manage", rules, "action_not_allowed_for_kind")
	}
	_denies(_member, "messaging.alert_rules.manage", rules, "action_not_allowed_for_kind")
	elsewhere := object.union(rules, {"tenant": "ldn"})
	_denies(_staff("tenant_admin", "a1"), "messaging.alert_rules.manage", elsewhere, "cross_tenant")
}
