package dev.frontdesk.sms.jdbc;

import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.StoreContracts;

/** Every store contract suite on in-memory H2, freshly created and dropped for each test. */
class JdbcLeadRepositoryH2MemoryContractTest extends StoreContracts {

    private TestDatabase db;

    @Override
    protected LeadRepository createRepository() {
        db = TestDatabase.of(TestDatabase.Kind.H2_MEMORY);
        return JdbcLeadRepository.create(db.dataSource());
    }

    @Override
    protected void tearDownRepository() {
        if (db != null) {
            db.close();
        }
    }
}
