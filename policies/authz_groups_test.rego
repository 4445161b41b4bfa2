package snp.authz_test

# Group-level decisions: membership, documents, messaging, audit and the batch form. The
# fixtures and helpers (_member, _allows, _denies ...) are in authz_test.rego, the same package.

import data.snp.authz

# --- membership ---------------------------------------------------------------

test_group_create if {
	_allows(_member({}), "membership.group.create", _nw_open)
	_allows(_member({}), "membership.group.create", _community_hidden)
	_denies(_member({}), "membership.group.create", _panel, "group_type_not_allowed")
	_allows(_staff("police"), "membership.group.create", _panel)
	_allows(_staff("tenant_admin"), "membership.group.create", _panel)
	_denies(_staff("police"), "membership.group.create", _nw_open, "group_type_not_allowed")
	_denies(_staff("area_coordinator"), "membership.group.create", _nw_open, "action_not_allowed_for_kind")
}

# Reasons name what they allow: a Neighbourhood Watch group's creation is not logged as the
# creation of a community group.
test_group_create_reasons_name_the_kind_of_group if {
	watch := _decide(_member({}), "membership.group.create", _nw_open)
	watch.reasons == {"grant:member_creates_watch_or_community_group"}
	panel := _decide(_staff("police"), "membership.group.create", _panel)
	panel.reasons == {"grant:police_or_admin_creates_ward_panel"}
	log := {"type": "log", "id": "met", "tenant": "met"}
	_decide(_staff("auditor"), "audit.events.read", log).reasons == {"grant:auditor_reads_tenant_log"}
}

test_public_open_group_read_by_anyone if {
	_allows(_member({}), "membership.group.read", _nw_open)
	_allows(_staff("auditor"), "membership.group.read", _nw_open)
	closed := _group("community_group", "public", "closed")
	_denies(_member({}), "membership.group.read", closed, "status_not_allowed")
}

test_visitor_reads_public_open_groups_only if {
	_allows(_visitor, "membership.group.read", _nw_open)
	_denies(_visitor, "membership.group.read", _nw_hidden, "visibility_not_allowed")
	closed := _group("community_group", "public", "closed")
	_denies(_visitor, "membership.group.read", closed, "status_not_allowed")
	_denies(_visitor, "membership.join.request", _nw_open, "visitor_reads_public_groups_only")
	with_roles := object.union(_visitor, {"group_roles": {"g1": ["chair"]}})
	_denies(with_roles, "membership.members.read", _nw_open, "visitor_reads_public_groups_only")
	_denies(_visitor, "documents.document.read", _document("members"), "staff_kind_never_documents")
	_denies(object.union(_visitor, {"tenant": "ldn"}), "membership.group.read", _nw_open, "cross_tenant")
}

test_hidden_group_read if {
	_denies(_member({}), "membership.group.read", _nw_hidden, "visibility_not_allowed")
	_denies(_member({"g2": ["chair"]}), "membership.group.read", _nw_hidden, "not_a_group_member")
	_allows(_member({"g1": ["member"]}), "membership.group.read", _nw_hidden)
	_allows(_member({"g1": ["secretary"]}), "membership.group.read", _community_hidden)
	_allows(_staff("police"), "membership.group.read", _community_hidden)
	_allows(_staff("tenant_admin"), "membership.group.read", _community_hidden)
	_allows(_staff("area_coordinator"), "membership.group.read", _nw_hidden)
	_denies(_staff("area_coordinator"), "membership.group.read", _community_hidden, "group_type_not_allowed")
	_denies(_staff("auditor"), "membership.group.read", _nw_hidden, "visibility_not_allowed")
	_denies(_staff("operator"), "membership.group.read", _nw_hidden, "visibility_not_allowed")
}

test_group_update_by_chair_or_coordinator if {
	_allows(_member({"g1": ["chair"]}), "membership.group.update", _community_hidden)
	_allows(_member({"g1": ["coordinator"]}), "membership.group.update", _nw_open)
	_denies(_member({"g1": ["secretary"]}), "membership.group.update", _nw_open, "not_an_officer")
	_denies(_staff("police"), "membership.group.update", _panel, "action_not_allowed_for_kind")
}

