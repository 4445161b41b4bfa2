package snp.authz_engagement_test

import data.snp.authz

# --- fixtures ---------------------------------------------------------------

_member(roles) := {"id": "m1", "kind": "member", "tenant": "met", "mfa": false, "group_roles": roles}

_officer := _member({"p1": ["chair", "member"]})

_plain_member := _member({"p1": ["member"]})

_outsider := _member({})

_police := {"id": "s1", "kind": "police", "tenant": "met", "mfa": true, "group_roles": {}}

_partner(agency) := {
	"id": "s2", "kind": "partner", "tenant": "met", "mfa": true,
	"group_roles": {}, "agency": agency,
}

_panel := {"type": "group", "id": "p1", "tenant": "met", "group_id": "p1", "group_type": "ward_panel"}

_action(agency) := {
	"type": "action", "id": "a1", "tenant": "met", "group_id": "p1",
	"group_type": "ward_panel", "agency": agency,
}

_decide(subject, action, resource) := decision if {
	decision := authz.decision with input as {"subject": subject, "action": action, "resource": resource}
}

_allows(subject, action, resource) if _decide(subject, action, resource).allow

_denies(subject, action, resource, reason) if {
	d := _decide(subject, action, resource)
	d.allow == false
	reason in d.reasons
}

# --- priorities and publishing: the panel's officers ---------------------------

test_panel_officer_manages_and_publishes if {
	_allows(_officer, "engagement.priority.manage", _panel)
	_allows(_officer, "engagement.period.publish", _panel)
}

test_plain_member_cannot_set_or_publish if {
	_denies(_plain_member, "engagement.priority.manage", _panel, "not_an_officer")
	_denies(_plain_member, "engagement.period.publish", _panel, "not_an_officer")
}

test_staff_never_set_priorities if {
	_denies(_police, "engagement.priority.manage", _panel, "action_not_allowed_for_kind")
	_denies(_partner("council-asb"), "engagement.period.publish", _panel, "action_not_allowed_for_kind")
}

test_staff_holding_a_role_gains_nothing if {
	police_chair := object.union(_police, {"group_roles": {"p1": ["chair"]}})
	not _allows(police_chair, "engagement.priority.manage", _panel)
}

test_plan_read_by_panel_police_and_partners_only if {
	_allows(_plain_member, "engagement.plan.read", _panel)
	_allows(_police, "engagement.plan.read", _panel)
	_allows(_partner("council-asb"), "engagement.plan.read", _panel)
	_denies(_outsider, "engagement.plan.read", _panel, "not_a_group_member")
}

# --- actions: police and partners record; only the recording agency edits ------

test_police_and_partners_record_actions if {
	_allows(_police, "engagement.action.record", _panel)
	_allows(_partner("council-asb"), "engagement.action.record", _panel)
	_denies(_officer, "engagement.action.record", _panel, "action_not_allowed_for_kind")
}

test_police_edit_the_forces_actions_only if {
	_allows(_police, "engagement.action.update", _action("police"))
	_denies(_police, "engagement.action.update", _action("council-asb"), "not_the_recording_agency")
}

test_partner_edits_its_own_agencys_actions_only if {
	_allows(_partner("council-asb"), "engagement.action.update", _action("council-asb"))
	_denies(_partner("housing"), "engagement.action.update", _action("council-asb"), "not_the_recording_agency")
	_denies(_partner("police"), "engagement.action.update", _action("police"), "not_the_recording_agency")
}

test_partner_without_an_agency_edits_nothing if {
	no_agency := object.remove(_partner(""), ["agency"])
	_denies(no_agency, "engagement.action.update", _action(""), "not_the_recording_agency")
	_denies(_partner(""), "engagement.action.update", _action(""), "not_the_recording_agency")
}

test_panel_officers_review_actions if {
	_allows(_officer, "engagement.action.review", _action("police"))
	_denies(_plain_member, "engagement.action.review", _action("police"), "not_an_officer")
	_denies(_police, "engagement.action.review", _action("police"), "action_not_allowed_for_kind")
}

# --- the members' vote: members propose and vote, officers count and decide -------

test_panel_members_propose_and_vote if {
	_allows(_plain_member, "engagement.ballot.take_part", _panel)
	_allows(_officer, "engagement.ballot.take_part", _panel)
	_denies(_outsider, "engagement.ballot.take_part", _panel, "not_a_group_member")
}

test_only_officers_see_counts_close_and_adopt if {
	_allows(_officer, "engagement.ballot.results", _panel)
	_allows(_officer, "engagement.ballot.manage", _panel)
	_denies(_plain_member, "engagement.ballot.results", _panel, "not_an_officer")
	_denies(_plain_member, "engagement.ballot.manage", _panel, "not_an_officer")
}

test_staff_never_vote_nor_count if {
	_denies(_police, "engagement.ballot.take_part", _panel, "action_not_allowed_for_kind")
	_denies(_partner("council-asb"), "engagement.ballot.results", _panel, "action_not_allowed_for_kind")
}

# --- the invariants hold here too ---------------------------------------------

test_partner_needs_mfa if {
	_denies(object.union(_partner("council-asb"), {"mfa": false}), "engagement.action.record", _panel, "mfa_required")
}

test_no_engagement_decision_crosses_tenants if {
	other := object.union(_panel, {"tenant": "city-of-london"})
	_denies(_police, "engagement.action.record", other, "cross_tenant")
	_denies(_officer, "engagement.priority.manage", other, "cross_tenant")
	their_action := object.union(_action("council-asb"), {"tenant": "city-of-london"})
	_denies(_partner("council-asb"), "engagement.action.update", their_action, "cross_tenant")
}
