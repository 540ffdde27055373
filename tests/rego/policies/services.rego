package services

import rego.v1

port_names := [p.name | some p in input.spec.ports; p.name]

unnamed := [p.port | some p in input.spec.ports; not p.name]

warn contains msg if {
	input.kind == "Service"
	input.spec.type == "LoadBalancer"
	msg := sprintf("Service %q is exposed through a LoadBalancer", [input.metadata.name])
}

deny_ssh contains msg if {
	some p in input.spec.ports
	p.port == 22
	msg := sprintf("Service %q exposes port 22", [input.metadata.name])
}

warn_port_names contains {"msg": "ports must be named", "ports": unnamed} if {
	input.kind == "Service"
	count(unnamed) > 0
}

deny_port_name contains msg if {
	some name in port_names
	not regex.match(`^[a-z]([-a-z0-9]*[a-z0-9])?$`, name)
	msg := sprintf("port name %q is not a DNS label", [name])
}
