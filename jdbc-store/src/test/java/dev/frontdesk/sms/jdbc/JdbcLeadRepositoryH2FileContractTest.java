package dev.frontdesk.sms.jdbc;

import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.StoreContracts;

/** Every store contract suite on file H2 in a temporary directory, freshly created and dropped for each test. */
class JdbcLeadRepositoryH2FileContractTest extends StoreContracts {

    private TestDatabase db;

    @Override
    protected LeadRepository createRepository() {
        db = TestDatabase.of(TestDatabase.Kind.H2_FILE);
        return JdbcLeadRepository.create(db.dataSource());
    }

    @Override
    protected void tearDownRepository() {
        if (db != null) {
            db.close();
        }
    }
}
