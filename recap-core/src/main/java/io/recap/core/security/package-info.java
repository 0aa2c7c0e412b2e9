/**
 * The platform's roles and its API keys (generation, hashing, the key file), shared by the services that check keys
 * and the launcher that makes them.
 */
package io.recap.core.security;
