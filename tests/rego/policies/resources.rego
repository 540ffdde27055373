package resources

containers := [c | some c in input.spec.template.spec.containers]

violation contains {"msg": msg, "container": c.name, "details": {"missing": missing}} if {
	some c in containers
	limits := object.get(c, ["resources", "limits"], {})
	missing := [r | some r in ["cpu", "memory"]; not limits[r]]
	count(missing) > 0
	msg := sprintf("container %q has no %s limit", [c.name, concat("/", missing)])
}

violation_replicas contains {"msg": "a Deployment with zero replicas runs nothing", "replicas": input.spec.replicas} if {
	input.kind == "Deployment"
	input.spec.replicas == 0
}

warn contains msg if {
	some i, c in containers
	c.imagePullPolicy == "Always"
	msg := sprintf("container %d (%s) always pulls", [i, c.name])
}
