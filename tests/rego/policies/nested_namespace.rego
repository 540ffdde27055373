package k8s.workloads

import rego.v1

volumes := {v.name: v | some v in input.spec.template.spec.volumes}

deny contains msg if {
	some c in input.spec.template.spec.containers
	some m in c.volumeMounts
	not volumes[m.name]
	msg := sprintf("container %q mounts unknown volume %q", [c.name, m.name])
}

warn_env contains msg if {
	some c in input.spec.template.spec.containers
	c.env == null
	msg := sprintf("container %q has an empty env:", [c.name])
}

warn_no_init contains msg if {
	input.kind == "Deployment"
	not input.spec.template.spec.initContainers
	msg := "no init containers"
}
