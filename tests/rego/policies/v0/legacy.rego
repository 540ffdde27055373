package legacy

# Rego v0, as conftest reads it with --rego-version v0.

containers[c] {
	c := input.spec.template.spec.containers[_]
}

containers[c] {
	c := input.spec.template.spec.initContainers[_]
}

deny[msg] {
	c := containers[_]
	endswith(c.image, ":latest")
	msg := sprintf("legacy: %s uses :latest", [c.name])
}

warn[msg] {
	input.spec.template.spec.hostNetwork
	msg = "legacy: host network"
}

is_root(c) {
	c.securityContext.runAsUser == 0
}

deny_root[msg] {
	c := containers[_]
	is_root(c)
	msg := sprintf("legacy: %s runs as root", [c.name])
}

deny_flag = true {
	input.kind == "Deployment"
}
