package main

deny_hostpath contains msg if {
	some v in input.spec.template.spec.volumes
	v.hostPath
	msg := sprintf("volume %q mounts a host path", [v.name])
}

deny_host_network contains msg if {
	input.spec.template.spec.hostNetwork == true
	msg := sprintf("%s %q uses the host network", [input.kind, input.metadata.name])
}

# The logging agent in kube-system may mount host paths.
exception contains rules if {
	input.metadata.namespace == "kube-system"
	startswith(input.metadata.name, "logger")
	rules := ["hostpath"]
}
