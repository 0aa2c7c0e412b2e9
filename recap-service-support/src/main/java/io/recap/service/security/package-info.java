/**
 * Authentication and roles shared by every RECAP web service: API keys and JWTs, the role of each route, 401 and
 * 403 as problem+json, and the audit log of every call that may change something.
 */
package io.recap.service.security;
