package io.recap.orchestrator.db;

import io.recap.testsupport.TestDatabases;

/** Migrations and repository SQL on H2 in PostgreSQL mode (the embedded default). */
class H2RepositoryTest extends RepositoryContract {

    @Override
    TestDatabases.TestDatabase open() {
        return TestDatabases.h2();
    }
}
