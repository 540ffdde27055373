package ingress

deny contains msg if {
	input.kind == "Ingress"
	some rule in input.spec.rules
	rule.host != lower(rule.host)
	msg := sprintf("host %q must be lowercase", [rule.host])
}

warn_paths contains msg if {
	input.kind == "Ingress"
	some rule in input.spec.rules
	every p in rule.http.paths {
		p.pathType == "Exact"
	}
	msg := sprintf("host %q: every path is Exact (or there are none that are not)", [rule.host])
}

warn_class contains msg if {
	input.kind == "Ingress"
	object.get(input.metadata, ["annotations", "kubernetes.io/ingress.class"], "") != ""
	msg := "the kubernetes.io/ingress.class annotation is deprecated: use spec.ingressClassName"
}