test_join_request if {
	_allows(_member({}), "membership.join.request", _nw_open)
	_denies(_member({}), "membership.join.request", _nw_hidden, "visibility_not_allowed")
	_denies(_staff("police"), "membership.join.request", _nw_open, "action_not_allowed_for_kind")
}

test_join_decide_and_remove_by_officers if {
	every action in {"membership.join.decide", "membership.member.remove"} {
		every role in _officer_roles {
			_allows(_member({"g1": [role]}), action, _nw_open)
		}
		_denies(_member({"g1": ["member"]}), action, _nw_open, "not_an_officer")
	}
}

test_member_leaves if {
	membership := object.union(_nw_open, {"type": "membership", "owner": "m1"})
	_allows(_member({"g1": ["member"]}), "membership.member.remove", membership)
	_denies(_member({"g1": ["member"]}), "membership.join.decide", membership, "not_an_officer")
}

test_officers_appointed_by_chair_or_coordinator if {
	every action in {"membership.officer.appoint", "membership.officer.stand_down"} {
		_allows(_member({"g1": ["chair"]}), action, _panel)
		_allows(_member({"g1": ["coordinator"]}), action, _nw_open)
		_denies(_member({"g1": ["vice_chair"]}), action, _panel, "not_an_officer")
	}
}

test_police_and_admins_never_run_groups if {
	roles := {"g1": ["chair", "coordinator"]}
	every action in {
		"membership.join.decide", "membership.member.remove",
		"membership.officer.appoint", "membership.officer.stand_down",
	} {
		every kind in {"police", "tenant_admin"} {
			every resource in {_nw_open, _community_hidden, _panel} {
				_denies(object.union(_staff(kind), {"group_roles": roles}), action, resource, "staff_kind_never_runs_groups")
			}
		}
	}
}

test_staff_group_roles_count_for_nothing if {
	subject := object.union(_staff("area_coordinator"), {"group_roles": {"g1": ["member"]}})
	_denies(subject, "membership.group.read", _community_hidden, "group_type_not_allowed")
}

test_officers_read_by_the_groups_own_members_and_those_who_see_membership if {
	every roles in [["member"], ["secretary", "member"], ["coordinator", "member"]] {
		_allows(_member({"g1": roles}), "membership.officers.read", _nw_hidden)
	}
	_denies(_member({}), "membership.officers.read", _nw_open, "not_a_group_member")
	_denies(_member({"g2": ["chair"]}), "membership.officers.read", _nw_open, "not_a_group_member")
	_allows(_staff("police"), "membership.officers.read", _community_hidden)
	_allows(_staff("tenant_admin"), "membership.officers.read", _nw_hidden)
	_allows(_staff("area_coordinator"), "membership.officers.read", _nw_hidden)
	_denies(_staff("area_coordinator"), "membership.officers.read", _panel, "group_type_not_allowed")
	_denies(_staff("auditor"), "membership.officers.read", _nw_open, "action_not_allowed_for_kind")
	_denies(_visitor, "membership.officers.read", _nw_open, "visitor_reads_public_groups_only")
	foreign := object.union(_nw_open, {"tenant": "ldn"})
	_denies(_member({"g1": ["member"]}), "membership.officers.read", foreign, "cross_tenant")
}

test_an_accounts_own_groups_are_read_by_that_account_only if {
	_allows(_member({}), "membership.account_groups.read", _account("m1"))
	_denies(_member({}), "membership.account_groups.read", _account("m2"), "not_the_account_itself")
	_allows(_staff("police"), "membership.account_groups.read", _account("s1"))
	_denies(_staff("tenant_admin"), "membership.account_groups.read", _account("m2"), "not_the_account_itself")
	_denies(_visitor, "membership.account_groups.read", _account(""), "visitor_reads_public_groups_only")
}

test_members_read if {
	_allows(_member({"g1": ["vice_chair"]}), "membership.members.read", _nw_open)
	_denies(_member({"g1": ["member"]}), "membership.members.read", _nw_open, "not_an_officer")
	_allows(_member({"g1": ["member"]}), "membership.members.read", _panel)
	opened := object.union(_community_hidden, {"group_directory": "members"})
	_allows(_member({"g1": ["member"]}), "membership.members.read", opened)
	_denies(_member({}), "membership.members.read", opened, "not_a_group_member")
	_allows(_staff("police"), "membership.members.read", _community_hidden)
	_allows(_staff("tenant_admin"), "membership.members.read", _nw_hidden)
	_allows(_staff("area_coordinator"), "membership.members.read", _nw_hidden)
	_denies(_staff("area_coordinator"), "membership.members.read", _panel, "group_type_not_allowed")
	_denies(_staff("auditor"), "membership.members.read", _nw_open, "action_not_allowed_for_kind")
}

