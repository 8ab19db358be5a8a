/**
 * An emulator of the Google Compute Engine metadata server: the {@code /computeMetadata/v1} paths a
 * workload reads (its service account, project and zone) and the identity endpoint that mints
 * Google-shaped ID tokens (<a
 * href="https://cloud.google.com/compute/docs/instances/verifying-instance-identity">instance
 * identity</a>).
 */
@NullMarked
package dev.openwif.emulator.gce;

import org.jspecify.annotations.NullMarked;
