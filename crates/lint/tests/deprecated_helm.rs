//! `helm_warning` against what Helm v4.1.4's `helm lint --kube-version X` printed for a chart
//! with one template per (apiVersion, kind): every type that can warn, plus some that cannot.

use rudder_lint::KubeVersion;
use rudder_lint::deprecated::{HELM_DEFAULT_KUBE_VERSION, HELM_DEPRECATED, helm_warning};

/// The targets Helm was run at, in the order of the flags in [`GOLDEN`].
const TARGETS: [(u32, u32); 11] = [
    (1, 35),
    (1, 33),
    (1, 32),
    (1, 22),
    (1, 21),
    (1, 16),
    (1, 8),
    (1, 7),
    (0, 0),
    (0, 5),
    (2, 0),
];

/// apiVersion, kind, `Y` where Helm warned at the matching target, the warning.
#[rustfmt::skip]
const GOLDEN: &[(&str, &str, &str, Option<&str>)] = &[
    ("admissionregistration.k8s.io/v1alpha1", "ValidatingAdmissionPolicy", "YYY.....Y.Y", Some("admissionregistration.k8s.io/v1alpha1 ValidatingAdmissionPolicy is deprecated in v1.29+, unavailable in v1.32+")),
    ("admissionregistration.k8s.io/v1alpha1", "ValidatingAdmissionPolicyList", "YYY.....Y.Y", Some("admissionregistration.k8s.io/v1alpha1 ValidatingAdmissionPolicyList is deprecated in v1.29+, unavailable in v1.32+")),
    ("admissionregistration.k8s.io/v1alpha1", "ValidatingAdmissionPolicyBinding", "YYY.....Y.Y", Some("admissionregistration.k8s.io/v1alpha1 ValidatingAdmissionPolicyBinding is deprecated in v1.29+, unavailable in v1.32+")),
    ("admissionregistration.k8s.io/v1alpha1", "ValidatingAdmissionPolicyBindingList", "YYY.....Y.Y", Some("admissionregistration.k8s.io/v1alpha1 ValidatingAdmissionPolicyBindingList is deprecated in v1.29+, unavailable in v1.32+")),
    ("admissionregistration.k8s.io/v1alpha1", "MutatingAdmissionPolicy", "Y.......Y.Y", Some("admissionregistration.k8s.io/v1alpha1 MutatingAdmissionPolicy is deprecated in v1.35+, unavailable in v1.38+")),
    ("admissionregistration.k8s.io/v1alpha1", "MutatingAdmissionPolicyList", "Y.......Y.Y", Some("admissionregistration.k8s.io/v1alpha1 MutatingAdmissionPolicyList is deprecated in v1.35+, unavailable in v1.38+")),
    ("admissionregistration.k8s.io/v1alpha1", "MutatingAdmissionPolicyBinding", "Y.......Y.Y", Some("admissionregistration.k8s.io/v1alpha1 MutatingAdmissionPolicyBinding is deprecated in v1.35+, unavailable in v1.38+")),
    ("admissionregistration.k8s.io/v1alpha1", "MutatingAdmissionPolicyBindingList", "Y.......Y.Y", Some("admissionregistration.k8s.io/v1alpha1 MutatingAdmissionPolicyBindingList is deprecated in v1.35+, unavailable in v1.38+")),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", "YYYYYY..Y.Y", Some("admissionregistration.k8s.io/v1beta1 ValidatingWebhookConfiguration is deprecated in v1.16+, unavailable in v1.22+; use admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration")),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfigurationList", "YYYYYY..Y.Y", Some("admissionregistration.k8s.io/v1beta1 ValidatingWebhookConfigurationList is deprecated in v1.16+, unavailable in v1.22+; use admissionregistration.k8s.io/v1 ValidatingWebhookConfigurationList")),
    ("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration", "YYYYYY..Y.Y", Some("admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration is deprecated in v1.16+, unavailable in v1.22+; use admissionregistration.k8s.io/v1 MutatingWebhookConfiguration")),
    ("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfigurationList", "YYYYYY..Y.Y", Some("admissionregistration.k8s.io/v1beta1 MutatingWebhookConfigurationList is deprecated in v1.16+, unavailable in v1.22+; use admissionregistration.k8s.io/v1 MutatingWebhookConfigurationList")),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicy", "YYY.....Y.Y", Some("admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicy is deprecated in v1.31+, unavailable in v1.34+")),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicyList", "YYY.....Y.Y", Some("admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicyList is deprecated in v1.31+, unavailable in v1.34+")),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicyBinding", "YYY.....Y.Y", Some("admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicyBinding is deprecated in v1.31+, unavailable in v1.34+")),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicyBindingList", "YYY.....Y.Y", Some("admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicyBindingList is deprecated in v1.31+, unavailable in v1.34+")),
    ("admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicy", "........Y.Y", Some("admissionregistration.k8s.io/v1beta1 MutatingAdmissionPolicy is deprecated in v1.37+, unavailable in v1.40+")),
    ("admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicyList", "........Y.Y", Some("admissionregistration.k8s.io/v1beta1 MutatingAdmissionPolicyList is deprecated in v1.37+, unavailable in v1.40+")),
    ("admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicyBinding", "........Y.Y", Some("admissionregistration.k8s.io/v1beta1 MutatingAdmissionPolicyBinding is deprecated in v1.37+, unavailable in v1.40+")),
    ("admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicyBindingList", "........Y.Y", Some("admissionregistration.k8s.io/v1beta1 MutatingAdmissionPolicyBindingList is deprecated in v1.37+, unavailable in v1.40+")),
    ("apps/v1beta1", "Deployment", "YYYYYYY.Y.Y", Some("apps/v1beta1 Deployment is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 Deployment")),
    ("apps/v1beta1", "DeploymentList", "YYYYYYY.Y.Y", Some("apps/v1beta1 DeploymentList is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 DeploymentList")),
    ("apps/v1beta1", "DeploymentRollback", "YYYYYYY.Y.Y", Some("apps/v1beta1 DeploymentRollback is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 DeploymentRollback")),
    ("apps/v1beta1", "Scale", "YYYYYYY.Y.Y", Some("apps/v1beta1 Scale is deprecated in v1.8+, unavailable in v1.16+; use autoscaling/v1 Scale")),
    ("apps/v1beta1", "StatefulSet", "YYYYYYY.Y.Y", Some("apps/v1beta1 StatefulSet is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 StatefulSet")),
    ("apps/v1beta1", "StatefulSetList", "YYYYYYY.Y.Y", Some("apps/v1beta1 StatefulSetList is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 StatefulSetList")),
    ("apps/v1beta1", "ControllerRevision", "YYYYYYY.Y.Y", Some("apps/v1beta1 ControllerRevision is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 ControllerRevision")),
    ("apps/v1beta1", "ControllerRevisionList", "YYYYYYY.Y.Y", Some("apps/v1beta1 ControllerRevisionList is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 ControllerRevisionList")),
    ("apps/v1beta2", "Deployment", "YYYYYY..Y.Y", Some("apps/v1beta2 Deployment is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 Deployment")),
    ("apps/v1beta2", "DeploymentList", "YYYYYY..Y.Y", Some("apps/v1beta2 DeploymentList is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 DeploymentList")),
    ("apps/v1beta2", "Scale", "YYYYYY..Y.Y", Some("apps/v1beta2 Scale is deprecated in v1.9+, unavailable in v1.16+; use autoscaling/v1 Scale")),
    ("apps/v1beta2", "StatefulSet", "YYYYYY..Y.Y", Some("apps/v1beta2 StatefulSet is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 StatefulSet")),
    ("apps/v1beta2", "StatefulSetList", "YYYYYY..Y.Y", Some("apps/v1beta2 StatefulSetList is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 StatefulSetList")),
    ("apps/v1beta2", "DaemonSet", "YYYYYY..Y.Y", Some("apps/v1beta2 DaemonSet is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 DaemonSet")),
    ("apps/v1beta2", "DaemonSetList", "YYYYYY..Y.Y", Some("apps/v1beta2 DaemonSetList is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 DaemonSetList")),
    ("apps/v1beta2", "ReplicaSet", "YYYYYY..Y.Y", Some("apps/v1beta2 ReplicaSet is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 ReplicaSet")),
    ("apps/v1beta2", "ReplicaSetList", "YYYYYY..Y.Y", Some("apps/v1beta2 ReplicaSetList is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 ReplicaSetList")),
    ("apps/v1beta2", "ControllerRevision", "YYYYYY..Y.Y", Some("apps/v1beta2 ControllerRevision is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 ControllerRevision")),
    ("apps/v1beta2", "ControllerRevisionList", "YYYYYY..Y.Y", Some("apps/v1beta2 ControllerRevisionList is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 ControllerRevisionList")),
    ("authentication.k8s.io/v1alpha1", "SelfSubjectReview", "YYY.....Y.Y", Some("authentication.k8s.io/v1alpha1 SelfSubjectReview is deprecated in v1.29+, unavailable in v1.32+")),
    ("authentication.k8s.io/v1beta1", "SelfSubjectReview", "YYY.....Y.Y", Some("authentication.k8s.io/v1beta1 SelfSubjectReview is deprecated in v1.30+, unavailable in v1.33+")),
    ("authentication.k8s.io/v1beta1", "TokenReview", "YYYYY...Y.Y", Some("authentication.k8s.io/v1beta1 TokenReview is deprecated in v1.19+, unavailable in v1.22+; use authentication.k8s.io/v1 TokenReview")),
    ("authorization.k8s.io/v1beta1", "SelfSubjectRulesReview", "YYYYY...Y.Y", Some("authorization.k8s.io/v1beta1 SelfSubjectRulesReview is deprecated in v1.19+, unavailable in v1.22+; use authorization.k8s.io/v1 SelfSubjectRulesReview")),
    ("authorization.k8s.io/v1beta1", "SelfSubjectAccessReview", "YYYYY...Y.Y", Some("authorization.k8s.io/v1beta1 SelfSubjectAccessReview is deprecated in v1.19+, unavailable in v1.22+; use authorization.k8s.io/v1 SelfSubjectAccessReview")),
    ("authorization.k8s.io/v1beta1", "SubjectAccessReview", "YYYYY...Y.Y", Some("authorization.k8s.io/v1beta1 SubjectAccessReview is deprecated in v1.19+, unavailable in v1.22+; use authorization.k8s.io/v1 SubjectAccessReview")),
    ("authorization.k8s.io/v1beta1", "LocalSubjectAccessReview", "YYYYY...Y.Y", Some("authorization.k8s.io/v1beta1 LocalSubjectAccessReview is deprecated in v1.19+, unavailable in v1.22+; use authorization.k8s.io/v1 LocalSubjectAccessReview")),
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler", "YYYY....Y.Y", Some("autoscaling/v2beta1 HorizontalPodAutoscaler is deprecated in v1.22+, unavailable in v1.25+; use autoscaling/v2 HorizontalPodAutoscaler")),
    ("autoscaling/v2beta1", "HorizontalPodAutoscalerList", "YYYY....Y.Y", Some("autoscaling/v2beta1 HorizontalPodAutoscalerList is deprecated in v1.22+, unavailable in v1.25+; use autoscaling/v2beta2 HorizontalPodAutoscalerList")),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler", "YYY.....Y.Y", Some("autoscaling/v2beta2 HorizontalPodAutoscaler is deprecated in v1.23+, unavailable in v1.26+; use autoscaling/v2 HorizontalPodAutoscaler")),
    ("autoscaling/v2beta2", "HorizontalPodAutoscalerList", "YYYY....Y.Y", Some("autoscaling/v2beta2 HorizontalPodAutoscalerList is deprecated in v1.22+, unavailable in v1.25+")),
    ("batch/v1beta1", "CronJob", "YYYYY...Y.Y", Some("batch/v1beta1 CronJob is deprecated in v1.21+, unavailable in v1.25+; use batch/v1 CronJob")),
    ("batch/v1beta1", "CronJobList", "YYYYY...Y.Y", Some("batch/v1beta1 CronJobList is deprecated in v1.21+, unavailable in v1.25+; use batch/v1 CronJobList")),
    ("certificates.k8s.io/v1alpha1", "ClusterTrustBundle", "Y.......Y.Y", Some("certificates.k8s.io/v1alpha1 ClusterTrustBundle is deprecated in v1.34+, unavailable in v1.37+")),
    ("certificates.k8s.io/v1alpha1", "ClusterTrustBundleList", "Y.......Y.Y", Some("certificates.k8s.io/v1alpha1 ClusterTrustBundleList is deprecated in v1.34+, unavailable in v1.37+")),
    ("certificates.k8s.io/v1beta1", "CertificateSigningRequest", "YYYYY...Y.Y", Some("certificates.k8s.io/v1beta1 CertificateSigningRequest is deprecated in v1.19+, unavailable in v1.22+; use certificates.k8s.io/v1 CertificateSigningRequest")),
    ("certificates.k8s.io/v1beta1", "CertificateSigningRequestList", "YYYYY...Y.Y", Some("certificates.k8s.io/v1beta1 CertificateSigningRequestList is deprecated in v1.19+, unavailable in v1.22+; use certificates.k8s.io/v1 CertificateSigningRequestList")),
    ("certificates.k8s.io/v1beta1", "ClusterTrustBundle", "........Y.Y", Some("certificates.k8s.io/v1beta1 ClusterTrustBundle is deprecated in v1.36+, unavailable in v1.39+")),
    ("certificates.k8s.io/v1beta1", "ClusterTrustBundleList", "........Y.Y", Some("certificates.k8s.io/v1beta1 ClusterTrustBundleList is deprecated in v1.36+, unavailable in v1.39+")),
    ("certificates.k8s.io/v1beta1", "PodCertificateRequest", "........Y.Y", Some("certificates.k8s.io/v1beta1 PodCertificateRequest is deprecated in v1.38+, unavailable in v1.41+")),
    ("certificates.k8s.io/v1beta1", "PodCertificateRequestList", "........Y.Y", Some("certificates.k8s.io/v1beta1 PodCertificateRequestList is deprecated in v1.38+, unavailable in v1.41+")),
    ("coordination.k8s.io/v1alpha2", "LeaseCandidate", "Y.......Y.Y", Some("coordination.k8s.io/v1alpha2 LeaseCandidate is deprecated in v1.35+, unavailable in v1.38+")),
    ("coordination.k8s.io/v1alpha2", "LeaseCandidateList", "Y.......Y.Y", Some("coordination.k8s.io/v1alpha2 LeaseCandidateList is deprecated in v1.35+, unavailable in v1.38+")),
    ("coordination.k8s.io/v1beta1", "Lease", "YYYYY...Y.Y", Some("coordination.k8s.io/v1beta1 Lease is deprecated in v1.19+, unavailable in v1.22+; use coordination.k8s.io/v1 Lease")),
    ("coordination.k8s.io/v1beta1", "LeaseList", "YYYYY...Y.Y", Some("coordination.k8s.io/v1beta1 LeaseList is deprecated in v1.19+, unavailable in v1.22+; use coordination.k8s.io/v1 LeaseList")),
    ("coordination.k8s.io/v1beta1", "LeaseCandidate", "........Y.Y", Some("coordination.k8s.io/v1beta1 LeaseCandidate is deprecated in v1.36+, unavailable in v1.39+")),
    ("coordination.k8s.io/v1beta1", "LeaseCandidateList", "........Y.Y", Some("coordination.k8s.io/v1beta1 LeaseCandidateList is deprecated in v1.36+, unavailable in v1.39+")),
    ("v1", "Endpoints", "YY......Y.Y", Some("v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice")),
    ("v1", "EndpointsList", "YY......Y.Y", Some("v1 EndpointsList is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSliceList")),
    ("v1", "ComponentStatus", "YYYYY...Y.Y", Some("v1 ComponentStatus is deprecated in v1.19+")),
    ("v1", "ComponentStatusList", "YYYYY...Y.Y", Some("v1 ComponentStatusList is deprecated in v1.19+")),
    ("discovery.k8s.io/v1beta1", "EndpointSlice", "YYYYY...Y.Y", Some("discovery.k8s.io/v1beta1 EndpointSlice is deprecated in v1.21+, unavailable in v1.25+; use discovery.k8s.io/v1 EndpointSlice")),
    ("discovery.k8s.io/v1beta1", "EndpointSliceList", "YYYYY...Y.Y", Some("discovery.k8s.io/v1beta1 EndpointSliceList is deprecated in v1.21+, unavailable in v1.25+; use discovery.k8s.io/v1 EndpointSlice")),
    ("events.k8s.io/v1beta1", "Event", "YYYY....Y.Y", Some("events.k8s.io/v1beta1 Event is deprecated in v1.22+, unavailable in v1.25+")),
    ("events.k8s.io/v1beta1", "EventList", "YYYY....Y.Y", Some("events.k8s.io/v1beta1 EventList is deprecated in v1.22+, unavailable in v1.25+")),
    ("extensions/v1beta1", "Deployment", "YYYYYYY.Y.Y", Some("extensions/v1beta1 Deployment is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 Deployment")),
    ("extensions/v1beta1", "DeploymentList", "YYYYYYY.Y.Y", Some("extensions/v1beta1 DeploymentList is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 DeploymentList")),
    ("extensions/v1beta1", "DeploymentRollback", "YYYYYYY.Y.Y", Some("extensions/v1beta1 DeploymentRollback is deprecated in v1.8+, unavailable in v1.16+")),
    ("extensions/v1beta1", "Scale", "YYYYYYYYY.Y", Some("extensions/v1beta1 Scale is deprecated in v1.2+, unavailable in v1.16+")),
    ("extensions/v1beta1", "DaemonSetList", "YYYYYYY.Y.Y", Some("extensions/v1beta1 DaemonSetList is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 DaemonSetList")),
    ("extensions/v1beta1", "DaemonSet", "YYYYYYY.Y.Y", Some("extensions/v1beta1 DaemonSet is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 DaemonSet")),
    ("extensions/v1beta1", "Ingress", "YYYYYY..Y.Y", Some("extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+; use networking.k8s.io/v1 Ingress")),
    ("extensions/v1beta1", "IngressList", "YYYYYY..Y.Y", Some("extensions/v1beta1 IngressList is deprecated in v1.14+, unavailable in v1.22+; use networking.k8s.io/v1 IngressList")),
    ("extensions/v1beta1", "ReplicaSet", "YYYYYYY.Y.Y", Some("extensions/v1beta1 ReplicaSet is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 ReplicaSet")),
    ("extensions/v1beta1", "ReplicaSetList", "YYYYYYY.Y.Y", Some("extensions/v1beta1 ReplicaSetList is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 ReplicaSetList")),
    ("extensions/v1beta1", "NetworkPolicy", "YYYYYY..Y.Y", Some("extensions/v1beta1 NetworkPolicy is deprecated in v1.9+, unavailable in v1.16+; use networking.k8s.io/v1 NetworkPolicy")),
    ("extensions/v1beta1", "NetworkPolicyList", "YYYYYY..Y.Y", Some("extensions/v1beta1 NetworkPolicyList is deprecated in v1.9+, unavailable in v1.16+; use networking.k8s.io/v1 NetworkPolicyList")),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", "YYY.....Y.Y", Some("flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema is deprecated in v1.23+, unavailable in v1.26+; use flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema")),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchemaList", "YYY.....Y.Y", Some("flowcontrol.apiserver.k8s.io/v1beta1 FlowSchemaList is deprecated in v1.23+, unavailable in v1.26+; use flowcontrol.apiserver.k8s.io/v1beta3 FlowSchemaList")),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration", "YYY.....Y.Y", Some("flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfiguration is deprecated in v1.23+, unavailable in v1.26+; use flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration")),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfigurationList", "YYY.....Y.Y", Some("flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfigurationList is deprecated in v1.23+, unavailable in v1.26+; use flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfigurationList")),
    ("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", "YYY.....Y.Y", Some("flowcontrol.apiserver.k8s.io/v1beta2 FlowSchema is deprecated in v1.26+, unavailable in v1.29+; use flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema")),
    ("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchemaList", "YYY.....Y.Y", Some("flowcontrol.apiserver.k8s.io/v1beta2 FlowSchemaList is deprecated in v1.26+, unavailable in v1.29+; use flowcontrol.apiserver.k8s.io/v1beta3 FlowSchemaList")),
    ("flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration", "YYY.....Y.Y", Some("flowcontrol.apiserver.k8s.io/v1beta2 PriorityLevelConfiguration is deprecated in v1.26+, unavailable in v1.29+; use flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration")),
    ("flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfigurationList", "YYY.....Y.Y", Some("flowcontrol.apiserver.k8s.io/v1beta2 PriorityLevelConfigurationList is deprecated in v1.26+, unavailable in v1.29+; use flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfigurationList")),
    ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", "YYY.....Y.Y", Some("flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema is deprecated in v1.29+, unavailable in v1.32+; use flowcontrol.apiserver.k8s.io/v1 FlowSchema")),
    ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchemaList", "YYY.....Y.Y", Some("flowcontrol.apiserver.k8s.io/v1beta3 FlowSchemaList is deprecated in v1.29+, unavailable in v1.32+; use flowcontrol.apiserver.k8s.io/v1 FlowSchemaList")),
    ("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration", "YYY.....Y.Y", Some("flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration is deprecated in v1.29+, unavailable in v1.32+; use flowcontrol.apiserver.k8s.io/v1 PriorityLevelConfiguration")),
    ("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfigurationList", "YYY.....Y.Y", Some("flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfigurationList is deprecated in v1.29+, unavailable in v1.32+; use flowcontrol.apiserver.k8s.io/v1 PriorityLevelConfigurationList")),
    ("networking.k8s.io/v1beta1", "Ingress", "YYYYY...Y.Y", Some("networking.k8s.io/v1beta1 Ingress is deprecated in v1.19+, unavailable in v1.22+; use networking.k8s.io/v1 Ingress")),
    ("networking.k8s.io/v1beta1", "IngressList", "YYYYY...Y.Y", Some("networking.k8s.io/v1beta1 IngressList is deprecated in v1.19+, unavailable in v1.22+; use networking.k8s.io/v1 IngressList")),
    ("networking.k8s.io/v1beta1", "IngressClass", "YYYYY...Y.Y", Some("networking.k8s.io/v1beta1 IngressClass is deprecated in v1.19+, unavailable in v1.22+; use networking.k8s.io/v1 IngressClassList")),
    ("networking.k8s.io/v1beta1", "IngressClassList", "YYYYY...Y.Y", Some("networking.k8s.io/v1beta1 IngressClassList is deprecated in v1.19+, unavailable in v1.22+; use networking.k8s.io/v1 IngressClassList")),
    ("networking.k8s.io/v1beta1", "IPAddress", "Y.......Y.Y", Some("networking.k8s.io/v1beta1 IPAddress is deprecated in v1.34+, unavailable in v1.37+")),
    ("networking.k8s.io/v1beta1", "IPAddressList", "Y.......Y.Y", Some("networking.k8s.io/v1beta1 IPAddressList is deprecated in v1.34+, unavailable in v1.37+")),
    ("networking.k8s.io/v1beta1", "ServiceCIDR", "Y.......Y.Y", Some("networking.k8s.io/v1beta1 ServiceCIDR is deprecated in v1.34+, unavailable in v1.37+")),
    ("networking.k8s.io/v1beta1", "ServiceCIDRList", "Y.......Y.Y", Some("networking.k8s.io/v1beta1 ServiceCIDRList is deprecated in v1.34+, unavailable in v1.37+")),
    ("node.k8s.io/v1beta1", "RuntimeClass", "YYYY....Y.Y", Some("node.k8s.io/v1beta1 RuntimeClass is deprecated in v1.22+, unavailable in v1.25+")),
    ("node.k8s.io/v1beta1", "RuntimeClassList", "YYYY....Y.Y", Some("node.k8s.io/v1beta1 RuntimeClassList is deprecated in v1.22+, unavailable in v1.25+")),
    ("policy/v1beta1", "PodDisruptionBudget", "YYYYY...Y.Y", Some("policy/v1beta1 PodDisruptionBudget is deprecated in v1.21+, unavailable in v1.25+; use policy/v1 PodDisruptionBudget")),
    ("policy/v1beta1", "PodDisruptionBudgetList", "YYYYY...Y.Y", Some("policy/v1beta1 PodDisruptionBudgetList is deprecated in v1.21+, unavailable in v1.25+; use policy/v1 PodDisruptionBudgetList")),
    ("policy/v1beta1", "Eviction", "YYYY....Y.Y", Some("policy/v1beta1 Eviction is deprecated in v1.22+, unavailable in v1.25+")),
    ("rbac.authorization.k8s.io/v1beta1", "Role", "YYYYY...Y.Y", Some("rbac.authorization.k8s.io/v1beta1 Role is deprecated in v1.17+, unavailable in v1.22+; use rbac.authorization.k8s.io/v1 Role")),
    ("rbac.authorization.k8s.io/v1beta1", "RoleBinding", "YYYYY...Y.Y", Some("rbac.authorization.k8s.io/v1beta1 RoleBinding is deprecated in v1.17+, unavailable in v1.22+; use rbac.authorization.k8s.io/v1 RoleBinding")),
    ("rbac.authorization.k8s.io/v1beta1", "RoleBindingList", "YYYYY...Y.Y", Some("rbac.authorization.k8s.io/v1beta1 RoleBindingList is deprecated in v1.17+, unavailable in v1.22+; use rbac.authorization.k8s.io/v1 RoleBindingList")),
    ("rbac.authorization.k8s.io/v1beta1", "RoleList", "YYYYY...Y.Y", Some("rbac.authorization.k8s.io/v1beta1 RoleList is deprecated in v1.17+, unavailable in v1.22+; use rbac.authorization.k8s.io/v1 RoleList")),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRole", "YYYYY...Y.Y", Some("rbac.authorization.k8s.io/v1beta1 ClusterRole is deprecated in v1.17+, unavailable in v1.22+; use rbac.authorization.k8s.io/v1 ClusterRole")),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", "YYYYY...Y.Y", Some("rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding is deprecated in v1.17+, unavailable in v1.22+; use rbac.authorization.k8s.io/v1 ClusterRoleBinding")),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBindingList", "YYYYY...Y.Y", Some("rbac.authorization.k8s.io/v1beta1 ClusterRoleBindingList is deprecated in v1.17+, unavailable in v1.22+; use rbac.authorization.k8s.io/v1 ClusterRoleBindingList")),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRoleList", "YYYYY...Y.Y", Some("rbac.authorization.k8s.io/v1beta1 ClusterRoleList is deprecated in v1.17+, unavailable in v1.22+; use rbac.authorization.k8s.io/v1 ClusterRoleList")),
    ("resource.k8s.io/v1alpha3", "DeviceTaintRule", "........Y.Y", Some("resource.k8s.io/v1alpha3 DeviceTaintRule is deprecated in v1.36+, unavailable in v1.39+")),
    ("resource.k8s.io/v1alpha3", "DeviceTaintRuleList", "........Y.Y", Some("resource.k8s.io/v1alpha3 DeviceTaintRuleList is deprecated in v1.36+, unavailable in v1.39+")),
    ("resource.k8s.io/v1beta1", "DeviceClass", "Y.......Y.Y", Some("resource.k8s.io/v1beta1 DeviceClass is deprecated in v1.35+, unavailable in v1.38+")),
    ("resource.k8s.io/v1beta1", "DeviceClassList", "Y.......Y.Y", Some("resource.k8s.io/v1beta1 DeviceClassList is deprecated in v1.35+, unavailable in v1.38+")),
    ("resource.k8s.io/v1beta1", "ResourceClaim", "Y.......Y.Y", Some("resource.k8s.io/v1beta1 ResourceClaim is deprecated in v1.35+, unavailable in v1.38+")),
    ("resource.k8s.io/v1beta1", "ResourceClaimList", "Y.......Y.Y", Some("resource.k8s.io/v1beta1 ResourceClaimList is deprecated in v1.35+, unavailable in v1.38+")),
    ("resource.k8s.io/v1beta1", "ResourceClaimTemplate", "Y.......Y.Y", Some("resource.k8s.io/v1beta1 ResourceClaimTemplate is deprecated in v1.35+, unavailable in v1.38+")),
    ("resource.k8s.io/v1beta1", "ResourceClaimTemplateList", "Y.......Y.Y", Some("resource.k8s.io/v1beta1 ResourceClaimTemplateList is deprecated in v1.35+, unavailable in v1.38+")),
    ("resource.k8s.io/v1beta1", "ResourceSlice", "Y.......Y.Y", Some("resource.k8s.io/v1beta1 ResourceSlice is deprecated in v1.35+, unavailable in v1.38+")),
    ("resource.k8s.io/v1beta1", "ResourceSliceList", "Y.......Y.Y", Some("resource.k8s.io/v1beta1 ResourceSliceList is deprecated in v1.35+, unavailable in v1.38+")),
    ("resource.k8s.io/v1beta2", "DeviceClass", "........Y.Y", Some("resource.k8s.io/v1beta2 DeviceClass is deprecated in v1.36+, unavailable in v1.39+")),
    ("resource.k8s.io/v1beta2", "DeviceClassList", "........Y.Y", Some("resource.k8s.io/v1beta2 DeviceClassList is deprecated in v1.36+, unavailable in v1.39+")),
    ("resource.k8s.io/v1beta2", "ResourceClaim", "........Y.Y", Some("resource.k8s.io/v1beta2 ResourceClaim is deprecated in v1.36+, unavailable in v1.39+")),
    ("resource.k8s.io/v1beta2", "ResourceClaimList", "........Y.Y", Some("resource.k8s.io/v1beta2 ResourceClaimList is deprecated in v1.36+, unavailable in v1.39+")),
    ("resource.k8s.io/v1beta2", "ResourceClaimTemplate", "........Y.Y", Some("resource.k8s.io/v1beta2 ResourceClaimTemplate is deprecated in v1.36+, unavailable in v1.39+")),
    ("resource.k8s.io/v1beta2", "ResourceClaimTemplateList", "........Y.Y", Some("resource.k8s.io/v1beta2 ResourceClaimTemplateList is deprecated in v1.36+, unavailable in v1.39+")),
    ("resource.k8s.io/v1beta2", "ResourceSlice", "........Y.Y", Some("resource.k8s.io/v1beta2 ResourceSlice is deprecated in v1.36+, unavailable in v1.39+")),
    ("resource.k8s.io/v1beta2", "ResourceSliceList", "........Y.Y", Some("resource.k8s.io/v1beta2 ResourceSliceList is deprecated in v1.36+, unavailable in v1.39+")),
    ("scheduling.k8s.io/v1beta1", "PriorityClass", "YYYYYY..Y.Y", Some("scheduling.k8s.io/v1beta1 PriorityClass is deprecated in v1.14+, unavailable in v1.22+; use scheduling.k8s.io/v1 PriorityClass")),
    ("scheduling.k8s.io/v1beta1", "PriorityClassList", "YYYYYY..Y.Y", Some("scheduling.k8s.io/v1beta1 PriorityClassList is deprecated in v1.14+, unavailable in v1.22+; use scheduling.k8s.io/v1 PriorityClassList")),
    ("storage.k8s.io/v1alpha1", "VolumeAttachment", "YYYYY...Y.Y", Some("storage.k8s.io/v1alpha1 VolumeAttachment is deprecated in v1.21+, unavailable in v1.24+; use storage.k8s.io/v1 VolumeAttachment")),
    ("storage.k8s.io/v1alpha1", "VolumeAttachmentList", "YYYYY...Y.Y", Some("storage.k8s.io/v1alpha1 VolumeAttachmentList is deprecated in v1.21+, unavailable in v1.24+; use storage.k8s.io/v1 VolumeAttachmentList")),
    ("storage.k8s.io/v1alpha1", "CSIStorageCapacity", "YYYYY...Y.Y", Some("storage.k8s.io/v1alpha1 CSIStorageCapacity is deprecated in v1.21+, unavailable in v1.24+; use storage.k8s.io/v1beta1 CSIStorageCapacity")),
    ("storage.k8s.io/v1alpha1", "CSIStorageCapacityList", "YYYYY...Y.Y", Some("storage.k8s.io/v1alpha1 CSIStorageCapacityList is deprecated in v1.21+, unavailable in v1.24+; use storage.k8s.io/v1beta1 CSIStorageCapacityList")),
    ("storage.k8s.io/v1alpha1", "VolumeAttributesClass", "YYY.....Y.Y", Some("storage.k8s.io/v1alpha1 VolumeAttributesClass is deprecated in v1.32+, unavailable in v1.35+; use storage.k8s.io/v1 VolumeAttributesClass")),
    ("storage.k8s.io/v1alpha1", "VolumeAttributesClassList", "YYY.....Y.Y", Some("storage.k8s.io/v1alpha1 VolumeAttributesClassList is deprecated in v1.32+, unavailable in v1.35+; use storage.k8s.io/v1 VolumeAttributesClassList")),
    ("storage.k8s.io/v1beta1", "StorageClass", "YYYYY...Y.Y", Some("storage.k8s.io/v1beta1 StorageClass is deprecated in v1.19+, unavailable in v1.22+; use storage.k8s.io/v1 StorageClass")),
    ("storage.k8s.io/v1beta1", "StorageClassList", "YYYYY...Y.Y", Some("storage.k8s.io/v1beta1 StorageClassList is deprecated in v1.19+, unavailable in v1.22+; use storage.k8s.io/v1 StorageClassList")),
    ("storage.k8s.io/v1beta1", "VolumeAttachment", "YYYYY...Y.Y", Some("storage.k8s.io/v1beta1 VolumeAttachment is deprecated in v1.19+, unavailable in v1.22+; use storage.k8s.io/v1 VolumeAttachment")),
    ("storage.k8s.io/v1beta1", "VolumeAttachmentList", "YYYYY...Y.Y", Some("storage.k8s.io/v1beta1 VolumeAttachmentList is deprecated in v1.19+, unavailable in v1.22+; use storage.k8s.io/v1 VolumeAttachmentList")),
    ("storage.k8s.io/v1beta1", "CSIDriver", "YYYYY...Y.Y", Some("storage.k8s.io/v1beta1 CSIDriver is deprecated in v1.19+, unavailable in v1.22+; use storage.k8s.io/v1 CSIDriver")),
    ("storage.k8s.io/v1beta1", "CSIDriverList", "YYYYY...Y.Y", Some("storage.k8s.io/v1beta1 CSIDriverList is deprecated in v1.19+, unavailable in v1.22+; use storage.k8s.io/v1 CSIDriverList")),
    ("storage.k8s.io/v1beta1", "CSINode", "YYYYY...Y.Y", Some("storage.k8s.io/v1beta1 CSINode is deprecated in v1.17+, unavailable in v1.22+; use storage.k8s.io/v1 CSINode")),
    ("storage.k8s.io/v1beta1", "CSINodeList", "YYYYY...Y.Y", Some("storage.k8s.io/v1beta1 CSINodeList is deprecated in v1.17+, unavailable in v1.22+; use storage.k8s.io/v1 CSINode")),
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity", "YYY.....Y.Y", Some("storage.k8s.io/v1beta1 CSIStorageCapacity is deprecated in v1.24+, unavailable in v1.27+; use storage.k8s.io/v1 CSIStorageCapacity")),
    ("storage.k8s.io/v1beta1", "CSIStorageCapacityList", "YYY.....Y.Y", Some("storage.k8s.io/v1beta1 CSIStorageCapacityList is deprecated in v1.24+, unavailable in v1.27+; use storage.k8s.io/v1 CSIStorageCapacityList")),
    ("storage.k8s.io/v1beta1", "VolumeAttributesClass", "Y.......Y.Y", Some("storage.k8s.io/v1beta1 VolumeAttributesClass is deprecated in v1.34+, unavailable in v1.37+; use storage.k8s.io/v1 VolumeAttributesClass")),
    ("storage.k8s.io/v1beta1", "VolumeAttributesClassList", "Y.......Y.Y", Some("storage.k8s.io/v1beta1 VolumeAttributesClassList is deprecated in v1.34+, unavailable in v1.37+; use storage.k8s.io/v1 VolumeAttributesClassList")),
    ("storagemigration.k8s.io/v1beta1", "StorageVersionMigration", "........Y.Y", Some("storagemigration.k8s.io/v1beta1 StorageVersionMigration is deprecated in v1.38+, unavailable in v1.41+")),
    ("storagemigration.k8s.io/v1beta1", "StorageVersionMigrationList", "........Y.Y", Some("storagemigration.k8s.io/v1beta1 StorageVersionMigrationList is deprecated in v1.38+, unavailable in v1.41+")),
    ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", "...........", None),
    ("policy/v1beta1", "PodSecurityPolicy", "...........", None),
    ("rbac.authorization.k8s.io/v1alpha1", "Role", "...........", None),
    ("v1", "List", "...........", None),
    ("apps/v1", "Deployment", "...........", None),
    ("batch/v2alpha1", "CronJob", "...........", None),
    ("extensions/v1beta1", "PodSecurityPolicy", "...........", None),
    ("apiregistration.k8s.io/v1beta1", "APIService", "...........", None),
    ("v1", "Status", "...........", None),
    ("extensions/v1beta1", "Status", "...........", None),
];

