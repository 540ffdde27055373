package main

import rego.v1

weak := {"changeme", "password", "admin", "secret"}

decoded[k] := base64.decode(v) if {
	input.kind == "Secret"
	some k, v in input.data
}

deny_weak_secret contains msg if {
	some k, v in decoded
	v in weak
	msg := sprintf("Secret %q: %s is a well-known default", [input.metadata.name, k])
}

warn_string_data contains {"msg": msg, "keys": sort(keys)} if {
	input.kind == "Secret"
	keys := [k | some k, _ in input.stringData]
	count(keys) > 0
	msg := sprintf("Secret %q keeps %d values in plain stringData", [input.metadata.name, count(keys)])
}

warn_service_cidr contains msg if {
	input.kind == "Service"
	some ip in object.get(input.spec, "externalIPs", [])
	net.cidr_contains("10.0.0.0/8", ip)
	msg := sprintf("external IP %s is private", [ip])
}
