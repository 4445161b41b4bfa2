package snp.authz_test

import data.snp.authz

# --- fixtures ---------------------------------------------------------------

_staff_kinds := {"police", "tenant_admin", "area_coordinator", "auditor", "operator", "partner"}

_officer_roles := {"chair", "vice_chair", "secretary", "coordinator"}

_member(roles) := {"id": "m1", "kind": "member", "tenant": "met", "mfa": false, "group_roles": roles}

_staff(kind) := {"id": "s1", "kind": kind, "tenant": "met", "mfa": true, "group_roles": {}}

_visitor := {"id": "", "kind": "public", "tenant": "met", "mfa": false, "group_roles": {}}

_group(group_type, visibility, status) := {
	"type": "group", "id": "g1", "tenant": "met", "group_id": "g1",
	"group_type": group_type, "visibility": visibility, "status": status,
	"group_directory": "officers",
}

_nw_open := _group("neighbourhood_watch", "public", "open")

_nw_hidden := _group("neighbourhood_watch", "hidden", "open")

_community_hidden := _group("community_group", "hidden", "open")

_panel := _group("ward_panel", "public", "open")

_document(audience) := {"type": "document", "id": "d1", "tenant": "met", "group_id": "g1", "audience": audience}

_account(owner) := {"type": "account", "id": owner, "tenant": "met", "owner": owner}

