package io.recap.orchestrator.db;

import io.recap.testsupport.TestDatabases;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Migrations and repository SQL on PostgreSQL (127.0.0.1:5432, database {@code test}, user {@code postgres},
 * a throw-away schema). Skipped, not failed, where no server answers.
 */
@EnabledIf("io.recap.testsupport.TestDatabases#postgresAvailable")
class PostgresRepositoryTest extends RepositoryContract {

    @Override
    TestDatabases.TestDatabase open() throws Exception {
        return TestDatabases.postgres();
    }
}