#[test]
fn matches_helm_at_every_target() {
    for (api_version, kind, flags, message) in GOLDEN {
        for ((major, minor), flag) in TARGETS.iter().zip(flags.chars()) {
            let target = KubeVersion {
                major: *major,
                minor: *minor,
            };
            let expected = if flag == 'Y' { *message } else { None };
            assert_eq!(
                helm_warning(api_version, kind, target).as_deref(),
                expected,
                "{api_version} {kind} at {target}"
            );
        }
    }
}

#[test]
fn golden_covers_every_type_helm_knows() {
    let known = rudder_lint::deprecated::helm_lifecycles();
    for entry in known {
        assert!(
            GOLDEN
                .iter()
                .any(|(a, k, _, m)| *a == entry.api_version && *k == entry.kind && m.is_some()),
            "{entry:?}"
        );
    }
    assert_eq!(GOLDEN.iter().filter(|g| g.3.is_some()).count(), known.len());
}

#[test]
fn default_target_is_v1_35() {
    assert_eq!(
        HELM_DEFAULT_KUBE_VERSION,
        KubeVersion {
            major: 1,
            minor: 35
        }
    );
    assert_eq!(HELM_DEPRECATED.id, "helm/deprecated-api");
    assert_eq!(HELM_DEPRECATED.severity, rudder_lint::Severity::Warning);
}

