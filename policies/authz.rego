# METADATA
# title: Safer Neighbourhoods authorization policy
# description: |
#   The one policy every service asks. The role/action matrix in matrix.json
#   (data.snp.matrix) lists, for each action, the grants that can allow it. The
#   guards below hold the platform invariants and are written in Rego, not data,
#   so that no edit of the matrix can break them: no decision crosses tenants,
#   staff act only with MFA, staff (partners included) never touch documents,
#   partners never see membership, police and admins never run groups, and each
#   approval side belongs to its own kind.
package snp.authz

import data.snp.matrix

# METADATA
# title: decision
# description: |
#   The answer for input {subject, action, resource}, as {allow, reasons, conceal}:
#   conceal is true when a refusal must be answered as an unknown id (invariant 5).
# entrypoint: true
decision := {"allow": allow, "reasons": reasons, "conceal": conceal}

# METADATA
# title: allowed_ids
# description: |
#   The batch form for list filtering: the ids of input.resources that input.subject
#   may take input.action on, by the very same rules as decision.
# entrypoint: true
allowed_ids contains resource.id if {
	some resource in input.resources
	_permitted(_subject_guards, _open_grants, _subject, _action, resource)
}

default allow := false

allow if _permitted(_subject_guards, _open_grants, _subject, _action, _resource)

reasons := _granted(_open_grants, _subject, _resource) if allow

reasons := _deny_reasons(_subject_guards, _open_grants, _subject, _action, _resource) if not allow

# Invariant 5: a refusal that would confirm something exists to a caller who may not know of
# it is answered exactly as an unknown id. Services obey `conceal` and never decide it.
default conceal := false

conceal if {
	not allow
	_conceals(_subject, _action, _resource)
}

# A group's documents say nothing of the group, or of themselves, to anyone who holds no role
# in it: documents cannot tell which groups are hidden.
_conceals(subject, action, resource) if {
	startswith(action, "documents.")
	count(object.get(subject.group_roles, resource.group_id, [])) == 0
}

# A hidden group is unknown, on every membership action, to whoever may not read it.
_conceals(subject, action, resource) if {
	startswith(action, "membership.")
	resource.visibility == "hidden"
	not _permitted(
		_guards_for_subject(subject, _group_read),
		_grants_open_to(subject, _group_read),
		subject, _group_read, resource,
	)
}

# A copy of someone's data is theirs alone: to anyone else, police and administrators included,
# an export's id is unknown, so a refusal never confirms that a person asked for a copy.
_conceals(subject, action, resource) if {
	startswith(action, "identity.subject_export.")
	object.get(resource, "owner", "") != object.get(subject, "id", "")
}

# A message is known to those it was sent to and to its sender: to anyone else, answering its
# poll or rating it is refused as an unknown id would be, as reading it from an inbox is.
_conceals(subject, action, resource) if {
	action in _recipient_actions
	object.get(resource, "recipient", false) != true
	object.get(resource, "owner", "") != object.get(subject, "id", "")
}

# A message's reply threads are unknown to whoever is not on its reply team: a refusal says
# nothing of which messages drew replies (only a missing second factor is said, to staff).
_conceals(subject, action, _) if {
	action in _reply_team_actions
	not _mfa_missing(subject, action)
}

_recipient_actions := {"messaging.poll.answer", "messaging.message.rate", "messaging.reply.create"}

_reply_team_actions := {"messaging.reply_thread.read", "messaging.reply_thread.answer", "messaging.reply_thread.handle"}

_group_read := "membership.group.read"

_subject := object.get(input, "subject", {})

_action := object.get(input, "action", "")

_resource := object.get(input, "resource", {})

# What depends only on who asks and for what is worked out once per query, not per resource.
_subject_guards := _guards_for_subject(_subject, _action)

_open_grants := _grants_open_to(_subject, _action)

# Actions that are an operator's tenant lifecycle work, the one exception to tenancy.
_tenant_register := "identity.tenant.register"

_account_create := "identity.account.create"

# Invariant 3: the actions that run a group, reserved to member-kind accounts.
_group_running_actions := {
	"membership.join.decide",
	"membership.member.remove",
	"membership.officer.appoint",
	"membership.officer.stand_down",
}

_approval_actions := {"membership.approval.mark", "membership.approval.withdraw"}

# Separation of duties for an authenticator reset: an administrator never resets their own
# (whoever took over their session could swap the second factor), and the one who asked for a
# reset never decides it (two administrators, not one, take an account's second factor away).
_on_others_only_actions := {"identity.authenticator_reset.request", "identity.authenticator_reset.decide"}

_second_person_actions := {"identity.authenticator_reset.decide"}

