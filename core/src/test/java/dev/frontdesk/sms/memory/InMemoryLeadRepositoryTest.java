package dev.frontdesk.sms.memory;

import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.StoreContracts;

/** Every store contract suite on the in-memory store. */
class InMemoryLeadRepositoryTest extends StoreContracts {
    @Override
    protected LeadRepository createRepository() {
        return new InMemoryLeadRepository();
    }
}