#[test]
fn sample_messages() {
    let at = HELM_DEFAULT_KUBE_VERSION;
    assert_eq!(
        helm_warning("extensions/v1beta1", "Ingress", at).as_deref(),
        Some(
            "extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+; use networking.k8s.io/v1 Ingress"
        )
    );
    assert_eq!(
        helm_warning("v1", "Endpoints", at).as_deref(),
        Some("v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice")
    );
    assert_eq!(
        helm_warning("v1", "ComponentStatus", at).as_deref(),
        Some("v1 ComponentStatus is deprecated in v1.19+")
    );
    assert_eq!(
        helm_warning("events.k8s.io/v1beta1", "Event", at).as_deref(),
        Some("events.k8s.io/v1beta1 Event is deprecated in v1.22+, unavailable in v1.25+")
    );
    // Upstream's own replacement for the IngressClass type names the list kind.
    assert_eq!(
        helm_warning("networking.k8s.io/v1beta1", "IngressClass", at).as_deref(),
        Some(
            "networking.k8s.io/v1beta1 IngressClass is deprecated in v1.19+, unavailable in v1.22+; use networking.k8s.io/v1 IngressClassList"
        )
    );
}

#[test]
fn silent_for_types_outside_helms_scheme_or_without_deprecation() {
    let at = HELM_DEFAULT_KUBE_VERSION;
    for (api_version, kind) in [
        ("policy/v1beta1", "PodSecurityPolicy"),
        ("extensions/v1beta1", "PodSecurityPolicy"),
        ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"),
        ("apiregistration.k8s.io/v1beta1", "APIService"),
        ("batch/v2alpha1", "CronJob"),
        ("rbac.authorization.k8s.io/v1alpha1", "Role"),
        ("scheduling.k8s.io/v1alpha1", "PriorityClass"),
        ("apps/v1", "Deployment"),
        ("v1", "List"),
        ("v1", "Status"),
        ("monitoring.coreos.com/v1", "ServiceMonitor"),
        ("extensions/v1beta1", "ingress"),
        ("extensions/v1beta1/x", "Ingress"),
        ("", "Ingress"),
        ("extensions/v1beta1", ""),
    ] {
        assert_eq!(
            helm_warning(api_version, kind, at),
            None,
            "{api_version} {kind}"
        );
    }
}

