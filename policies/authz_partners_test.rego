package snp.authz_partners_test

import data.snp.authz

# Partners: officers of a force's partner agencies. A staff kind (MFA, never documents), and
# the one staff kind that never sees membership (invariant 11), whatever the matrix says.

_partner := {
	"id": "p1", "kind": "partner", "tenant": "met", "mfa": true, "agency": "a1",
	"group_roles": {"g1": ["chair", "member"]},
}

_admin := {"id": "s1", "kind": "tenant_admin", "tenant": "met", "mfa": true, "group_roles": {}}

_police := {"id": "s2", "kind": "police", "tenant": "met", "mfa": true, "group_roles": {}}

_group := {
	"type": "group", "id": "g1", "tenant": "met", "group_id": "g1",
	"group_type": "ward_panel", "visibility": "public", "status": "open",
	"group_directory": "members",
}

_agency := {"type": "agency", "id": "a1", "tenant": "met"}

_decide(subject, action, resource) := decision if {
	decision := authz.decision with input as {"subject": subject, "action": action, "resource": resource}
}

_membership_actions contains action if {
	some action, _ in data.snp.matrix.actions
	startswith(action, "membership.")
}

_document_actions contains action if {
	some action, _ in data.snp.matrix.actions
	startswith(action, "documents.")
}

test_partner_never_reads_membership_even_holding_group_roles if {
	count(_membership_actions) > 5
	every action in _membership_actions {
		d := _decide(_partner, action, _group)
		d.allow == false
		"partner_never_membership" in d.reasons
	}
}

# The guard is Rego, not data: a matrix that granted partners every membership action still
# refuses them.
test_partner_membership_guard_holds_whatever_the_matrix_says if {
	lifted := {action: [{"id": "lifted", "kinds": ["partner"]}] | some action in _membership_actions}
	every action in _membership_actions {
		d := authz.decision with input as {"subject": _partner, "action": action, "resource": _group}
			with data.snp.matrix.actions as lifted
		d.allow == false
		"partner_never_membership" in d.reasons
	}
}

test_partner_never_touches_documents if {
	every action in _document_actions {
		d := _decide(_partner, action, object.union(_group, {"type": "document", "audience": "members"}))
		d.allow == false
		"staff_kind_never_documents" in d.reasons
	}
}

test_partner_acts_only_with_mfa if {
	d := _decide(object.union(_partner, {"mfa": false}), "identity.agency.read", _agency)
	d.allow == false
	"mfa_required" in d.reasons
}

test_partner_enrols_without_mfa if {
	account := {"type": "account", "id": "p1", "tenant": "met", "owner": "p1"}
	_decide(object.union(_partner, {"mfa": false}), "identity.totp.enrol", account).allow
}

test_partner_reads_the_forces_agencies if {
	_decide(_partner, "identity.agency.read", _agency).allow
}

test_partner_does_not_manage_agencies if {
	not _decide(_partner, "identity.agency.register", _agency).allow
	not _decide(_partner, "identity.agency.update", _agency).allow
}

test_tenant_admin_registers_and_manages_agencies if {
	_decide(_admin, "identity.agency.register", _agency).allow
	_decide(_admin, "identity.agency.update", _agency).allow
	_decide(_admin, "identity.agency.read", _agency).allow
}

test_police_read_but_do_not_manage_agencies if {
	_decide(_police, "identity.agency.read", _agency).allow
	not _decide(_police, "identity.agency.update", _agency).allow
}

test_another_forces_agency_is_refused if {
	d := _decide(_partner, "identity.agency.read", object.union(_agency, {"tenant": "ldn"}))
	d.allow == false
	"cross_tenant" in d.reasons
	not _decide(_admin, "identity.agency.update", object.union(_agency, {"tenant": "ldn"})).allow
}

test_tenant_admin_creates_partner_accounts if {
	new := {"type": "account", "id": "new", "tenant": "met", "target_kind": "partner", "tenant_has_admin": true}
	_decide(_admin, "identity.account.create", new).allow
	not _decide(_police, "identity.account.create", new).allow
}