# Two police officers, not one, put a held alert out (a force-wide or urgent one, under the
# force's rule): its sender never approves or rejects their own (`owner`, the sender).
_second_officer_actions := {"messaging.alert.decide"}

# What a staff account may do before it has MFA: enrol its authenticator, and read its own
# account, which the enrolment pages need to say whether one is set up (it shows the account
# only itself; enrolling, allowed already, would give far more).
_mfa_exempt_actions := {"identity.totp.enrol", "identity.account.read"}

# What holds the second factor itself is changed only by a session that passed it, whatever
# the kind: a member's session from before enrolment (password only) cannot swap the
# authenticator or mint recovery codes.
_mfa_always_actions := {"identity.totp.replace", "identity.recovery_codes.renew"}

# A visitor without an account (the public list asks as one; no token carries this kind)
# may read public open groups and nothing else, whatever the matrix says.
_visitor_kind := "public"

_visitor_action := "membership.group.read"

# Allowed: no guard objects and some grant open to the subject's kind applies.
_permitted(subject_guards, grants, subject, action, resource) if {
	count(subject_guards) == 0
	_some_grant_applies(grants, subject, resource)
	count(_guards_for_resource(subject, action, resource)) == 0
}

_some_grant_applies(grants, subject, resource) if {
	some grant in grants
	count(_grant_failures(subject, resource, grant)) == 0
}

# The matrix grants of this action that list the subject's kind.
_grants_open_to(subject, action) := [grant |
	some grant in matrix.actions[action]
	subject.kind in grant.kinds
]

# Reasons for an allow: the grants that applied.
_granted(grants, subject, resource) := {sprintf("grant:%s", [grant.id]) |
	some grant in grants
	count(_grant_failures(subject, resource, grant)) == 0
}

# Reasons for a deny: the guards that objected and why each open grant did not apply.
_deny_reasons(subject_guards, grants, subject, action, resource) := denials if {
	guards := subject_guards | _guards_for_resource(subject, action, resource)
	denials := (guards | _grant_misses(grants, subject, resource)) | _kind_misses(grants, action)
}

# Guards: each is a reason to deny whatever the matrix says.
_guards_for_subject(subject, action) := {reason |
	some reason, denied in {
		"unknown_action": _unknown_action(action),
		"unknown_subject_kind": _unknown_kind(subject),
		"mfa_required": _mfa_missing(subject, action),
		"staff_kind_never_documents": _staff_on_documents(subject, action),
		"staff_kind_never_runs_groups": _staff_runs_group(subject, action),
		"partner_never_membership": _partner_on_membership(subject, action),
		"visitor_reads_public_groups_only": _visitor_beyond_reading(subject, action),
	}
	denied
}

_guards_for_resource(subject, action, resource) := {reason |
	some reason, denied in {
		"cross_tenant": _crosses_tenant(subject, action, resource),
		"approval_side_mismatch": _side_mismatch(subject, action, resource),
		"own_account_not_allowed": _on_own_account(subject, action, resource),
		"own_request_not_allowed": _on_own_request(subject, action, resource),
		"own_alert_not_allowed": _on_own_alert(subject, action, resource),
	}
	denied
}

default _unknown_action(_) := false

_unknown_action(action) if not matrix.actions[action]

default _unknown_kind(_) := false

_unknown_kind(subject) if not _known_kind(subject)

_known_kind(subject) if subject.kind in matrix.kinds

# Invariant 7: no decision crosses tenants, except an operator's tenant lifecycle work.
default _crosses_tenant(_, _, _) := false

_crosses_tenant(subject, action, resource) if {
	not _same_tenant(subject, resource)
	not _operator_tenant_lifecycle(subject, action, resource)
}

_same_tenant(subject, resource) if {
	is_string(subject.tenant)
	subject.tenant != ""
	subject.tenant == resource.tenant
}

_operator_tenant_lifecycle(subject, action, _) if {
	subject.kind == "operator"
	action == _tenant_register
}

# Creating a force's administrator is lifecycle work whether or not it has one: the matrix's
# grant then refuses a second one with a reason the operator can be told (not a 404).
_operator_tenant_lifecycle(subject, action, resource) if {
	subject.kind == "operator"
	action == _account_create
	resource.target_kind == "tenant_admin"
}

# Every kind but member is staff and acts only with MFA (fail closed: unknown kinds too).
default _mfa_missing(_, _) := false

_mfa_missing(subject, action) if {
	not _is_member(subject)
	not _is_visitor(subject)
	not _has_mfa(subject)
	not action in _mfa_exempt_actions
}

_mfa_missing(subject, action) if {
	action in _mfa_always_actions
	not _has_mfa(subject)
}

# Invariant 1: only member-kind accounts ever act on documents, whatever group roles: every
# staff kind (police, tenant admins, area coordinators, partners, auditors, operators) is refused.
default _staff_on_documents(_, _) := false

