/**
 * An emulator of a Kubernetes (GKE) service account issuer: the cluster's OIDC discovery document
 * and JWKS, and a projected service account token file rewritten as the kubelet does (<a
 * href="https://kubernetes.io/docs/concepts/storage/projected-volumes/#serviceaccounttoken">projected
 * service account tokens</a>).
 */
@NullMarked
package dev.openwif.emulator.gke;

import org.jspecify.annotations.NullMarked;