test_approval_sides if {
	wrong := _approval("police", "neighbourhood_watch")
	ward := _approval("area_coordinator", "ward_panel")
	every action in {"membership.approval.mark", "membership.approval.withdraw"} {
		_allows(_staff("police"), action, _approval("police", "community_group"))
		_denies(_staff("police"), action, _approval("area_coordinator", "community_group"), "approval_side_mismatch")
		_allows(_staff("area_coordinator"), action, _approval("area_coordinator", "neighbourhood_watch"))
		_denies(_staff("area_coordinator"), action, wrong, "approval_side_mismatch")
		_denies(_staff("area_coordinator"), action, ward, "group_type_not_allowed")
		_denies(_staff("tenant_admin"), action, _approval("police", "ward_panel"), "approval_side_mismatch")
		_denies(_member({"g1": ["chair"]}), action, _approval("police", "ward_panel"), "approval_side_mismatch")
	}
}

test_approval_without_side_denied if {
	_denies(_staff("police"), "membership.approval.mark", object.remove(_nw_open, ["side"]), "approval_side_mismatch")
}

# --- documents ----------------------------------------------------------------

_document_officer_actions := {
	"documents.document.create", "documents.document.delete",
	"documents.mailing_list.manage", "documents.document.forward",
}

test_document_officer_actions if {
	every action in _document_officer_actions {
		every role in _officer_roles {
			_allows(_member({"g1": [role]}), action, _document("officers"))
		}
		_denies(_member({"g1": ["member"]}), action, _document("members"), "not_an_officer")
	}
}

test_document_read if {
	_allows(_member({"g1": ["chair"]}), "documents.document.read", _document("officers"))
	_allows(_member({"g1": ["member"]}), "documents.document.read", _document("members"))
	_denies(_member({"g1": ["member"]}), "documents.document.read", _document("officers"), "audience_not_allowed")
	_denies(_member({"g2": ["chair"]}), "documents.document.read", _document("members"), "not_a_group_member")
}

test_staff_never_documents_whatever_roles if {
	every action in _document_officer_actions | {"documents.document.read"} {
		every kind in _staff_kinds {
			subject := object.union(_staff(kind), {"group_roles": {"g1": ["chair", "coordinator", "member"]}})
			_denies(subject, action, _document("members"), "staff_kind_never_documents")
		}
	}
}

# --- messaging ----------------------------------------------------------------

test_message_send if {
	group := {"type": "group", "id": "g1", "tenant": "met", "group_id": "g1"}
	_allows(_member({"g1": ["secretary"]}), "messaging.message.send", group)
	_denies(_member({"g1": ["member"]}), "messaging.message.send", group, "not_an_officer")
	ward := {"type": "ward", "id": "w1", "tenant": "met"}
	_denies(_member({"g1": ["chair"]}), "messaging.message.send", ward, "type_not_allowed")
	force := {"type": "tenant", "id": "met", "tenant": "met"}
	every kind in {"police", "tenant_admin"} {
		every resource in {group, ward, force} {
			_allows(_staff(kind), "messaging.message.send", resource)
		}
	}
	_denies(_staff("area_coordinator"), "messaging.message.send", group, "action_not_allowed_for_kind")
}

test_message_read_status if {
	message := {"type": "message", "id": "x1", "tenant": "met", "group_id": "g1", "owner": "s1"}
	_allows(_staff("police"), "messaging.message.read_status", message)
	_allows(_member({"g1": ["chair"]}), "messaging.message.read_status", message)
	_denies(_member({"g1": ["member"]}), "messaging.message.read_status", message, "not_the_account_itself")
}

# A group's messages page: read_status in the batch form, message by message.
_listed(subject, resources) := ids if {
	ids := authz.allowed_ids with input as {
		"subject": subject,
		"action": "messaging.message.read_status",
		"resources": resources,
	}
}

