package snp.authz_digests_test

import data.snp.authz

# Digests: the force's tenant admins set when members' digests go; a member's own digest and
# quiet hours are their preferences (messaging.preferences.manage, the account itself).

_staff(kind, id) := {"id": id, "kind": kind, "tenant": "met", "mfa": true, "group_roles": {}}

_member := {"id": "m1", "kind": "member", "tenant": "met", "mfa": false, "group_roles": {"g1": ["chair"]}}

_schedule := {"type": "digest_schedule", "id": "met", "tenant": "met"}

_decide(subject, action, resource) := decision if {
	decision := authz.decision with input as {"subject": subject, "action": action, "resource": resource}
}

_denies(subject, action, resource, reason) if {
	d := _decide(subject, action, resource)
	d.allow == false
	reason in d.reasons
}

test_a_tenant_admin_sets_the_forces_digest_schedule if {
	d := _decide(_staff("tenant_admin", "a1"), "messaging.digest_schedule.manage", _schedule)
	d.allow
	"grant:tenant_admin_sets_force_digest_schedule" in d.reasons
}

test_nobody_else_sets_the_digest_schedule if {
	every kind in {"police", "partner", "area_coordinator", "auditor", "operator"} {
		_denies(_staff(kind, "x9"), "messaging.digest_schedule.manage", _schedule, "action_not_allowed_for_kind")
	}
	_denies(_member, "messaging.digest_schedule.manage", _schedule, "action_not_allowed_for_kind")
}

test_a_tenant_admin_never_sets_another_forces_schedule if {
	elsewhere := object.union(_schedule, {"tenant": "ldn"})
	_denies(_staff("tenant_admin", "a1"), "messaging.digest_schedule.manage", elsewhere, "cross_tenant")
}

test_the_schedule_needs_the_second_factor if {
	no_mfa := object.union(_staff("tenant_admin", "a1"), {"mfa": false})
	not _decide(no_mfa, "messaging.digest_schedule.manage", _schedule).allow
}
