package main

required := {l | some l in data.labels.required}

present := {k | some k, _ in object.get(input, ["metadata", "labels"], {})}

warn_labels contains {"msg": msg, "missing": sort(missing), "kind": input.kind} if {
	missing := required - present
	count(missing) > 0
	msg := sprintf("%s %q lacks labels: %s", [input.kind, input.metadata.name, concat(", ", sort(missing))])
}

deny_team contains msg if {
	team := input.metadata.labels.team
	not lower(team) in {t | some t in data.labels.teams}
	msg := sprintf("unknown team %q", [team])
}

warn_team_case contains msg if {
	team := input.metadata.labels.team
	team != lower(team)
	msg := sprintf("team label %q should be lowercase", [team])
}