test_a_group_s_messages_are_listed_as_read_status_allows if {
	messages := [
		{"type": "message", "id": "x1", "tenant": "met", "group_id": "g1", "owner": "m9"},
		{"type": "message", "id": "x2", "tenant": "met", "group_id": "g1", "owner": "m1"},
		{"type": "message", "id": "x3", "tenant": "ldn", "group_id": "g1", "owner": "m9"},
		{"type": "message", "id": "x4", "tenant": "met", "group_id": "g2", "owner": "m9"},
	]
	_listed(_member({"g1": ["secretary"]}), messages) == {"x1", "x2"}

	# A plain member sees only what they sent themselves (as a former officer, say).
	_listed(_member({"g1": ["member"]}), messages) == {"x2"}
	_listed(_staff("police"), messages) == set()
	_listed(object.union(_staff("police"), {"id": "m9"}), messages) == {"x1", "x4"}
	_listed(object.union(_member({"g1": ["chair"]}), {"tenant": "ldn"}), messages) == {"x3"}
	_listed(object.union(_staff("police"), {"id": "m9", "mfa": false}), messages) == set()
}

# The force's alerts: what its police and tenant admins sent, listed and read by either.
test_force_alerts_are_police_and_admins_own if {
	alerts := {"type": "alerts", "id": "met", "tenant": "met"}
	every kind in {"police", "tenant_admin"} {
		_allows(_staff(kind), "messaging.alerts.list", alerts)
	}
	every kind in {"area_coordinator", "auditor", "operator"} {
		_denies(_staff(kind), "messaging.alerts.list", alerts, "action_not_allowed_for_kind")
	}
	_denies(_member({"g1": ["chair"]}), "messaging.alerts.list", alerts, "action_not_allowed_for_kind")
	_denies(_staff("police"), "messaging.alerts.list", object.union(alerts, {"tenant": "ldn"}), "cross_tenant")
	_denies(object.union(_staff("police"), {"mfa": false}), "messaging.alerts.list", alerts, "mfa_required")
}

test_another_officer_s_alert_status_is_read_by_police_and_admins if {
	alert := {"type": "message", "id": "x1", "tenant": "met", "group_id": "", "owner": "s9", "sender_kind": "police"}
	every kind in {"police", "tenant_admin"} {
		_allows(_staff(kind), "messaging.message.read_status", alert)
	}
	_denies(_staff("auditor"), "messaging.message.read_status", alert, "action_not_allowed_for_kind")

	# A group officer's message stays the group's: police read only their own.
	officers := object.union(alert, {"group_id": "g1", "sender_kind": "member"})
	_denies(_staff("police"), "messaging.message.read_status", officers, "sender_kind_not_allowed")
	unmarked := object.remove(alert, ["sender_kind"])
	_denies(_staff("police"), "messaging.message.read_status", unmarked, "sender_kind_not_allowed")
}

# Recipients by name (and the providers' errors, which can quote an address): the group's
# officers only. Police and every other staff kind see account ids and statuses.
test_only_group_officers_see_who_the_recipients_are if {
	message := {"type": "message", "id": "x1", "tenant": "met", "group_id": "g1", "owner": "s1", "sender_kind": "police"}
	every role in _officer_roles {
		_allows(_member({"g1": [role]}), "messaging.recipients.identify", message)
	}
	_denies(_member({"g1": ["member"]}), "messaging.recipients.identify", message, "not_an_officer")
	_denies(_member({"g2": ["chair"]}), "messaging.recipients.identify", message, "not_an_officer")
	every kind in _staff_kinds {
		subject := object.union(_staff(kind), {"group_roles": {"g1": ["chair"]}})
		_denies(subject, "messaging.recipients.identify", message, "action_not_allowed_for_kind")
	}
}

test_inbox_and_preferences if {
	every action in {"messaging.inbox.read", "messaging.preferences.manage"} {
		_allows(_member({}), action, _account("m1"))
		_denies(_member({}), action, _account("m2"), "not_the_account_itself")
	}
}

# --- audit --------------------------------------------------------------------

