package main

import data.registries

image_of(c) := c.image

tag(image) := t if {
	not contains(image, "@")
	parts := split(image, "/")
	last := parts[count(parts) - 1]
	contains(last, ":")
	t := split(last, ":")[1]
}

workload_containers contains c if {
	some c in input.spec.template.spec.containers
}

workload_containers contains c if {
	some c in input.spec.template.spec.initContainers
}

deny_registry contains msg if {
	some c in workload_containers
	every prefix in registries.allowed {
		not startswith(image_of(c), prefix)
	}
	msg := sprintf("image %q is not from an allowed registry", [c.image])
}

deny_latest contains msg if {
	some c in workload_containers
	tag(c.image) == "latest"
	msg := concat(" ", ["container", c.name, "uses the latest tag"])
}

warn_untagged contains msg if {
	some c in workload_containers
	not contains(c.image, "@")
	not tag(c.image)
	msg := sprintf("image %q has no tag", [c.image])
}
