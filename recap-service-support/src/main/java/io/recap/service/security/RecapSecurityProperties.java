package io.recap.service.security;

import io.recap.core.security.ApiKeys;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call a service ({@code recap.security.*}).
 *
 * @param enabled false only for a service nobody else can reach: every request is then let through, and the
 *     service says so at start-up
 * @param apiKeysFile a file of hashed API keys, one per line {@code name role sha256:HEX} ({@link ApiKeys});
 *     re-read when it changes, so a key can be added or revoked without a restart
 * @param apiKeys more hashed keys in the same notation, one per entry (for an environment variable:
 *     {@code RECAP_SECURITY_APIKEYS="ci admin sha256:…,grafana viewer sha256:…"})
 * @param rateLimit calls a caller may make: {@code burst} at once, then {@code per-second}; 0 per second turns the
 *     limit off
 * @param rolesClaim the JWT claim that lists the caller's roles when tokens come from an OAuth2 issuer
 *     ({@code spring.security.oauth2.resourceserver.jwt.*}); a string or a list of strings
 */
@ConfigurationProperties("recap.security")
public record RecapSecurityProperties(
        @DefaultValue("true") boolean enabled,
        Path apiKeysFile,
        @DefaultValue List<String> apiKeys,
        @DefaultValue("roles") String rolesClaim,
        @DefaultValue RateLimit rateLimit) {

    /**
     * @param perSecond tokens a caller's bucket gains a second
     * @param burst the bucket's size
     */
    public record RateLimit(@DefaultValue("200") double perSecond, @DefaultValue("400") int burst) {

        public RateLimit {
            if (perSecond < 0 || burst < 1) {
                throw new IllegalArgumentException("recap.security.rate-limit: per-second must be at least 0 and "
                        + "burst at least 1");
            }
        }
    }
}
