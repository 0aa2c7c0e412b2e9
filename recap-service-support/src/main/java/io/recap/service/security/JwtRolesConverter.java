package io.recap.service.security;

import io.recap.core.security.Role;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * A JWT's roles from one claim (a list of strings, or one string of names separated by spaces or commas, as
 * issuers write scopes); names that are not platform roles are ignored, so an issuer's other roles grant nothing.
 */
final class JwtRolesConverter implements Converter<Jwt, AbstractAuthenticationToken> {

    private static final Logger log = LoggerFactory.getLogger(JwtRolesConverter.class);

    private final String claim;

    JwtRolesConverter(String claim) {
        this.claim = claim;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        return new JwtAuthenticationToken(jwt, authorities(jwt.getClaim(claim)), jwt.getSubject());
    }

    private static Collection<GrantedAuthority> authorities(Object value) {
        List<String> names = new ArrayList<>();
        if (value instanceof Collection<?> list) {
            list.forEach(item -> names.add(String.valueOf(item)));
        } else if (value instanceof String text) {
            names.addAll(List.of(text.split("[\\s,]+")));
        }
        List<GrantedAuthority> authorities = new ArrayList<>();
        for (String name : names) {
            if (name.isBlank()) {
                continue;
            }
            try {
                authorities.add(new SimpleGrantedAuthority(Role.parse(name).authority()));
            } catch (IllegalArgumentException e) {
                log.debug("ignoring JWT role {}: not a platform role", name);
            }
        }
        return authorities;
    }
}
