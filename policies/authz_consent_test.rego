package snp.authz_consent_test

import data.snp.authz

# Consent per information provider: partners alert wards and the force for their own agency,
# tenant admins set the force's defaults, and a member's consent history is their own.

_partner := {"id": "p1", "kind": "partner", "tenant": "met", "mfa": true, "agency": "a1", "group_roles": {}}

_staff(kind) := {"id": "s1", "kind": kind, "tenant": "met", "mfa": true, "group_roles": {}}

_member := {"id": "m1", "kind": "member", "tenant": "met", "mfa": false, "group_roles": {"g1": ["chair"]}}

_ward(agency) := {"type": "ward", "id": "W01", "tenant": "met", "agency": agency}

_decide(subject, action, resource) := decision if {
	decision := authz.decision with input as {"subject": subject, "action": action, "resource": resource}
}

_allows(subject, action, resource) if _decide(subject, action, resource).allow

_denies(subject, action, resource, reason) if {
	d := _decide(subject, action, resource)
	d.allow == false
	reason in d.reasons
}

test_a_partner_alerts_a_ward_or_the_force_for_its_own_agency if {
	_allows(_partner, "messaging.message.send", _ward("a1"))
	_allows(_partner, "messaging.message.send", {"type": "tenant", "id": "met", "tenant": "met", "agency": "a1"})
	"grant:partner_alerts_ward_or_force_for_own_agency" in _decide(_partner, "messaging.message.send", _ward("a1")).reasons
}

test_a_partner_never_alerts_for_another_agency_or_as_the_police if {
	_denies(_partner, "messaging.message.send", _ward("a2"), "not_the_recording_agency")
	_denies(_partner, "messaging.message.send", _ward("police"), "not_the_recording_agency")
	_denies(_partner, "messaging.message.send", object.remove(_ward("a1"), ["agency"]), "not_the_recording_agency")
	as_police := object.union(_partner, {"agency": "police"})
	_denies(as_police, "messaging.message.send", _ward("police"), "not_the_recording_agency")
}

test_a_partner_never_messages_a_group if {
	group := {"type": "group", "id": "g1", "tenant": "met", "group_id": "g1", "group_type": "ward_panel", "agency": "a1"}
	_denies(_partner, "messaging.message.send", group, "type_not_allowed")
}

test_a_partner_alerts_only_with_mfa_and_in_its_own_force if {
	_denies(object.union(_partner, {"mfa": false}), "messaging.message.send", _ward("a1"), "mfa_required")
	_denies(_partner, "messaging.message.send", object.union(_ward("a1"), {"tenant": "ldn"}), "cross_tenant")
}

test_police_and_admin_alerts_are_unchanged if {
	every kind in {"police", "tenant_admin"} {
		_allows(_staff(kind), "messaging.message.send", {"type": "ward", "id": "W01", "tenant": "met"})
	}
	_denies(_staff("area_coordinator"), "messaging.message.send", _ward("a1"), "action_not_allowed_for_kind")
}

test_a_partner_reads_the_status_of_its_own_alert_only if {
	own := {"type": "message", "id": "x1", "tenant": "met", "group_id": "", "owner": "p1", "sender_kind": "partner"}
	_allows(_partner, "messaging.message.read_status", own)
	_denies(_partner, "messaging.message.read_status", object.union(own, {"owner": "p2"}), "not_the_account_itself")
}

test_only_tenant_admins_set_the_forces_provider_defaults if {
	defaults := {"type": "provider_defaults", "id": "met", "tenant": "met"}
	_allows(_staff("tenant_admin"), "messaging.provider_defaults.manage", defaults)
	every kind in {"police", "partner", "area_coordinator", "auditor", "operator"} {
		_denies(_staff(kind), "messaging.provider_defaults.manage", defaults, "action_not_allowed_for_kind")
	}
	_denies(_member, "messaging.provider_defaults.manage", defaults, "action_not_allowed_for_kind")
	admin := _staff("tenant_admin")
	elsewhere := object.union(defaults, {"tenant": "ldn"})
	_denies(admin, "messaging.provider_defaults.manage", elsewhere, "cross_tenant")
	_denies(object.union(admin, {"mfa": false}), "messaging.provider_defaults.manage", defaults, "mfa_required")
}

test_a_consent_history_is_the_members_own if {
	own := {"type": "consent_history", "id": "m1", "tenant": "met", "owner": "m1"}
	_allows(_member, "messaging.consent_history.read", own)
	_denies(_member, "messaging.consent_history.read", object.union(own, {"owner": "m2"}), "not_the_account_itself")
	_denies(_staff("police"), "messaging.consent_history.read", own, "not_the_account_itself")
	_denies(_member, "messaging.consent_history.read", object.union(own, {"tenant": "ldn"}), "cross_tenant")
}
