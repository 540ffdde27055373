"""Generators of synthetic charts for bench/run.

Each function writes a complete chart directory that both `helm template` and
`rudder template` render, and returns its path. The charts follow the shapes real charts use
(the `helm create` scaffold, nested values, helper defines) so that the measured work is the
work real charts ask for, only more of it.

Templates are written with `@` as the placeholder for the subchart's name, because Go template
braces would clash with Python's str.format.
"""
import json
import pathlib

# --- umbrella -----------------------------------------------------------------------------

SUB_HELPERS = """\
{{/* Chart name, overridable with nameOverride. */}}
{{- define "@.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified name, at most 63 characters. */}}
{{- define "@.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "@.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "@.selectorLabels" -}}
app.kubernetes.io/name: {{ include "@.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "@.labels" -}}
helm.sh/chart: {{ include "@.chart" . }}
{{ include "@.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.global.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "@.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "@.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "@.image" -}}
{{- $registry := .Values.global.imageRegistry | default .Values.image.registry -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion | toString -}}
{{- printf "%s/%s:%s" $registry .Values.image.repository $tag -}}
{{- end }}
"""

SUB_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "@.fullname" . }}
  labels:
    {{- include "@.labels" . | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "@.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      annotations:
        checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}
        {{- with .Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      labels:
        {{- include "@.labels" . | nindent 8 }}
        {{- with .Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "@.serviceAccountName" . }}
      {{- with .Values.podSecurityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .Chart.Name }}
          image: {{ include "@.image" . | quote }}
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          ports:
            {{- range $name, $port := .Values.service.ports }}
            - name: {{ $name }}
              containerPort: {{ $port.targetPort | default $port.port }}
              protocol: {{ $port.protocol | default "TCP" }}
            {{- end }}
          env:
            {{- range $key, $value := .Values.env }}
            - name: {{ $key | upper | replace "-" "_" }}
              value: {{ tpl (toString $value) $ | quote }}
            {{- end }}
          envFrom:
            - configMapRef:
                name: {{ include "@.fullname" . }}
          {{- with .Values.probes }}
          livenessProbe:
            {{- toYaml .liveness | nindent 12 }}
          readinessProbe:
            {{- toYaml .readiness | nindent 12 }}
          {{- end }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
      {{- with .Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
"""

SUB_SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: {{ include "@.fullname" . }}
  labels:
    {{- include "@.labels" . | nindent 4 }}
  {{- with .Values.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ .Values.service.type }}
  ports:
    {{- range $name, $port := .Values.service.ports }}
    - port: {{ $port.port }}
      targetPort: {{ $name }}
      protocol: {{ $port.protocol | default "TCP" }}
      name: {{ $name }}
    {{- end }}
  selector:
    {{- include "@.selectorLabels" . | nindent 4 }}
"""

SUB_CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "@.fullname" . }}
  labels:
    {{- include "@.labels" . | nindent 4 }}
data:
  {{- range $key, $value := .Values.config }}
  {{- if kindIs "map" $value }}
  {{ $key }}.yaml: |
    {{- toYaml $value | nindent 4 }}
  {{- else }}
  {{ $key }}: {{ $value | toString | quote }}
  {{- end }}
  {{- end }}
  release: {{ .Release.Name | quote }}
  namespace: {{ .Release.Namespace | quote }}
"""

SUB_SERVICEACCOUNT = """\
{{- if .Values.serviceAccount.create -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "@.serviceAccountName" . }}
  labels:
    {{- include "@.labels" . | nindent 4 }}
  {{- with .Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: {{ .Values.serviceAccount.automount }}
{{- end }}
"""

SUB_INGRESS = """\
{{- if .Values.ingress.enabled -}}
{{- $fullName := include "@.fullname" . -}}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ $fullName }}
  labels:
    {{- include "@.labels" . | nindent 4 }}
  {{- with .Values.ingress.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- with .Values.ingress.className }}
  ingressClassName: {{ . }}
  {{- end }}
  {{- if .Values.ingress.tls }}
  tls:
    {{- range .Values.ingress.tls }}
    - hosts:
        {{- range .hosts }}
        - {{ . | quote }}
        {{- end }}
      secretName: {{ .secretName }}
    {{- end }}
  {{- end }}
  rules:
    {{- range .Values.ingress.hosts }}
    - host: {{ tpl .host $ | quote }}
      http:
        paths:
          {{- range .paths }}
          - path: {{ .path }}
            pathType: {{ .pathType | default "Prefix" }}
            backend:
              service:
                name: {{ $fullName }}
                port:
                  name: {{ .port | default "http" }}
          {{- end }}
    {{- end }}
{{- end }}
"""


def _sub_values(i):
    """Values of subchart number i: nested maps, lists, a few switches that vary with i."""
    return {
        "replicaCount": i % 3 + 1,
        "image": {"registry": "registry.example.com", "repository": f"team/svc{i:02d}",
                  "tag": "", "pullPolicy": "IfNotPresent"},
        "nameOverride": "",
        "fullnameOverride": "",
        "serviceAccount": {"create": i % 4 != 3, "automount": True,
                           "annotations": {"example.com/owner": f"team-{i % 5}"}, "name": ""},
        "podAnnotations": {"prometheus.io/scrape": "true", "prometheus.io/port": "9090"},
        "podLabels": {"tier": "backend" if i % 2 else "frontend"},
        "podSecurityContext": {"runAsNonRoot": True, "runAsUser": 1000 + i, "fsGroup": 2000},
        "service": {"type": "ClusterIP", "annotations": {},
                    "ports": {"http": {"port": 80, "targetPort": 8080},
                              "metrics": {"port": 9090}}},
        "env": {"log-level": "info", "service-name": "{{ .Release.Name }}-svc%02d" % i,
                "replicas": i % 3 + 1, "feature-x": i % 2 == 0},
        "config": {"mode": "production", "workers": 4 + i % 4, "timeout": "30s",
                   "database": {"host": f"db-{i}.internal", "port": 5432,
                                "pool": {"min": 2, "max": 10 + i}},
                   "cache": {"enabled": i % 3 == 0, "ttl": 300}},
        "probes": {"liveness": {"httpGet": {"path": "/healthz", "port": "http"},
                                "initialDelaySeconds": 10},
                   "readiness": {"httpGet": {"path": "/ready", "port": "http"},
                                 "periodSeconds": 5}},
        "resources": {"limits": {"cpu": "500m", "memory": f"{128 + 64 * (i % 4)}Mi"},
                      "requests": {"cpu": "100m", "memory": "64Mi"}},
        "autoscaling": {"enabled": i % 5 == 4, "minReplicas": 1, "maxReplicas": 5},
        "ingress": {"enabled": i % 2 == 0, "className": "nginx",
                    "annotations": {"cert-manager.io/cluster-issuer": "letsencrypt"},
                    "hosts": [{"host": "svc%02d.{{ .Release.Namespace }}.example.com" % i,
                               "paths": [{"path": "/", "pathType": "Prefix"},
                                         {"path": "/api", "port": "http"}]}],
                    "tls": [{"secretName": f"svc{i:02d}-tls",
                             "hosts": [f"svc{i:02d}.example.com"]}]},
        "nodeSelector": {"kubernetes.io/os": "linux"},
        "tolerations": [],
        "global": {},
    }


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _yaml(value):
    """Values as YAML text. JSON is YAML, and it keeps the generator free of dependencies."""
    return json.dumps(value, indent=2) + "\n"


def umbrella(dest, n):
    """An umbrella chart with n vendored subcharts svc01..svcNN, each enabled by a condition."""
    root = pathlib.Path(dest) / f"umbrella-{n}"
    deps = []
    values = {"global": {"imageRegistry": "", "commonLabels": {"example.com/suite": "bench"}}}
    for i in range(1, n + 1):
        name = f"svc{i:02d}"
        sub = root / "charts" / name
        _write(sub / "Chart.yaml",
               f"apiVersion: v2\nname: {name}\ndescription: Service {i} of the bench umbrella\n"
               f"type: application\nversion: 0.{i}.0\nappVersion: \"1.{i}.0\"\n")
        _write(sub / "values.yaml", _yaml(_sub_values(i)))
        for fname, text in [("_helpers.tpl", SUB_HELPERS), ("deployment.yaml", SUB_DEPLOYMENT),
                            ("service.yaml", SUB_SERVICE), ("configmap.yaml", SUB_CONFIGMAP),
                            ("serviceaccount.yaml", SUB_SERVICEACCOUNT),
                            ("ingress.yaml", SUB_INGRESS)]:
            _write(sub / "templates" / fname, text.replace("@", name))
        deps.append(f"  - name: {name}\n    version: 0.{i}.0\n"
                    f"    repository: file://charts/{name}\n    condition: {name}.enabled\n")
        values[name] = {"enabled": True, "image": {"tag": f"2.{i}.1"}}
    _write(root / "Chart.yaml",
           "apiVersion: v2\nname: umbrella\ndescription: Bench umbrella chart\ntype: application\n"
           "version: 1.0.0\nappVersion: \"1.0.0\"\ndependencies:\n" + "".join(deps))
    _write(root / "values.yaml", _yaml(values))
    _write(root / "templates" / "configmap.yaml",
           "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-umbrella\n"
           "data:\n  services: |\n"
           "    {{- range $name, $v := .Values }}\n"
           "    {{- if and (kindIs \"map\" $v) (hasKey $v \"enabled\") }}\n"
           "    {{ $name }}: {{ $v.enabled }}\n"
           "    {{- end }}\n"
           "    {{- end }}\n")
    return root


# --- tpl-heavy ----------------------------------------------------------------------------

def name_helpers(prefix):
    """A chart's `PREFIX.fullname` and `PREFIX.labels` defines, as most charts have them."""
    return ('{{- define "@.fullname" -}}\n'
            '{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}\n'
            '{{- end }}\n'
            '{{- define "@.labels" -}}\n'
            'app.kubernetes.io/name: {{ .Chart.Name }}\n'
            'app.kubernetes.io/instance: {{ .Release.Name }}\n'
            '{{- end }}\n').replace("@", prefix)


TPL_HELPERS = name_helpers("tplheavy")

# The strings tpl renders: the shapes charts put in values (a name, a host, a list, a default).
TPL_STRINGS = [
    '{{ include "tplheavy.fullname" . }}-%(i)04d',
    '%(i)04d.{{ .Release.Namespace }}.{{ .Values.domain }}',
    '{{ .Values.base | upper }}-{{ add %(i)d 1 }}',
    '{{ if .Values.enabled }}on-%(i)04d{{ else }}off{{ end }}',
    '{{ range $i, $e := .Values.zones }}{{ if $i }},{{ end }}{{ $e }}-%(i)d{{ end }}',
    '{{ .Values.missing | default "fallback" }}-{{ .Release.Name | trunc 5 }}-%(i)04d',
]


def tpl_heavy(dest, n):
    """A chart whose one ConfigMap renders n values strings with `tpl` (one call each)."""
    root = pathlib.Path(dest) / f"tpl-{n}"
    items = {f"k{i:04d}": TPL_STRINGS[i % len(TPL_STRINGS)] % {"i": i} for i in range(n)}
    values = {"base": "bench", "domain": "example.com", "enabled": True,
              "zones": ["a", "b", "c"], "items": items}
    _write(root / "Chart.yaml", "apiVersion: v2\nname: tplheavy\nversion: 0.1.0\n")
    _write(root / "values.yaml", _yaml(values))
    _write(root / "templates" / "_helpers.tpl", TPL_HELPERS)
    _write(root / "templates" / "configmap.yaml",
           "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
           "  name: {{ include \"tplheavy.fullname\" . }}\n"
           "  labels:\n    {{- include \"tplheavy.labels\" . | nindent 4 }}\n"
           "data:\n"
           "  {{- range $k, $v := .Values.items }}\n"
           "  {{ $k }}: {{ tpl $v $ | quote }}\n"
           "  {{- end }}\n")
    return root


# --- include-heavy ------------------------------------------------------------------------

INC_HELPERS = """\
{{- define "inc.leaf" -}}
{{- .name | lower | trunc 20 | trimSuffix "-" }}-{{ .idx }}
{{- end }}
{{- define "inc.labels" -}}
app: {{ .name }}
idx: {{ .idx | quote }}
{{- end }}
{{- define "inc.mid" -}}
{{- include "inc.leaf" . }}/{{ include "inc.leaf" (dict "name" "Mid" "idx" (add .idx 1)) }}
{{- end }}
{{- define "inc.outer" -}}
{{- $labels := include "inc.labels" . | fromYaml -}}
{{- include "inc.mid" . | upper }}:{{ $labels.app }}
{{- end }}
"""

INC_PER_FILE = 100


def include_heavy(dest, n):
    """A chart with n top-level `include` calls (each one three defines deep), written out
    literally in ConfigMaps of at most 100 keys, so that both parsing and execution grow."""
    root = pathlib.Path(dest) / f"include-{n}"
    _write(root / "Chart.yaml", "apiVersion: v2\nname: incheavy\nversion: 0.1.0\n")
    _write(root / "values.yaml", _yaml({"prefix": "Bench-Include"}))
    _write(root / "templates" / "_helpers.tpl", INC_HELPERS)
    for f in range((n + INC_PER_FILE - 1) // INC_PER_FILE):
        lines = ["apiVersion: v1", "kind: ConfigMap", "metadata:",
                 f"  name: {{{{ .Release.Name }}}}-inc-{f:02d}", "data:"]
        for i in range(f * INC_PER_FILE, min(n, (f + 1) * INC_PER_FILE)):
            lines.append(f"  k{i:04d}: {{{{ include \"inc.outer\" (dict \"name\" "
                         f"$.Values.prefix \"idx\" {i}) | quote }}}}")
        _write(root / "templates" / f"cm-{f:02d}.yaml", "\n".join(lines) + "\n")
    return root


# --- big values files ---------------------------------------------------------------------

VALUES_SUMMARY = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-values
data:
  keys: {{ len .Values | quote }}
  name: {{ .Values.name | quote }}
  {{- with .Values.wide }}
  wide: {{ len . | quote }}
  first: {{ index . "key0000000" | quote }}
  {{- end }}
  {{- with .Values.groups }}
  groups: {{ len . | quote }}
  firstItem: {{ (index (index . 0).items 0).name | quote }}
  {{- end }}
  sha: {{ toYaml .Values | sha256sum }}
  json: {{ toJson .Values | len | quote }}
"""

# Every value a schema has to look at: the wide map's values are scalars, the tree's items
# have a name and typed fields.
VALUES_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "wide": {"type": "object",
                 "additionalProperties": {"type": ["string", "number", "boolean", "null"]}},
        "groups": {"type": "array", "items": {
            "type": "object", "required": ["name", "items"],
            "properties": {"name": {"type": "string"}, "items": {"type": "array", "items": {
                "type": "object", "required": ["name"],
                "properties": {"name": {"type": "string"}, "replicas": {"type": "integer"},
                               "ports": {"type": "array"}, "tags": {"type": "array"}}}}}}},
    },
}


def values_chart(dest):
    """The chart the big values files are given to (with -f): a values.yaml of defaults that
    the file is coalesced over, a schema that checks every value, and one ConfigMap that
    reads a few values, and writes the whole tree through toYaml and toJson (hashed or
    measured, so the output stays small)."""
    root = pathlib.Path(dest) / "values-chart"
    if root.exists():
        return root
    _write(root / "Chart.yaml", "apiVersion: v2\nname: bigvalues\nversion: 0.1.0\n")
    _write(root / "values.yaml", "name: bench\nwide: {}\ngroups: []\nextra:\n  enabled: true\n")
    _write(root / "values.schema.json", json.dumps(VALUES_SCHEMA, indent=2) + "\n")
    _write(root / "templates" / "summary.yaml", VALUES_SUMMARY)
    return root


def wide_values(path, megabytes):
    """A values file of about `megabytes` MB whose bulk is one wide map, `wide`, of scalar
    values of every kind (strings, quoted strings, integers, floats, booleans)."""
    target = int(megabytes * 1_000_000)
    kinds = ["value-{i:07d}-abcdef", "\"quoted {i} text\"", "{i}", "{i}.5", "true", "'{i}'"]
    with open(path, "w") as f:
        f.write("name: wide\nwide:\n")
        size, i = 0, 0
        while size < target:
            line = f"  key{i:07d}: {kinds[i % len(kinds)].format(i=i)}\n"
            f.write(line)
            size += len(line)
            i += 1
    return path


def deep_values(path, megabytes):
    """A values file of about `megabytes` MB shaped as a deep, list-heavy tree: `groups`, a list
    of groups, each with a list of items, each with lists of ports, tags and nested rules."""
    target = int(megabytes * 1_000_000)
    with open(path, "w") as f:
        f.write("name: deep\ngroups:\n")
        size, g = 0, 0
        while size < target:
            parts = [f"- name: group-{g:06d}\n  labels:\n    tier: t{g % 7}\n    zone: z{g % 3}\n"
                     "  items:\n"]
            for i in range(8):
                parts.append(
                    f"  - name: item-{g:06d}-{i}\n    replicas: {i + 1}\n    enabled: {i % 2 == 0}\n"
                    "    ports:\n"
                    f"    - {{name: http, port: {8000 + i}, protocol: TCP}}\n"
                    f"    - name: metrics\n      port: {9000 + i}\n"
                    "    tags: [a, b, \"c d\"]\n"
                    "    rules:\n"
                    "    - match:\n        paths:\n        - /api\n        - /v1/" + f"{i}\n"
                    "      action:\n        allow:\n        - get\n        - list\n")
            text = "".join(parts)
            f.write(text)
            size += len(text)
            g += 1
    return path


# --- many templates -----------------------------------------------------------------------

MANY_HELPERS = name_helpers("many")

MANY_TEMPLATE = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "many.fullname" . }}-%(i)05d
  labels:
    {{- include "many.labels" . | nindent 4 }}
data:
  index: "%(i)d"
  mode: {{ .Values.mode | quote }}
  {{- range $k, $v := .Values.settings }}
  {{ $k }}: {{ $v | quote }}
  {{- end }}
"""


def many_templates(dest, n):
    """A chart of n small ConfigMap templates sharing one helper file."""
    root = pathlib.Path(dest) / f"many-{n}"
    _write(root / "Chart.yaml", "apiVersion: v2\nname: many\nversion: 0.1.0\n")
    _write(root / "values.yaml", _yaml({"mode": "bench", "settings": {"a": 1, "b": "two",
                                                                      "c": True}}))
    _write(root / "templates" / "_helpers.tpl", MANY_HELPERS)
    for i in range(n):
        _write(root / "templates" / f"cm-{i:05d}.yaml", MANY_TEMPLATE % {"i": i})


# --- key generation -------------------------------------------------------------------------

# What one item of each keygen chart makes, as the lines of a Secret's stringData. `$ca` is a
# CA made once per chart (not counted) for the signed-certificate kind.
KEYGEN_KINDS = {
    # A CA: one 2048-bit key, self-signed.
    "genCA": ['  ca{i}.crt: {{ (genCA "bench-ca-{i}" 365).Cert | quote }}'],
    # A certificate signed by the chart's CA: one 2048-bit key, signed by the CA's key.
    "genSignedCert": ['  tls{i}.crt: {{ (genSignedCert "svc-{i}" nil (list "svc-{i}.ns.svc") '
                      '365 $ca).Cert | quote }}'],
    # Sprig's genPrivateKey "rsa": one 4096-bit key.
    "genPrivateKey-rsa": ['  key{i}.pem: {{ genPrivateKey "rsa" | quote }}'],
}


def keygen(dest, kind, n):
    """A chart whose one Secret holds n items of KEYGEN_KINDS[kind] (n RSA keys)."""
    root = pathlib.Path(dest) / f"keygen-{kind}-{n}"
    _write(root / "Chart.yaml", "apiVersion: v2\nname: keygen\nversion: 0.1.0\n")
    lines = []
    if kind == "genSignedCert":
        lines.append('{{- $ca := genCA "bench-ca" 365 }}')
    lines += ["apiVersion: v1", "kind: Secret", "metadata:", "  name: {{ .Release.Name }}-keys",
              "stringData:"]
    for i in range(n):
        lines += [line.replace("{i}", str(i)) for line in KEYGEN_KINDS[kind]]
    _write(root / "templates" / "secret.yaml", "\n".join(lines) + "\n")
    return root
