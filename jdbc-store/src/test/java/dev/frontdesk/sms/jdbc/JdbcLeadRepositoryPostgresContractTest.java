package dev.frontdesk.sms.jdbc;

import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.StoreContracts;

/** Every store contract suite on PostgreSQL on 127.0.0.1:5432, in a schema of its own, freshly created and dropped for each test. */
class JdbcLeadRepositoryPostgresContractTest extends StoreContracts {

    private TestDatabase db;

    @Override
    protected LeadRepository createRepository() {
        db = TestDatabase.of(TestDatabase.Kind.POSTGRES);
        return JdbcLeadRepository.create(db.dataSource());
    }

    @Override
    protected void tearDownRepository() {
        if (db != null) {
            db.close();
        }
    }
}
