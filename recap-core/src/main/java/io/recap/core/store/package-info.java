/** Filesystem access confined to configured roots: a blob store and the allowed-roots resolver for image URIs. */
package io.recap.core.store;
