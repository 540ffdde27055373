package main

secret_like := {k: v | some k, v in input.data; regex.match(`(?i)(password|token|secret)`, k)}

warn_secrets contains msg if {
	input.kind == "ConfigMap"
	some k, _ in secret_like
	msg := sprintf("ConfigMap %q key %q looks like a secret", [input.metadata.name, k])
}

deny_debug contains msg if {
	input.kind == "ConfigMap"
	upper(object.get(input, ["data", "LOG_LEVEL"], "")) == "DEBUG"
	msg := "LOG_LEVEL is debug"
}
