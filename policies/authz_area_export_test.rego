package snp.authz_area_export_test

import data.snp.authz

# The Neighbourhood Watch association's export: a tenant admin sets the wards an area
# coordinator covers, the coordinator exports their own area, and a member chooses whether
# their contact details may go into it.

_staff(kind) := {"id": "s1", "kind": kind, "tenant": "met", "mfa": true, "group_roles": {}}

_member := {"id": "m1", "kind": "member", "tenant": "met", "mfa": false, "group_roles": {"g1": ["coordinator"]}}

_area(owner, target_kind) := {"type": "area", "id": owner, "tenant": "met", "owner": owner, "target_kind": target_kind}

_decide(subject, action, resource) := decision if {
	decision := authz.decision with input as {"subject": subject, "action": action, "resource": resource}
}

_allows(subject, action, resource) if _decide(subject, action, resource).allow

_denies(subject, action, resource, reason) if {
	d := _decide(subject, action, resource)
	d.allow == false
	reason in d.reasons
}

test_a_tenant_admin_sets_and_reads_an_area_coordinators_wards if {
	admin := _staff("tenant_admin")
	every action in {"membership.area.set", "membership.area.read"} {
		_allows(admin, action, _area("c1", "area_coordinator"))
		_denies(admin, action, _area("c1", "police"), "target_kind_not_allowed")
		_denies(admin, action, object.union(_area("c1", "area_coordinator"), {"tenant": "ldn"}), "cross_tenant")
		_denies(object.union(admin, {"mfa": false}), action, _area("c1", "area_coordinator"), "mfa_required")
	}
}

test_no_one_else_sets_an_area if {
	every kind in {"police", "area_coordinator", "auditor", "operator"} {
		_denies(_staff(kind), "membership.area.set", _area("s1", "area_coordinator"), "action_not_allowed_for_kind")
	}
	_denies(_staff("partner"), "membership.area.set", _area("s1", "area_coordinator"), "partner_never_membership")
	_denies(_member, "membership.area.set", _area("m1", "area_coordinator"), "action_not_allowed_for_kind")
}

test_an_area_coordinator_reads_only_their_own_area if {
	_allows(_staff("area_coordinator"), "membership.area.read", _area("s1", "area_coordinator"))
	_denies(_staff("area_coordinator"), "membership.area.read", _area("s2", "area_coordinator"), "not_the_account_itself")
}

test_an_area_coordinator_exports_their_own_area_only if {
	coordinator := _staff("area_coordinator")
	export := "membership.area_export.read"
	own := _area("s1", "area_coordinator")
	_allows(coordinator, export, own)
	"grant:area_coordinator_exports_own_areas_watch_groups" in _decide(coordinator, export, own).reasons
	_denies(coordinator, export, _area("s2", "area_coordinator"), "not_the_account_itself")
	_denies(coordinator, export, object.union(own, {"tenant": "ldn"}), "cross_tenant")
	_denies(object.union(coordinator, {"mfa": false}), export, own, "mfa_required")
}

test_every_other_kind_is_refused_the_export if {
	every kind in {"police", "tenant_admin", "auditor", "operator"} {
		_denies(_staff(kind), "membership.area_export.read", _area("s1", "area_coordinator"), "action_not_allowed_for_kind")
	}
	_denies(_staff("partner"), "membership.area_export.read", _area("s1", "area_coordinator"), "partner_never_membership")
	_denies(_member, "membership.area_export.read", _area("m1", "area_coordinator"), "action_not_allowed_for_kind")
}

test_a_member_alone_chooses_to_share_with_the_association if {
	own := {"type": "account", "id": "m1", "tenant": "met", "owner": "m1"}
	_allows(_member, "identity.association_sharing.manage", own)
	_denies(_member, "identity.association_sharing.manage", object.union(own, {"owner": "m2"}), "not_the_account_itself")
	_denies(_member, "identity.association_sharing.manage", object.union(own, {"tenant": "ldn"}), "cross_tenant")
	staffs := object.union(own, {"owner": "s1"})
	every kind in {"police", "tenant_admin", "area_coordinator"} {
		_denies(_staff(kind), "identity.association_sharing.manage", staffs, "action_not_allowed_for_kind")
	}
}
