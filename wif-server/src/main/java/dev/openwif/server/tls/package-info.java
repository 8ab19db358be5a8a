/**
 * The server's own TLS: the certificate chain and private key read from PEM files with the JDK
 * alone, the protocols and cipher suites it allows, and the watcher that reloads the files on a
 * running listener when they change.
 */
@NullMarked
package dev.openwif.server.tls;

import org.jspecify.annotations.NullMarked;
