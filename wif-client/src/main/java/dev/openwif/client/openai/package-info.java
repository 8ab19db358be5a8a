/**
 * Plugs {@link dev.openwif.client.WorkloadIdentityCredentials} into the official {@code
 * openai-java} SDK: a bearer credential backed by the credentials (the SDK calls the supplier for
 * every request) and an SDK HTTP client decorator that invalidates and replays once on a 401.
 *
 * <p>The only package of this library that needs {@code com.openai:openai-java} on the class path;
 * the rest never loads it.
 */
@NullMarked
package dev.openwif.client.openai;

import org.jspecify.annotations.NullMarked;
