/**
 * Built-in {@link dev.openwif.client.SubjectTokenProvider}s: the Google metadata server, a mounted
 * token file (GKE projected token, Kubernetes default path, EKS web identity), Azure managed
 * identity (IMDS) and GitHub Actions OIDC. Each one fetches a fresh token on every call, trims it,
 * refuses an empty one, and says in its error which endpoint or file failed and how, never printing
 * a token.
 */
@NullMarked
package dev.openwif.client.provider;

import org.jspecify.annotations.NullMarked;
