/**
 * {@code wif demo}: the Google Cloud workload identity guide run end to end in one process, against
 * an in-process OpenWIF server and the metadata and GKE emulators. Entry point: {@link
 * dev.openwif.cli.demo.GuideDemo}.
 */
@NullMarked
package dev.openwif.cli.demo;

import org.jspecify.annotations.NullMarked;