_staff_on_documents(subject, action) if {
	startswith(action, "documents.")
	not _is_member(subject)
}

# Invariant 11: partners (officers of partner agencies) never see membership: no group list,
# no members or officers, no join requests, nothing of membership at all.
_partner_kind := "partner"

default _partner_on_membership(_, _) := false

_partner_on_membership(subject, action) if {
	subject.kind == _partner_kind
	startswith(action, "membership.")
}

# Invariant 3: groups (ward panels included) are run by their own member officers.
default _staff_runs_group(_, _) := false

_staff_runs_group(subject, action) if {
	action in _group_running_actions
	not _is_member(subject)
}

# Invariant 4: each side of an approval marking belongs to its own kind.
default _side_mismatch(_, _, _) := false

_side_mismatch(subject, action, resource) if {
	action in _approval_actions
	not _side_matches(subject, resource)
}

_side_matches(subject, resource) if {
	subject.kind in {"police", "area_coordinator"}
	resource.side == subject.kind
}

# Fail closed: a missing owner or requester counts as the subject's own.
default _on_own_account(_, _, _) := false

_on_own_account(subject, action, resource) if {
	action in _on_others_only_actions
	not _someone_else(subject, object.get(resource, "owner", null))
}

default _on_own_request(_, _, _) := false

_on_own_request(subject, action, resource) if {
	action in _second_person_actions
	not _someone_else(subject, object.get(resource, "requested_by", null))
}

default _on_own_alert(_, _, _) := false

_on_own_alert(subject, action, resource) if {
	action in _second_officer_actions
	not _someone_else(subject, object.get(resource, "owner", null))
}

_someone_else(subject, account) if {
	is_string(account)
	account != ""
	is_string(subject.id)
	subject.id != ""
	account != subject.id
}

_is_member(subject) if subject.kind == "member"

_is_visitor(subject) if subject.kind == _visitor_kind

default _visitor_beyond_reading(_, _) := false

_visitor_beyond_reading(subject, action) if {
	_is_visitor(subject)
	action != _visitor_action
}

_has_mfa(subject) if subject.mfa == true

# Why each grant open to the subject's kind did not apply.
_grant_misses(grants, subject, resource) := {reason |
	some grant in grants
	some reason in _grant_failures(subject, resource, grant)
}

default _kind_misses(_, _) := set()

_kind_misses(grants, action) := {"action_not_allowed_for_kind"} if {
	matrix.actions[action]
	count(grants) == 0
}

# A grant applies when none of its conditions fails.
_grant_failures(subject, resource, grant) := failures if {
	roles := _role_failures(subject, resource, grant)
	own := _self_failures(subject, resource, grant)
	agency := _agency_failures(subject, resource, grant)
	failures := ((roles | own) | agency) | _where_failures(resource, grant)
}

default _role_failures(_, _, _) := set()

_role_failures(subject, resource, grant) := {_role_reason(grant.roles)} if {
	grant.roles
	not _holds_role(subject, resource, grant.roles)
}

# Group roles count only for member-kind accounts (a staff kind holding one gains nothing).
_holds_role(subject, resource, roles) if {
	_is_member(subject)
	some role in subject.group_roles[resource.group_id]
	role in roles
}

default _role_reason(_) := "not_an_officer"

_role_reason(roles) := "not_a_group_member" if "member" in roles

default _self_failures(_, _, _) := set()

_self_failures(subject, resource, grant) := {"not_the_account_itself"} if {
	grant.self == true
	not _is_self(subject, resource)
}

_is_self(subject, resource) if {
	is_string(subject.id)
	subject.id != ""
	subject.id == resource.owner
}

# A grant with `same_agency` applies only to what the subject's own agency recorded (an
# engagement action): police act for the force itself, the agency "police"; a partner for the
# agency its token names. Fail closed: no agency on either side never matches.
default _agency_failures(_, _, _) := set()

_agency_failures(subject, resource, grant) := {"not_the_recording_agency"} if {
	grant.same_agency == true
	not _same_agency(subject, resource)
}

_same_agency(subject, resource) if {
	agency := _agency_of(subject)
	is_string(agency)
	agency != ""
	agency == resource.agency
}

_police_agency := "police"

_agency_of(subject) := _police_agency if subject.kind == "police"

# A partner never acts as the force, whatever its token's agency says.
_agency_of(subject) := subject.agency if {
	subject.kind == "partner"
	subject.agency != _police_agency
}

_where_failures(resource, grant) := {sprintf("%s_not_allowed", [attribute]) |
	some attribute, allowed in object.get(grant, "where", {})
	not _has_value(resource, attribute, allowed)
}

_has_value(resource, attribute, allowed) if resource[attribute] in allowed
