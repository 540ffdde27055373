package main

# Every container of a workload, init containers included; nulls and missing lists give none.
pod_spec := input.spec.template.spec if input.kind in {"Deployment", "StatefulSet", "DaemonSet"}

pod_spec := input.spec if input.kind == "Pod"

containers contains c if {
	some c in pod_spec.containers
}

containers contains c if {
	some c in pod_spec.initContainers
}

deny contains msg if {
	some c in containers
	c.securityContext.privileged == true
	msg := sprintf("container %q of %s %q is privileged", [c.name, input.kind, input.metadata.name])
}

deny_run_as_root contains msg if {
	pod_spec
	not pod_spec.securityContext.runAsNonRoot
	msg := sprintf("%s %q does not set runAsNonRoot", [input.kind, input.metadata.name])
}

warn contains msg if {
	count(containers) == 0
	pod_spec
	msg := sprintf("%s %q has no containers", [input.kind, input.metadata.name])
}
