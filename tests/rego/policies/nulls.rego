package nulls

# What a chart's empty values render to: keys with no value (null), empty lists, no key.

spec := object.get(input, ["spec", "template", "spec"], {})

init := object.get(spec, "initContainers", "absent")

warn_init_kind contains msg if {
	msg := sprintf("initContainers is %s", [type_name(init)])
}

deny_init_names contains msg if {
	some i, c in spec.initContainers
	msg := sprintf("init container %d: %s", [i, c.name])
}

warn_every_init contains "every init container has an image" if {
	every c in spec.initContainers {
		c.image
	}
}

warn_not_in contains "no volume named data" if {
	not "data" in {v.name | some v in spec.volumes}
}

warn_volume_count contains msg if {
	names := [v.name | v := spec.volumes[_]]
	msg := sprintf("%d volumes", [count(names)])
}

warn_null_eq contains "initContainers is null" if {
	spec.initContainers == null
}

warn_label_keys contains msg if {
	keys := {k | some k, _ in input.metadata.labels}
	msg := sprintf("%d labels", [count(keys)])
}

warn_env contains msg if {
	some c in spec.containers
	some e in c.env
	msg := sprintf("env %s", [e.name])
}

warn_env_null contains msg if {
	some c in spec.containers
	is_null(c.env)
	msg := sprintf("container %s has env: null", [c.name])
}
