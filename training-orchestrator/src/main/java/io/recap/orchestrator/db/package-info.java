/** JDBC helpers shared by the repositories; the schema lives in {@code db/migration} (Flyway). */
package io.recap.orchestrator.db;
