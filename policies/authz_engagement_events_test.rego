package snp.authz_engagement_events_test

import data.snp.authz

# --- fixtures ---------------------------------------------------------------

_member(roles) := {"id": "m1", "kind": "member", "tenant": "met", "mfa": false, "group_roles": roles}

_officer := _member({"p1": ["chair", "member"]})

_resident := _member({})

_police := {"id": "s1", "kind": "police", "tenant": "met", "mfa": true, "group_roles": {}}

_admin := {"id": "s3", "kind": "tenant_admin", "tenant": "met", "mfa": true, "group_roles": {}}

_partner(agency) := {
	"id": "s2", "kind": "partner", "tenant": "met", "mfa": true,
	"group_roles": {}, "agency": agency,
}

# A new event: its kind, and for a panel meeting the panel it belongs to.
_new(kind, group_id) := {"type": "event", "id": "e1", "tenant": "met", "group_id": group_id, "event_kind": kind}

_event(kind, agency, group_id) := object.union(_new(kind, group_id), {"agency": agency})

_surgery(agency) := _event("safety_surgery", agency, "")

_meeting := _event("panel_meeting", "ward_panel", "p1")

_decide(subject, action, resource) := decision if {
	decision := authz.decision with input as {"subject": subject, "action": action, "resource": resource}
}

_allows(subject, action, resource) if _decide(subject, action, resource).allow

_denies(subject, action, resource, reason) if {
	d := _decide(subject, action, resource)
	d.allow == false
	reason in d.reasons
}

# --- scheduling: police and partners; panel meetings by the panel's officers ----

test_police_and_partners_schedule_public_engagement if {
	every kind in ["safety_surgery", "walkabout", "womens_safety_walk", "engagement_day"] {
		_allows(_police, "engagement.event.create", _new(kind, ""))
		_allows(_partner("council-asb"), "engagement.event.create", _new(kind, ""))
	}
}

test_panel_meetings_are_the_panels_own if {
	_allows(_officer, "engagement.event.create", _new("panel_meeting", "p1"))
	_denies(_police, "engagement.event.create", _new("panel_meeting", "p1"), "event_kind_not_allowed")
	_denies(_partner("council-asb"), "engagement.event.create", _new("panel_meeting", "p1"), "event_kind_not_allowed")
	_denies(_member({"p1": ["member"]}), "engagement.event.create", _new("panel_meeting", "p1"), "not_an_officer")
	_denies(_officer, "engagement.event.create", _new("panel_meeting", "p2"), "not_an_officer")
}

test_residents_and_officers_schedule_nothing_else if {
	_denies(_officer, "engagement.event.create", _new("safety_surgery", "p1"), "event_kind_not_allowed")
	_denies(_resident, "engagement.event.create", _new("walkabout", ""), "not_an_officer")
	_denies(_admin, "engagement.event.create", _new("walkabout", ""), "action_not_allowed_for_kind")
}

# --- moving, cancelling, the outcome: the organiser only ------------------------

test_the_organising_agency_manages_its_event if {
	_allows(_police, "engagement.event.manage", _surgery("police"))
	_allows(_partner("council-asb"), "engagement.event.manage", _surgery("council-asb"))
	_denies(_partner("housing"), "engagement.event.manage", _surgery("council-asb"), "not_the_recording_agency")
	_denies(_police, "engagement.event.manage", _surgery("council-asb"), "not_the_recording_agency")
	_denies(_partner("police"), "engagement.event.manage", _surgery("police"), "not_the_recording_agency")
}

test_panel_officers_manage_panel_meetings_only if {
	_allows(_officer, "engagement.event.manage", _meeting)
	_denies(_officer, "engagement.event.manage", _event("safety_surgery", "police", "p1"), "event_kind_not_allowed")
	_denies(_police, "engagement.event.manage", _meeting, "not_the_recording_agency")
	_denies(_member({"p1": ["member"]}), "engagement.event.manage", _meeting, "not_an_officer")
}

# --- registrations: residents register; police and the organiser see the list ---

test_residents_register_interest_staff_do_not if {
	_allows(_resident, "engagement.event.register", _surgery("police"))
	_denies(_police, "engagement.event.register", _surgery("police"), "action_not_allowed_for_kind")
	_denies(_partner("council-asb"), "engagement.event.register", _surgery("council-asb"), "action_not_allowed_for_kind")
}

test_registrations_are_read_by_police_and_the_organiser if {
	_allows(_police, "engagement.registrations.read", _surgery("council-asb"))
	_allows(_partner("council-asb"), "engagement.registrations.read", _surgery("council-asb"))
	_denies(_partner("housing"), "engagement.registrations.read", _surgery("council-asb"), "not_the_recording_agency")
	_allows(_officer, "engagement.registrations.read", _meeting)
	_denies(_officer, "engagement.registrations.read", _event("walkabout", "police", "p1"), "event_kind_not_allowed")
	_denies(_resident, "engagement.registrations.read", _surgery("police"), "not_an_officer")
	_denies(_admin, "engagement.registrations.read", _surgery("police"), "action_not_allowed_for_kind")
}

test_every_account_of_the_force_reads_events if {
	_allows(_resident, "engagement.event.read", _surgery("police"))
	_allows(_admin, "engagement.event.read", _surgery("police"))
	_allows(_partner("housing"), "engagement.event.read", _surgery("police"))
	auditor := object.union(_admin, {"kind": "auditor"})
	_denies(auditor, "engagement.event.read", _surgery("police"), "action_not_allowed_for_kind")
}

# --- the invariants hold here too ---------------------------------------------

test_staff_need_mfa_for_events if {
	no_mfa := object.union(_partner("council-asb"), {"mfa": false})
	_denies(no_mfa, "engagement.event.create", _new("walkabout", ""), "mfa_required")
	_denies(object.union(_police, {"mfa": false}), "engagement.event.manage", _surgery("police"), "mfa_required")
}

test_no_event_decision_crosses_tenants if {
	theirs := object.union(_surgery("police"), {"tenant": "city-of-london"})
	_denies(_police, "engagement.event.manage", theirs, "cross_tenant")
	_denies(_resident, "engagement.event.register", theirs, "cross_tenant")
	_denies(_resident, "engagement.event.read", theirs, "cross_tenant")
	_denies(_police, "engagement.registrations.read", theirs, "cross_tenant")
}
