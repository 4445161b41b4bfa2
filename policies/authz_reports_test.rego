package snp.authz_reports_test

import data.snp.authz

# --- fixtures ---------------------------------------------------------------

_resident := {"id": "m1", "kind": "member", "tenant": "met", "mfa": false, "group_roles": {}}

_neighbour := object.union(_resident, {"id": "m2"})

_police := {"id": "s1", "kind": "police", "tenant": "met", "mfa": true, "group_roles": {}}

_partner(agency) := {
	"id": "s2", "kind": "partner", "tenant": "met", "mfa": true,
	"group_roles": {}, "agency": agency,
}

_admin := {"id": "s3", "kind": "tenant_admin", "tenant": "met", "mfa": true, "group_roles": {}}

_ward := {"type": "ward", "id": "E05000138", "tenant": "met"}

# A report filed by m1, passed (or not: agency "") to a partner agency.
_report(agency) := {
	"type": "report", "id": "r1", "tenant": "met",
	"ward_code": "E05000138", "agency": agency, "owner": "m1",
}

_anonymous_report := object.remove(_report("council-asb"), ["owner"])

_decide(subject, action, resource) := decision if {
	decision := authz.decision with input as {"subject": subject, "action": action, "resource": resource}
}

_allows(subject, action, resource) if _decide(subject, action, resource).allow

_denies(subject, action, resource, reason) if {
	d := _decide(subject, action, resource)
	d.allow == false
	reason in d.reasons
}

# --- filing: residents (member-kind accounts) -------------------------------------

test_a_resident_files_a_report_to_their_ward_team if {
	_allows(_resident, "engagement.report.file", _ward)
}

test_staff_file_no_reports if {
	_denies(_police, "engagement.report.file", _ward, "action_not_allowed_for_kind")
	_denies(_partner("council-asb"), "engagement.report.file", _ward, "action_not_allowed_for_kind")
}

# --- reading: police of the force, and the agency it was passed to ----------------

test_police_read_every_report_of_the_force if {
	_allows(_police, "engagement.report.read", _report(""))
	_allows(_police, "engagement.report.read", _report("council-asb"))
	_allows(_police, "engagement.report.read", _anonymous_report)
}

test_a_partner_reads_only_what_was_passed_to_its_agency if {
	_allows(_partner("council-asb"), "engagement.report.read", _report("council-asb"))
	_denies(_partner("housing"), "engagement.report.read", _report("council-asb"), "not_the_recording_agency")
	_denies(_partner("council-asb"), "engagement.report.read", _report(""), "not_the_recording_agency")
	_denies(_partner(""), "engagement.report.read", _report(""), "not_the_recording_agency")
}

test_a_partner_never_acts_as_the_force if {
	_denies(_partner("police"), "engagement.report.read", _report("police"), "not_the_recording_agency")
}

test_nobody_else_reads_reports if {
	_denies(_resident, "engagement.report.read", _report(""), "action_not_allowed_for_kind")
	_denies(_admin, "engagement.report.read", _report(""), "action_not_allowed_for_kind")
}

# --- passing and updating ------------------------------------------------------

test_only_police_pass_a_report if {
	_allows(_police, "engagement.report.pass", _report(""))
	_denies(_partner("council-asb"), "engagement.report.pass", _report("council-asb"), "action_not_allowed_for_kind")
}

test_police_or_the_agency_it_was_passed_to_update_it if {
	_allows(_police, "engagement.report.update", _report("council-asb"))
	_allows(_partner("council-asb"), "engagement.report.update", _report("council-asb"))
	_denies(_partner("housing"), "engagement.report.update", _report("council-asb"), "not_the_recording_agency")
}

# --- following: the reporter, of their own named report ----------------------------

test_the_reporter_follows_their_own_report if {
	_allows(_resident, "engagement.report.follow", _report(""))
	_denies(_neighbour, "engagement.report.follow", _report(""), "not_the_account_itself")
}

test_an_anonymous_report_is_followed_by_no_account if {
	_denies(_resident, "engagement.report.follow", _anonymous_report, "not_the_account_itself")
}

test_staff_follow_no_resident_report if {
	_denies(_police, "engagement.report.follow", _report(""), "action_not_allowed_for_kind")
}

# A resident's "your reports" list: the follow decision's batch form over the reports
# naming them keeps their own named ones only.
test_the_reporters_list_keeps_only_their_own_named_reports if {
	ids := authz.allowed_ids with input as {
		"subject": _resident,
		"action": "engagement.report.follow",
		"resources": [
			_report(""),
			object.union(_report(""), {"id": "r2", "owner": "m2"}),
			object.union(_anonymous_report, {"id": "r3"}),
			object.union(_report(""), {"id": "r4", "tenant": "city-of-london"}),
		],
	}
	ids == {"r1"}
}

# --- tenancy and MFA -------------------------------------------------------------

test_no_report_decision_crosses_tenants if {
	theirs := object.union(_report("council-asb"), {"tenant": "city-of-london"})
	_denies(_police, "engagement.report.read", theirs, "cross_tenant")
	_denies(_partner("council-asb"), "engagement.report.read", theirs, "cross_tenant")
	_denies(_resident, "engagement.report.follow", theirs, "cross_tenant")
	_denies(_resident, "engagement.report.file", object.union(_ward, {"tenant": "city-of-london"}), "cross_tenant")
}

test_staff_handle_reports_only_with_mfa if {
	_denies(object.union(_police, {"mfa": false}), "engagement.report.read", _report(""), "mfa_required")
	no_mfa := object.union(_partner("council-asb"), {"mfa": false})
	_denies(no_mfa, "engagement.report.update", _report("council-asb"), "mfa_required")
}

# --- retention: the force's tenant admin sets how long closed reports are kept ---------

_force := {"type": "tenant", "id": "met", "tenant": "met"}

test_a_tenant_admin_sets_the_report_retention_and_police_read_it if {
	_allows(_admin, "engagement.report_retention.manage", _force)
	_allows(_admin, "engagement.report_retention.read", _force)
	_allows(_police, "engagement.report_retention.read", _force)
}

test_nobody_else_sets_it_and_no_other_force_reads_it if {
	_denies(_police, "engagement.report_retention.manage", _force, "action_not_allowed_for_kind")
	_denies(_resident, "engagement.report_retention.read", _force, "action_not_allowed_for_kind")
	_denies(_partner("council-asb"), "engagement.report_retention.read", _force, "action_not_allowed_for_kind")
	other := object.union(_admin, {"tenant": "kent"})
	_denies(other, "engagement.report_retention.manage", _force, "cross_tenant")
}