#[test]
fn empty_group_is_the_core_group() {
    // Helm parses `/v1` as group "" version "v1" and prints it as `v1`.
    assert_eq!(
        helm_warning("/v1", "Endpoints", HELM_DEFAULT_KUBE_VERSION).as_deref(),
        Some("v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice")
    );
}

#[test]
fn boundaries() {
    let at = |major, minor| KubeVersion { major, minor };
    // CronJob: deprecated in 1.21, Helm keeps warning after its removal in 1.25.
    assert_eq!(helm_warning("batch/v1beta1", "CronJob", at(1, 20)), None);
    assert!(helm_warning("batch/v1beta1", "CronJob", at(1, 21)).is_some());
    assert!(helm_warning("batch/v1beta1", "CronJob", at(1, 25)).is_some());
    assert!(helm_warning("batch/v1beta1", "CronJob", at(1, 99)).is_some());
    // Endpoints: deprecated in 1.33.
    assert_eq!(helm_warning("v1", "Endpoints", at(1, 32)), None);
    assert!(helm_warning("v1", "Endpoints", at(1, 33)).is_some());
    // 0.0 means "no version": everything deprecated warns; any other 0.x nothing does.
    assert!(helm_warning("resource.k8s.io/v1beta2", "ResourceClaim", at(0, 0)).is_some());
    assert_eq!(helm_warning("batch/v1beta1", "CronJob", at(0, 30)), None);
    // A later major is past every deprecation.
    assert!(helm_warning("resource.k8s.io/v1beta2", "ResourceClaim", at(2, 0)).is_some());
}
