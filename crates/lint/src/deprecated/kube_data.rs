//! Kubernetes API versions deprecated or no longer served, from v1.16 through v1.35.
//!
//! Release numbers are the ones Kubernetes itself uses: the `prerelease-lifecycle` tags of the
//! k8s.io/api types (which the API server reads to warn about and stop serving a version), the
//! deprecated API migration guide for the groups outside k8s.io/api (`apiextensions.k8s.io`,
//! `apiregistration.k8s.io`), and, for alpha versions dropped without a deprecation period,
//! the first release whose k8s.io/api no longer has the type. Only kinds a chart can contain
//! are listed (no `...List`, `Scale` or other subresource kinds: a typed list is checked through
//! its item kind). Entries whose deprecation is only scheduled after v1.35 are left out.
//!
//! The replacement is the version to move to today: the stable version when there is one
//! (`flowcontrol.apiserver.k8s.io/v1` for every older flow-control version, not the
//! intermediate betas), otherwise the newest served pre-release.

use super::{ApiEntry, Replacement};
use crate::KubeVersion;

const fn v(minor: u32) -> KubeVersion {
    KubeVersion { major: 1, minor }
}

const fn api(api_version: &'static str, kind: &'static str) -> Replacement {
    Replacement::Api { api_version, kind }
}

const NONE: Replacement = Replacement::None;
const PSA: Replacement = Replacement::Other("Pod Security Admission");

/// Deprecated in `dep`, no longer served from `rem`.
const fn gone(
    api_version: &'static str,
    kind: &'static str,
    dep: u32,
    rem: u32,
    replacement: Replacement,
) -> ApiEntry {
    ApiEntry {
        api_version,
        kind,
        deprecated: Some(v(dep)),
        removed: Some(v(rem)),
        replacement,
    }
}

/// An alpha version dropped in `rem` without having been deprecated first.
const fn dropped(
    api_version: &'static str,
    kind: &'static str,
    rem: u32,
    replacement: Replacement,
) -> ApiEntry {
    ApiEntry {
        api_version,
        kind,
        deprecated: None,
        removed: Some(v(rem)),
        replacement,
    }
}

/// Deprecated in `dep`, no removal scheduled.
const fn deprecated(
    api_version: &'static str,
    kind: &'static str,
    dep: u32,
    replacement: Replacement,
) -> ApiEntry {
    ApiEntry {
        api_version,
        kind,
        deprecated: Some(v(dep)),
        removed: None,
        replacement,
    }
}

const AR: &str = "admissionregistration.k8s.io/v1";
const APPS: &str = "apps/v1";
const AUTHN: &str = "authentication.k8s.io/v1";
const AUTHZ: &str = "authorization.k8s.io/v1";
const FC: &str = "flowcontrol.apiserver.k8s.io/v1";
const NET: &str = "networking.k8s.io/v1";
const RBAC: &str = "rbac.authorization.k8s.io/v1";
const RES: &str = "resource.k8s.io/v1";
const STORAGE: &str = "storage.k8s.io/v1";

