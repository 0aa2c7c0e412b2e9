package io.recap.core.security;

import java.util.Locale;

/**
 * What a caller may do, each role including the ones below it: {@code viewer} reads, {@code user} also captions
 * and generates, {@code operator} also ingests, exports and runs or cancels jobs, {@code admin} also promotes
 * models and reads the management endpoints.
 */
public enum Role {
    VIEWER,
    USER,
    OPERATOR,
    ADMIN;

    /** The Spring Security authority of this role ({@code ROLE_ADMIN}). */
    public String authority() {
        return "ROLE_" + name();
    }

    /** The role's name as configured and printed ({@code admin}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code admin}, {@code ADMIN} or {@code ROLE_ADMIN}. */
    public static Role parse(String text) {
        String name = text.strip().toUpperCase(Locale.ROOT);
        if (name.startsWith("ROLE_")) {
            name = name.substring("ROLE_".length());
        }
        try {
            return valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown role '" + text + "'; use viewer, user, operator or admin", e);
        }
    }

    /** Role hierarchy in Spring Security's notation: each role implies the one below it. */
    public static String hierarchy() {
        return "ROLE_ADMIN > ROLE_OPERATOR\nROLE_OPERATOR > ROLE_USER\nROLE_USER > ROLE_VIEWER";
    }
}
