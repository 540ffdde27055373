package legacy.keywords

import future.keywords.contains
import future.keywords.if
import future.keywords.in

# v0 with the future keywords: the form many conftest policies were migrated to.

images := {c.image | some c in input.spec.template.spec.containers}

violation[{"msg": msg, "image": img}] {
	some img in images
	not contains(img, "/")
	msg := sprintf("image %q has no registry", [img])
}

warn contains msg if {
	some k, _ in input.metadata.annotations
	startswith(k, "kubernetes.io/")
	msg := sprintf("annotation %q is reserved", [k])
}

name_ok(n) {
	count(n) <= 15
}

deny_name[msg] {
	not name_ok(input.metadata.name)
	msg := "name too long"
}
