/** The single configured Jackson 3 mapper used for messages and stored manifests. */
package io.recap.core.json;