#[rustfmt::skip]
pub(super) static TABLE: &[ApiEntry] = &[
    // core
    deprecated("v1", "ComponentStatus", 19, NONE),
    deprecated("v1", "Endpoints", 33, api("discovery.k8s.io/v1", "EndpointSlice")),
    // admissionregistration.k8s.io
    gone("admissionregistration.k8s.io/v1alpha1", "MutatingAdmissionPolicy", 35, 38, api("admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicy")),
    gone("admissionregistration.k8s.io/v1alpha1", "MutatingAdmissionPolicyBinding", 35, 38, api("admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicyBinding")),
    gone("admissionregistration.k8s.io/v1alpha1", "ValidatingAdmissionPolicy", 29, 32, api(AR, "ValidatingAdmissionPolicy")),
    gone("admissionregistration.k8s.io/v1alpha1", "ValidatingAdmissionPolicyBinding", 29, 32, api(AR, "ValidatingAdmissionPolicyBinding")),
    gone("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration", 16, 22, api(AR, "MutatingWebhookConfiguration")),
    gone("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicy", 31, 34, api(AR, "ValidatingAdmissionPolicy")),
    gone("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicyBinding", 31, 34, api(AR, "ValidatingAdmissionPolicyBinding")),
    gone("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", 16, 22, api(AR, "ValidatingWebhookConfiguration")),
    // apiextensions.k8s.io, apiregistration.k8s.io
    gone("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", 16, 22, api("apiextensions.k8s.io/v1", "CustomResourceDefinition")),
    gone("apiregistration.k8s.io/v1beta1", "APIService", 19, 22, api("apiregistration.k8s.io/v1", "APIService")),
    // apps
    gone("apps/v1beta1", "ControllerRevision", 8, 16, api(APPS, "ControllerRevision")),
    gone("apps/v1beta1", "Deployment", 8, 16, api(APPS, "Deployment")),
    gone("apps/v1beta1", "ReplicaSet", 8, 16, api(APPS, "ReplicaSet")),
    gone("apps/v1beta1", "StatefulSet", 8, 16, api(APPS, "StatefulSet")),
    gone("apps/v1beta2", "ControllerRevision", 9, 16, api(APPS, "ControllerRevision")),
    gone("apps/v1beta2", "DaemonSet", 9, 16, api(APPS, "DaemonSet")),
    gone("apps/v1beta2", "Deployment", 9, 16, api(APPS, "Deployment")),
    gone("apps/v1beta2", "ReplicaSet", 9, 16, api(APPS, "ReplicaSet")),
    gone("apps/v1beta2", "StatefulSet", 9, 16, api(APPS, "StatefulSet")),
    // auditregistration.k8s.io
    dropped("auditregistration.k8s.io/v1alpha1", "AuditSink", 19, NONE),
    // authentication.k8s.io, authorization.k8s.io
    gone("authentication.k8s.io/v1alpha1", "SelfSubjectReview", 29, 32, api(AUTHN, "SelfSubjectReview")),
    gone("authentication.k8s.io/v1beta1", "SelfSubjectReview", 30, 33, api(AUTHN, "SelfSubjectReview")),
    gone("authentication.k8s.io/v1beta1", "TokenReview", 19, 22, api(AUTHN, "TokenReview")),
    gone("authorization.k8s.io/v1beta1", "LocalSubjectAccessReview", 19, 22, api(AUTHZ, "LocalSubjectAccessReview")),
    gone("authorization.k8s.io/v1beta1", "SelfSubjectAccessReview", 19, 22, api(AUTHZ, "SelfSubjectAccessReview")),
    gone("authorization.k8s.io/v1beta1", "SelfSubjectRulesReview", 19, 22, api(AUTHZ, "SelfSubjectRulesReview")),
    gone("authorization.k8s.io/v1beta1", "SubjectAccessReview", 19, 22, api(AUTHZ, "SubjectAccessReview")),
    // autoscaling
    gone("autoscaling/v2beta1", "HorizontalPodAutoscaler", 22, 25, api("autoscaling/v2", "HorizontalPodAutoscaler")),
    gone("autoscaling/v2beta2", "HorizontalPodAutoscaler", 23, 26, api("autoscaling/v2", "HorizontalPodAutoscaler")),
    // batch
    gone("batch/v1beta1", "CronJob", 21, 25, api("batch/v1", "CronJob")),
    dropped("batch/v2alpha1", "CronJob", 21, api("batch/v1", "CronJob")),
    // certificates.k8s.io
    gone("certificates.k8s.io/v1alpha1", "ClusterTrustBundle", 34, 37, api("certificates.k8s.io/v1beta1", "ClusterTrustBundle")),
    dropped("certificates.k8s.io/v1alpha1", "PodCertificateRequest", 35, api("certificates.k8s.io/v1beta1", "PodCertificateRequest")),
    gone("certificates.k8s.io/v1beta1", "CertificateSigningRequest", 19, 22, api("certificates.k8s.io/v1", "CertificateSigningRequest")),
    // coordination.k8s.io
    dropped("coordination.k8s.io/v1alpha1", "LeaseCandidate", 32, api("coordination.k8s.io/v1beta1", "LeaseCandidate")),
    gone("coordination.k8s.io/v1alpha2", "LeaseCandidate", 35, 38, api("coordination.k8s.io/v1beta1", "LeaseCandidate")),
    gone("coordination.k8s.io/v1beta1", "Lease", 19, 22, api("coordination.k8s.io/v1", "Lease")),
    // discovery.k8s.io, events.k8s.io
    dropped("discovery.k8s.io/v1alpha1", "EndpointSlice", 21, api("discovery.k8s.io/v1", "EndpointSlice")),
    gone("discovery.k8s.io/v1beta1", "EndpointSlice", 21, 25, api("discovery.k8s.io/v1", "EndpointSlice")),
    gone("events.k8s.io/v1beta1", "Event", 22, 25, api("events.k8s.io/v1", "Event")),
    // extensions
    gone("extensions/v1beta1", "DaemonSet", 8, 16, api(APPS, "DaemonSet")),
    gone("extensions/v1beta1", "Deployment", 8, 16, api(APPS, "Deployment")),
    gone("extensions/v1beta1", "Ingress", 14, 22, api(NET, "Ingress")),
    gone("extensions/v1beta1", "NetworkPolicy", 9, 16, api(NET, "NetworkPolicy")),
    gone("extensions/v1beta1", "PodSecurityPolicy", 11, 16, PSA),
    gone("extensions/v1beta1", "ReplicaSet", 8, 16, api(APPS, "ReplicaSet")),
    // flowcontrol.apiserver.k8s.io
    gone("flowcontrol.apiserver.k8s.io/v1alpha1", "FlowSchema", 20, 21, api(FC, "FlowSchema")),
    gone("flowcontrol.apiserver.k8s.io/v1alpha1", "PriorityLevelConfiguration", 20, 21, api(FC, "PriorityLevelConfiguration")),
    gone("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", 23, 26, api(FC, "FlowSchema")),
    gone("flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration", 23, 26, api(FC, "PriorityLevelConfiguration")),
    gone("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", 26, 29, api(FC, "FlowSchema")),
    gone("flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration", 26, 29, api(FC, "PriorityLevelConfiguration")),
    gone("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", 29, 32, api(FC, "FlowSchema")),
    gone("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration", 29, 32, api(FC, "PriorityLevelConfiguration")),
    // networking.k8s.io
    gone("networking.k8s.io/v1alpha1", "ClusterCIDR", 28, 29, NONE),
    gone("networking.k8s.io/v1alpha1", "IPAddress", 30, 33, api(NET, "IPAddress")),
    gone("networking.k8s.io/v1alpha1", "ServiceCIDR", 30, 33, api(NET, "ServiceCIDR")),
    gone("networking.k8s.io/v1beta1", "IPAddress", 34, 37, api(NET, "IPAddress")),
    gone("networking.k8s.io/v1beta1", "Ingress", 19, 22, api(NET, "Ingress")),
    gone("networking.k8s.io/v1beta1", "IngressClass", 19, 22, api(NET, "IngressClass")),
    gone("networking.k8s.io/v1beta1", "ServiceCIDR", 34, 37, api(NET, "ServiceCIDR")),
    // node.k8s.io
    gone("node.k8s.io/v1beta1", "RuntimeClass", 22, 25, api("node.k8s.io/v1", "RuntimeClass")),
    // policy
    gone("policy/v1beta1", "PodDisruptionBudget", 21, 25, api("policy/v1", "PodDisruptionBudget")),
    gone("policy/v1beta1", "PodSecurityPolicy", 21, 25, PSA),
    // rbac.authorization.k8s.io
    gone("rbac.authorization.k8s.io/v1alpha1", "ClusterRole", 17, 22, api(RBAC, "ClusterRole")),
    gone("rbac.authorization.k8s.io/v1alpha1", "ClusterRoleBinding", 17, 22, api(RBAC, "ClusterRoleBinding")),
    gone("rbac.authorization.k8s.io/v1alpha1", "Role", 17, 22, api(RBAC, "Role")),
    gone("rbac.authorization.k8s.io/v1alpha1", "RoleBinding", 17, 22, api(RBAC, "RoleBinding")),
    gone("rbac.authorization.k8s.io/v1beta1", "ClusterRole", 17, 22, api(RBAC, "ClusterRole")),
    gone("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", 17, 22, api(RBAC, "ClusterRoleBinding")),
    gone("rbac.authorization.k8s.io/v1beta1", "Role", 17, 22, api(RBAC, "Role")),
    gone("rbac.authorization.k8s.io/v1beta1", "RoleBinding", 17, 22, api(RBAC, "RoleBinding")),
    // resource.k8s.io
    dropped("resource.k8s.io/v1alpha1", "PodScheduling", 27, NONE),
    dropped("resource.k8s.io/v1alpha1", "ResourceClaim", 27, api(RES, "ResourceClaim")),
    dropped("resource.k8s.io/v1alpha1", "ResourceClaimTemplate", 27, api(RES, "ResourceClaimTemplate")),
    dropped("resource.k8s.io/v1alpha1", "ResourceClass", 27, api(RES, "DeviceClass")),
    dropped("resource.k8s.io/v1alpha2", "PodSchedulingContext", 31, NONE),
    dropped("resource.k8s.io/v1alpha2", "ResourceClaim", 31, api(RES, "ResourceClaim")),
    dropped("resource.k8s.io/v1alpha2", "ResourceClaimParameters", 31, NONE),
    dropped("resource.k8s.io/v1alpha2", "ResourceClaimTemplate", 31, api(RES, "ResourceClaimTemplate")),
    dropped("resource.k8s.io/v1alpha2", "ResourceClass", 31, api(RES, "DeviceClass")),
    dropped("resource.k8s.io/v1alpha2", "ResourceClassParameters", 31, NONE),
    dropped("resource.k8s.io/v1alpha2", "ResourceSlice", 31, api(RES, "ResourceSlice")),
    dropped("resource.k8s.io/v1alpha3", "DeviceClass", 34, api(RES, "DeviceClass")),
    dropped("resource.k8s.io/v1alpha3", "PodSchedulingContext", 32, NONE),
    dropped("resource.k8s.io/v1alpha3", "ResourceClaim", 34, api(RES, "ResourceClaim")),
    dropped("resource.k8s.io/v1alpha3", "ResourceClaimTemplate", 34, api(RES, "ResourceClaimTemplate")),
    dropped("resource.k8s.io/v1alpha3", "ResourceSlice", 34, api(RES, "ResourceSlice")),
    gone("resource.k8s.io/v1beta1", "DeviceClass", 35, 38, api(RES, "DeviceClass")),
    gone("resource.k8s.io/v1beta1", "ResourceClaim", 35, 38, api(RES, "ResourceClaim")),
    gone("resource.k8s.io/v1beta1", "ResourceClaimTemplate", 35, 38, api(RES, "ResourceClaimTemplate")),
    gone("resource.k8s.io/v1beta1", "ResourceSlice", 35, 38, api(RES, "ResourceSlice")),
    // scheduling.k8s.io
    deprecated("scheduling.k8s.io/v1alpha1", "PriorityClass", 14, api("scheduling.k8s.io/v1", "PriorityClass")),
    gone("scheduling.k8s.io/v1beta1", "PriorityClass", 14, 22, api("scheduling.k8s.io/v1", "PriorityClass")),
    // settings.k8s.io
    dropped("settings.k8s.io/v1alpha1", "PodPreset", 20, NONE),
    // storage.k8s.io
    gone("storage.k8s.io/v1alpha1", "CSIStorageCapacity", 21, 24, api(STORAGE, "CSIStorageCapacity")),
    gone("storage.k8s.io/v1alpha1", "VolumeAttachment", 21, 24, api(STORAGE, "VolumeAttachment")),
    gone("storage.k8s.io/v1alpha1", "VolumeAttributesClass", 32, 35, api(STORAGE, "VolumeAttributesClass")),
    gone("storage.k8s.io/v1beta1", "CSIDriver", 19, 22, api(STORAGE, "CSIDriver")),
    gone("storage.k8s.io/v1beta1", "CSINode", 17, 22, api(STORAGE, "CSINode")),
    gone("storage.k8s.io/v1beta1", "CSIStorageCapacity", 24, 27, api(STORAGE, "CSIStorageCapacity")),
    gone("storage.k8s.io/v1beta1", "StorageClass", 19, 22, api(STORAGE, "StorageClass")),
    gone("storage.k8s.io/v1beta1", "VolumeAttachment", 19, 22, api(STORAGE, "VolumeAttachment")),
    gone("storage.k8s.io/v1beta1", "VolumeAttributesClass", 34, 37, api(STORAGE, "VolumeAttributesClass")),
    // storagemigration.k8s.io
    gone("storagemigration.k8s.io/v1alpha1", "StorageVersionMigration", 33, 35, api("storagemigration.k8s.io/v1beta1", "StorageVersionMigration")),
];
