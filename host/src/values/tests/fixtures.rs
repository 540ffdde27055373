// Generated: the expected values are `toJson .Values` from Helm v4.1.4 rendering each fixture.
struct Fixture { name: &'static str, files: &'static [(&'static str, &'static str)], args: &'static [&'static str], want: &'static str }
const FIXTURES: &[Fixture] = &[
    Fixture { name: "conditions_tags_aliases_imports", files: &[(r#"Chart.yaml"#, r#"apiVersion: v2
name: parent
version: 1.0.0
dependencies:
- name: sub
  version: ~1.2.0
  repository: file://charts/sub
  alias: first
  condition: first.enabled,global.subEnabled
  import-values:
  - data
  - child: exports.data
    parent: imported.deep
- name: sub
  version: ">=1.0.0"
  repository: file://charts/sub
  alias: second
  tags: [t1]
- name: sub
  version: "1.x"
  repository: file://charts/sub
  alias: third
  tags: [t2]
- name: lib
  version: 0.1.0
  repository: file://charts/lib
- name: other
  version: 0.1.0
  repository: file://charts/other
  condition: other.enabled
"#), (r#"values.yaml"#, r#"tags:
  t1: true
  t2: false
global:
  g: 1
  nested:
    a: 1
first:
  x: 1
other:
  enabled: false
data:
  e: 100
"#), (r#"templates/v.yaml"#, r#"v: {{ toJson .Values }}
"#), (r#"charts/sub/Chart.yaml"#, r#"apiVersion: v2
name: sub
version: 1.2.3
"#), (r#"charts/sub/values.yaml"#, r#"x: 0
y: 2
enabled: true
global:
  nested:
    b: 2
  s: sub
exports:
  data:
    e: 1
    f: 2
"#), (r#"charts/sub/templates/s.yaml"#, r#"s: {{ toJson .Values }}
"#), (r#"charts/lib/Chart.yaml"#, r#"apiVersion: v2
name: lib
version: 0.1.0
type: library
"#), (r#"charts/lib/values.yaml"#, r#"libval: 1
"#), (r#"charts/lib/templates/_h.tpl"#, r#"{{- define "lib.x" -}}x{{- end -}}
"#), (r#"charts/other/Chart.yaml"#, r#"apiVersion: v2
name: other
version: 0.1.0
"#), (r#"charts/other/values.yaml"#, r#"o: 1
"#)], args: &[r#"--set"#, r#"global.subEnabled=false,first.enabled=true"#, r#"--set"#, r#"second.y=null"#], want: r#"{"data":{"e":100},"e":1,"f":2,"first":{"enabled":true,"exports":{"data":{"e":1,"f":2}},"global":{"g":1,"nested":{"a":1,"b":2},"s":"sub","subEnabled":false},"true":2,"x":1},"global":{"g":1,"nested":{"a":1},"subEnabled":false},"imported":{"deep":{"e":1,"f":2}},"lib":{"global":{"g":1,"nested":{"a":1},"subEnabled":false},"libval":1},"other":{"enabled":false},"second":{"enabled":true,"exports":{"data":{"e":1,"f":2}},"global":{"g":1,"nested":{"a":1,"b":2},"s":"sub","subEnabled":false},"true":2,"x":0,"y":null},"tags":{"t1":true,"t2":false}}"# },
    Fixture { name: "null_deletes_and_nested", files: &[(r#"Chart.yaml"#, r#"apiVersion: v2
name: top
version: 0.1.0
dependencies:
- name: mid
  version: 0.1.0
  repository: file://charts/mid
"#), (r#"values.yaml"#, r#"a:
  b: 1
  c: 2
  d:
    e: 1
keep: {x: 1}
mid:
  m2: null
  low:
    enabled: true
    l1: top
"#), (r#"templates/v.yaml"#, r#"v: {{ toJson .Values }}
"#), (r#"charts/mid/Chart.yaml"#, r#"apiVersion: v2
name: mid
version: 0.1.0
dependencies:
- name: low
  version: 0.1.0
  repository: file://charts/low
  condition: low.enabled
"#), (r#"charts/mid/values.yaml"#, r#"m1: 1
m2: 2
low:
  enabled: false
  l2: mid
"#), (r#"charts/mid/charts/low/Chart.yaml"#, r#"apiVersion: v2
name: low
version: 0.1.0
"#), (r#"charts/mid/charts/low/values.yaml"#, r#"l1: low
l2: low
l3: low
list: [1, 2]
"#)], args: &[r#"--set"#, r#"a.b=null,a.d=null,new=null"#, r#"--set-string"#, r#"mid.low.l3=3"#], want: r#"{"a":{"c":2},"keep":{"x":1},"mid":{"global":{},"low":{"enabled":true,"global":{},"l1":"top","l2":"mid","l3":"3","list":[1,2]},"m1":1},"new":null}"# },
    Fixture { name: "requirements_v1", files: &[(r#"Chart.yaml"#, r#"apiVersion: v1
name: old
version: 0.1.0
"#), (r#"requirements.yaml"#, r#"dependencies:
- name: dep
  version: 0.1.0
  repository: file://charts/dep
  condition: dep.on
"#), (r#"values.yaml"#, r#"dep:
  on: false
x: 1
"#), (r#"templates/v.yaml"#, r#"v: {{ toJson .Values }}
"#), (r#"charts/dep/Chart.yaml"#, r#"apiVersion: v1
name: dep
version: 0.1.0
"#), (r#"charts/dep/values.yaml"#, r#"d: 1
"#)], args: &[r#"--set"#, r#"dep.on=true"#], want: r#"{"dep":{"d":1,"global":{},"on":true,"true":false},"x":1}"# },
    Fixture { name: "global_tables_shared_like_go", files: &[(r#"Chart.yaml"#, r#"apiVersion: v2
name: gl
version: 0.1.0
dependencies:
- name: s1
  version: 0.1.0
  repository: file://x
- name: s2
  version: 0.1.0
  repository: file://x
"#), (r#"values.yaml"#, r#"global:
  a:
    b:
      c: 1
    x: 1
"#), (r#"templates/v.yaml"#, r#"v: {{ toJson .Values }}
"#), (r#"charts/s1/Chart.yaml"#, r#"apiVersion: v2
name: s1
version: 0.1.0
"#), (r#"charts/s1/values.yaml"#, r#"global:
  a:
    b:
      d: 2
    y: 2
"#), (r#"charts/s2/Chart.yaml"#, r#"apiVersion: v2
name: s2
version: 0.1.0
"#)], args: &[r#"--set"#, r#"global.a.b.e=3"#], want: r#"{"global":{"a":{"b":{"c":1,"d":2,"e":3},"x":1}},"s1":{"global":{"a":{"b":{"c":1,"d":2,"e":3},"true":2,"x":1}}},"s2":{"global":{"a":{"b":{"c":1,"d":2,"e":3},"x":1}}}}"# },
];
