/** RFC 9457 problem+json responses with a machine-readable reason, shared by every service. */
package io.recap.service.web;