test_audit if {
	log := {"type": "log", "id": "met", "tenant": "met"}
	_allows(_staff("auditor"), "audit.events.read", log)
	_allows(_staff("auditor"), "audit.events.export", log)
	_denies(_staff("police"), "audit.events.read", log, "action_not_allowed_for_kind")
	_allows(_staff("operator"), "audit.health.read", log)
	_denies(_staff("auditor"), "audit.health.read", log, "action_not_allowed_for_kind")
}

# --- batch form ---------------------------------------------------------------

test_allowed_ids_reuses_the_rules if {
	resources := [
		_document("members"),
		object.union(_document("officers"), {"id": "d2"}),
		object.union(_document("members"), {"id": "d3", "tenant": "ldn"}),
		object.union(_document("members"), {"id": "d4", "group_id": "g2"}),
		"not-a-resource",
	]
	ids := authz.allowed_ids with input as {
		"subject": _member({"g1": ["member"]}),
		"action": "documents.document.read",
		"resources": resources,
	}
	ids == {"d1"}
}

test_allowed_ids_empty_for_staff_documents if {
	ids := authz.allowed_ids with input as {
		"subject": object.union(_staff("police"), {"group_roles": {"g1": ["chair"]}}),
		"action": "documents.document.read",
		"resources": [_document("members"), _document("officers")],
	}
	ids == set()
}

# --- documents, role by role ------------------------------------------------------

test_every_officer_role_reads_both_audiences if {
	every role in _officer_roles {
		every audience in {"officers", "members"} {
			_allows(_member({"g1": [role]}), "documents.document.read", _document(audience))
		}
	}
}

test_a_member_without_roles_gets_no_document_action if {
	every action in _document_officer_actions | {"documents.document.read"} {
		_denies(_member({}), action, _document("members"), _role_miss(action))
	}
}

test_documents_never_cross_tenants if {
	foreign := object.union(_document("members"), {"tenant": "ldn"})
	every action in _document_officer_actions | {"documents.document.read"} {
		_denies(_member({"g1": ["chair", "member"]}), action, foreign, "cross_tenant")
	}
}

test_staff_without_mfa_never_documents if {
	every kind in _staff_kinds {
		subject := object.union(_staff(kind), {"mfa": false, "group_roles": {"g1": ["chair"]}})
		_denies(subject, "documents.document.read", _document("members"), "staff_kind_never_documents")
	}
}

default _role_miss(_) := "not_an_officer"

_role_miss("documents.document.read") := "not_a_group_member"

# --- concealment (invariant 5) ------------------------------------------------

_conceals(subject, action, resource) if {
	decision := _decide(subject, action, resource)
	not decision.allow
	decision.conceal
}

_reveals(subject, action, resource) if not _decide(subject, action, resource).conceal

test_a_hidden_group_is_unknown_to_whoever_may_not_read_it if {
	_conceals(_member({}), "membership.members.read", _nw_hidden)
	_conceals(_member({"g2": ["chair"]}), "membership.join.request", _nw_hidden)
	_conceals(_staff("auditor"), "membership.group.read", _nw_hidden)
}

test_a_refusal_on_a_group_the_caller_may_read_is_a_refusal if {
	# A member of the hidden group may read it: they are told no, not that it is unknown.
	_reveals(_member({"g1": ["member"]}), "membership.group.update", _nw_hidden)
	not _decide(_member({"g1": ["member"]}), "membership.group.update", _nw_hidden).allow

	# A public group is known to all.
	_reveals(_member({}), "membership.members.read", _nw_open)

	# Police may read a hidden group, so its existence is no secret from them.
	_reveals(_staff("police"), "membership.group.update", _community_hidden)
}

test_a_groups_documents_are_unknown_to_anyone_without_a_role_in_it if {
	_conceals(_member({}), "documents.document.read", _document("members"))
	_conceals(_member({"g2": ["chair"]}), "documents.document.read", _document("members"))
	_conceals(_staff("police"), "documents.document.read", _document("members"))

	# A member of the group refused an officers' document is told no: they know the group.
	_reveals(_member({"g1": ["member"]}), "documents.document.read", _document("officers"))
	not _decide(_member({"g1": ["member"]}), "documents.document.read", _document("officers")).allow
}

test_an_allowed_decision_never_conceals if {
	_reveals(_member({"g1": ["member"]}), "membership.group.read", _nw_hidden)
	_reveals(_member({"g1": ["member"]}), "documents.document.read", _document("members"))
}
