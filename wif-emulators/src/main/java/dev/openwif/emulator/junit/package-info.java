/**
 * A JUnit 5 extension that runs the emulators in-process for a test class, so that users test their
 * own workloads offline: annotate the class with {@link
 * dev.openwif.emulator.junit.WithGceMetadataEmulator} or {@link
 * dev.openwif.emulator.junit.WithGkeIssuerEmulator} and declare a parameter of the emulator's type.
 */
@NullMarked
package dev.openwif.emulator.junit;

import org.jspecify.annotations.NullMarked;