_approval(side, group_type) := {
	"type": "group", "id": "g1", "tenant": "met", "group_id": "g1",
	"group_type": group_type, "side": side,
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

# --- decision shape, unknown input, tenancy, MFA ------------------------------

test_decision_reports_grant_on_allow if {
	d := _decide(_staff("police"), "membership.group.read", _nw_hidden)
	d == {"allow": true, "reasons": {"grant:police_or_admin_reads_every_group"}, "conceal": false}
}

test_unknown_action_denied if {
	_denies(_staff("police"), "membership.group.delete", _nw_open, "unknown_action")
}

test_unknown_subject_kind_denied if {
	subject := object.union(_staff("police"), {"kind": "superuser"})
	_denies(subject, "membership.group.read", _nw_open, "unknown_subject_kind")
}

test_empty_input_denied if {
	d := authz.decision with input as {}
	d.allow == false
	{"unknown_action", "cross_tenant", "unknown_subject_kind"} & d.reasons == {
		"unknown_action",
		"cross_tenant",
		"unknown_subject_kind",
	}
}

test_cross_tenant_denied if {
	_denies(_staff("police"), "membership.group.read", object.union(_nw_open, {"tenant": "ldn"}), "cross_tenant")
}

test_missing_resource_tenant_denied if {
	_denies(_staff("police"), "membership.group.read", object.remove(_nw_open, ["tenant"]), "cross_tenant")
}

test_empty_tenants_denied if {
	subject := object.union(_staff("police"), {"tenant": ""})
	_denies(subject, "membership.group.read", object.union(_nw_open, {"tenant": ""}), "cross_tenant")
}

test_staff_without_mfa_denied if {
	every kind in _staff_kinds {
		subject := object.union(_staff(kind), {"mfa": false})
		_denies(subject, "identity.account.update_contact", _account("s1"), "mfa_required")
	}
}

test_staff_with_mfa_missing_denied if {
	subject := object.remove(_staff("auditor"), ["mfa"])
	_denies(subject, "audit.events.read", {"type": "log", "id": "met", "tenant": "met"}, "mfa_required")
}

test_members_need_no_mfa if {
	_allows(_member({}), "identity.account.read", _account("m1"))
}

test_totp_enrol_without_mfa if {
	every kind in _staff_kinds {
		subject := object.union(_staff(kind), {"mfa": false})
		_allows(subject, "identity.totp.enrol", _account("s1"))
		_allows(subject, "identity.account.read", _account("s1"))
		_denies(subject, "identity.account.read", _account("s2"), "not_the_account_itself")
	}
	_allows(_member({}), "identity.totp.enrol", _account("m1"))
	_denies(_member({}), "identity.totp.enrol", _account("m2"), "not_the_account_itself")
}

test_second_factor_changes_need_mfa_for_every_kind if {
	every action in {"identity.totp.replace", "identity.recovery_codes.renew"} {
		_denies(_member({}), action, _account("m1"), "mfa_required")
		_allows(object.union(_member({}), {"mfa": true}), action, _account("m1"))
		_denies(object.union(_member({}), {"mfa": true}), action, _account("m2"), "not_the_account_itself")
		_allows(_staff("police"), action, _account("s1"))
		_denies(object.union(_staff("police"), {"mfa": false}), action, _account("s1"), "mfa_required")
	}
}

test_own_password_and_sessions if {
	every action in {"identity.password.change", "identity.session.revoke_all"} {
		_allows(_member({}), action, _account("m1"))
		_denies(_member({}), action, _account("m2"), "not_the_account_itself")
		_denies(_staff("tenant_admin"), action, _account("m2"), "not_the_account_itself")
		_denies(object.union(_staff("police"), {"mfa": false}), action, _account("s1"), "mfa_required")
		_denies(_member({}), action, object.union(_account("m1"), {"tenant": "city"}), "cross_tenant")
	}
}

# --- identity -----------------------------------------------------------------

test_operator_registers_tenant_across_tenants if {
	subject := object.union(_staff("operator"), {"tenant": "council"})
	_allows(subject, "identity.tenant.register", {"type": "tenant", "id": "met", "tenant": "met"})
	tenant := {"type": "tenant", "id": "x", "tenant": "met"}
	_denies(_staff("police"), "identity.tenant.register", tenant, "action_not_allowed_for_kind")
}

test_operator_creates_first_tenant_admin_only if {
	subject := object.union(_staff("operator"), {"tenant": "council"})
	first := {"type": "account", "id": "new", "tenant": "met", "target_kind": "tenant_admin", "tenant_has_admin": false}
	_allows(subject, "identity.account.create", first)

	# A second administrator is refused with the reason (the force has one), not as unknown.
	second := object.union(first, {"tenant_has_admin": true})
	refused := {"allow": false, "reasons": {"tenant_has_admin_not_allowed"}, "conceal": false}
	_decide(subject, "identity.account.create", second) == refused
	police := object.union(first, {"target_kind": "police"})
	_denies(subject, "identity.account.create", police, "cross_tenant")
	unsaid := object.remove(first, ["tenant_has_admin"])
	_denies(subject, "identity.account.create", unsaid, "tenant_has_admin_not_allowed")
}

test_operator_lists_tenants_from_its_own_tenant if {
	subject := object.union(_staff("operator"), {"tenant": "council"})
	own := {"type": "tenants", "id": "all", "tenant": "council"}
	_allows(subject, "identity.tenant.list", own)
	foreign := object.union(own, {"tenant": "met"})
	_denies(subject, "identity.tenant.list", foreign, "cross_tenant")
	_denies(_staff("tenant_admin"), "identity.tenant.list", foreign, "action_not_allowed_for_kind")
}

test_tenant_admin_lists_its_own_forces_staff if {
	own := {"type": "staff", "id": "all", "tenant": "met"}
	_allows(_staff("tenant_admin"), "identity.staff.list", own)
	_denies(_staff("tenant_admin"), "identity.staff.list", object.union(own, {"tenant": "kent"}), "cross_tenant")
	_denies(object.union(_staff("tenant_admin"), {"mfa": false}), "identity.staff.list", own, "mfa_required")
	every kind in _staff_kinds - {"tenant_admin"} {
		_denies(_staff(kind), "identity.staff.list", own, "action_not_allowed_for_kind")
	}
	_denies(_member({}), "identity.staff.list", own, "action_not_allowed_for_kind")
}

test_operator_runs_the_platform_in_its_own_tenant if {
	subject := object.union(_staff("operator"), {"tenant": "council"})
	own := {"type": "service", "id": "membership", "tenant": "council"}
	foreign := object.union(own, {"tenant": "met"})
	without_mfa := object.union(subject, {"mfa": false})
	every action in _platform_actions {
		_allows(subject, action, own)
		_denies(subject, action, foreign, "cross_tenant")
		_denies(without_mfa, action, own, "mfa_required")
		every kind in _staff_kinds - {"operator"} {
			_denies(_staff(kind), action, foreign, "action_not_allowed_for_kind")
		}
	}
}

_platform_actions := {
	"platform.health.read",
	"platform.dead_letters.read",
	"platform.dead_letters.replay",
	"platform.projection.rebuild",
}

test_tenant_admin_creates_staff if {
	account := {"type": "account", "id": "new", "tenant": "met", "target_kind": "police"}
	_allows(_staff("tenant_admin"), "identity.account.create", account)
	operator := object.union(account, {"target_kind": "operator"})
	_denies(_staff("tenant_admin"), "identity.account.create", operator, "target_kind_not_allowed")
	_denies(_staff("police"), "identity.account.create", account, "action_not_allowed_for_kind")
	_denies(_member({}), "identity.account.create", account, "action_not_allowed_for_kind")
}

test_account_itself if {
	every action in {"identity.account.read", "identity.account.update_contact", "identity.account.erase"} {
		_allows(_member({}), action, _account("m1"))
		_allows(_staff("police"), action, _account("s1"))
		_denies(_member({}), action, _account("m2"), "not_the_account_itself")
	}
}

test_tenant_admin_erases_any_account if {
	_allows(_staff("tenant_admin"), "identity.account.erase", _account("m2"))
	_denies(_staff("tenant_admin"), "identity.account.read", _account("m2"), "not_the_account_itself")
	_denies(_staff("police"), "identity.account.erase", _account("m2"), "not_the_account_itself")
}

test_self_needs_an_id if {
	subject := object.union(_member({}), {"id": ""})
	_denies(subject, "identity.account.read", _account(""), "not_the_account_itself")
}

test_roles_managed_by_tenant_admin if {
	every action in {"identity.role.grant", "identity.role.revoke"} {
		_allows(_staff("tenant_admin"), action, _account("s2"))
		_denies(_staff("police"), action, _account("s2"), "action_not_allowed_for_kind")
	}
}

test_accounts_disabled_by_tenant_admin if {
	_allows(_staff("tenant_admin"), "identity.account.disable", _account("m2"))
	_denies(_staff("police"), "identity.account.disable", _account("m2"), "action_not_allowed_for_kind")
	_denies(_member({}), "identity.account.disable", _account("m2"), "action_not_allowed_for_kind")
}

_reset_request(owner, target_kind) := {
	"type": "account", "id": owner, "tenant": "met",
	"owner": owner, "target_kind": target_kind,
}

_reset_decision(owner, requested_by) := {
	"type": "authenticator_reset", "id": "r1", "tenant": "met",
	"owner": owner, "requested_by": requested_by, "target_kind": "police",
}

_ask := "identity.authenticator_reset.request"

_decide_reset := "identity.authenticator_reset.decide"

_admin := _staff("tenant_admin")

test_a_tenant_admin_asks_to_reset_another_staff_accounts_authenticator if {
	_allows(_admin, _ask, _reset_request("s2", "police"))
	_allows(_admin, _ask, _reset_request("s2", "tenant_admin"))
	_denies(_admin, _ask, _reset_request("m2", "member"), "target_kind_not_allowed")
	_denies(_staff("police"), _ask, _reset_request("s2", "police"), "action_not_allowed_for_kind")
	no_mfa := object.union(_admin, {"mfa": false})
	_denies(no_mfa, _ask, _reset_request("s2", "police"), "mfa_required")
	elsewhere := object.union(_reset_request("s2", "police"), {"tenant": "city"})
	_denies(_admin, _ask, elsewhere, "cross_tenant")
}

test_an_admin_never_resets_their_own_authenticator if {
	_denies(_admin, _ask, _reset_request("s1", "tenant_admin"), "own_account_not_allowed")
	_denies(_admin, _decide_reset, _reset_decision("s1", "s3"), "own_account_not_allowed")
	unowned := object.remove(_reset_request("s2", "police"), {"owner"})
	_denies(_admin, _ask, unowned, "own_account_not_allowed")
}

test_a_second_admin_decides_a_reset_never_the_one_who_asked if {
	d := _decide(_admin, _decide_reset, _reset_decision("s2", "s3"))
	d == {"allow": true, "reasons": {"grant:second_tenant_admin_decides_authenticator_reset"}, "conceal": false}
	_denies(_admin, _decide_reset, _reset_decision("s2", "s1"), "own_request_not_allowed")
	_denies(_admin, _decide_reset, _reset_decision("s2", ""), "own_request_not_allowed")
	unasked := object.remove(_reset_decision("s2", "s3"), {"requested_by"})
	_denies(_admin, _decide_reset, unasked, "own_request_not_allowed")
	nameless := object.union(_admin, {"id": ""})
	_denies(nameless, _decide_reset, _reset_decision("s2", "s3"), "own_request_not_allowed")
	police := _staff("police")
	_denies(police, _decide_reset, _reset_decision("s2", "s3"), "action_not_allowed_for_kind")
}

_subject_export(owner) := {"type": "subject_export", "id": "x1", "tenant": "met", "owner": owner}

# A copy of all my data: the account itself asks for it and reads it; anyone else, police and
# administrators included, is refused as if the export did not exist (conceal: a 404).
test_a_subject_export_is_the_account_s_own if {
	elsewhere := object.union(_member({}), {"tenant": "kent"})
	no_mfa := object.union(_staff("police"), {"mfa": false})
	every action in {"identity.subject_export.request", "identity.subject_export.read"} {
		_allows(_member({}), action, _subject_export("m1"))
		_allows(_staff("police"), action, _subject_export("s1"))
		_denies(_member({}), action, _subject_export("m2"), "not_the_account_itself")
		_decide(_member({}), action, _subject_export("m2")).conceal
		every kind in _staff_kinds {
			_denies(_staff(kind), action, _subject_export("m1"), "not_the_account_itself")
			_decide(_staff(kind), action, _subject_export("m1")).conceal
		}
		_denies(elsewhere, action, _subject_export("m1"), "cross_tenant")
		_denies(no_mfa, action, _subject_export("s1"), "mfa_required")
		not _decide(no_mfa, action, _subject_export("s1")).conceal
	}
	not _decide(_member({}), "identity.subject_export.read", _subject_export("m1")).conceal
}

_member_lookup(target_kind) := {"type": "account", "id": "member-lookup", "tenant": "met", "target_kind": target_kind}

test_member_found_by_email_only_by_police_and_admins if {
	_allows(_staff("police"), "identity.account.lookup", _member_lookup("member"))
	_allows(_staff("tenant_admin"), "identity.account.lookup", _member_lookup("member"))
	_denies(_staff("police"), "identity.account.lookup", _member_lookup("police"), "target_kind_not_allowed")
	_denies(_staff("auditor"), "identity.account.lookup", _member_lookup("member"), "action_not_allowed_for_kind")
	_denies(_staff("area_coordinator"), "identity.account.lookup", _member_lookup("member"), "action_not_allowed_for_kind")
	_denies(_member({}), "identity.account.lookup", _member_lookup("member"), "action_not_allowed_for_kind")
	no_mfa := object.union(_staff("police"), {"mfa": false})
	_denies(no_mfa, "identity.account.lookup", _member_lookup("member"), "mfa_required")
	elsewhere := object.union(_staff("police"), {"tenant": "kent"})
	_denies(elsewhere, "identity.account.lookup", _member_lookup("member"), "cross_tenant")
}

# Who has seen a member's contact details is told to that member alone: not another member,
# not police, not the force's administrators.
test_disclosures_only_to_the_member_themself if {
	_allows(_member({}), "identity.disclosures.read", _account("m1"))
	_denies(_member({}), "identity.disclosures.read", _account("m2"), "not_the_account_itself")
	every kind in _staff_kinds {
		_denies(_staff(kind), "identity.disclosures.read", _account("m1"), "action_not_allowed_for_kind")
		_denies(_staff(kind), "identity.disclosures.read", _account("s1"), "action_not_allowed_for_kind")
	}
	elsewhere := object.union(_member({}), {"tenant": "kent"})
	_denies(elsewhere, "identity.disclosures.read", _account("m1"), "cross_tenant")
}

# --- messaging a group's mailing list: that group's officers only ---------------

_mailing_list := {"type": "mailing_list", "id": "l1", "tenant": "met", "group_id": "g1"}

test_a_groups_officers_message_its_mailing_list if {
	every role in _officer_roles {
		_allows(_member({"g1": [role]}), "messaging.message.send", _mailing_list)
	}
}

test_members_officers_of_other_groups_and_staff_do_not_message_a_mailing_list if {
	_denies(_member({"g1": ["member"]}), "messaging.message.send", _mailing_list, "not_an_officer")
	_denies(_member({"g2": ["chair"]}), "messaging.message.send", _mailing_list, "not_an_officer")
	every kind in {"police", "tenant_admin", "partner"} {
		not _allows(_staff(kind), "messaging.message.send", _mailing_list)
	}
}
