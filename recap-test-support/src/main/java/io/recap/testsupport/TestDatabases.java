package io.recap.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fresh, migrated databases for tests: H2 in PostgreSQL mode (always) and PostgreSQL on 127.0.0.1:5432
 * (database {@code test}, user {@code postgres}) in a schema of its own, when that server answers. The migrations
 * are the ones on the caller's classpath ({@code db/migration}): the training orchestrator's, the one database.
 */
public final class TestDatabases {

    public static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String PG_USER = "postgres";

    private TestDatabases() {
    }

    /** A migrated database and its schema (null for H2). */
    public record TestDatabase(DataSource dataSource, String schema) implements AutoCloseable {

        public TransactionTemplate tx() {
            return new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        }

        @Override
        public void close() throws SQLException {
            if (schema != null) {
                try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "");
                        Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
        }
    }

    /** An in-memory H2 database in PostgreSQL mode, the same settings as the embedded file database. */
    public static TestDatabase h2() {
        DataSource ds = new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
        migrate(ds);
        return new TestDatabase(ds, null);
    }

    /** A fresh schema in the local PostgreSQL. */
    public static TestDatabase postgres() throws SQLException {
        String schema = "orch_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        DataSource ds = new DriverManagerDataSource(PG_URL + "?currentSchema=" + schema, PG_USER, "");
        migrate(ds);
        return new TestDatabase(ds, schema);
    }

    /** JUnit {@code @EnabledIf} condition: PostgreSQL answers on 127.0.0.1:5432. */
    public static boolean postgresAvailable() {
        DriverManager.setLoginTimeout(2);
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "")) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void migrate(DataSource ds) {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    }
}
