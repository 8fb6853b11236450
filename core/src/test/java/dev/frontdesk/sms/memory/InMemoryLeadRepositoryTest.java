package dev.frontdesk.sms.memory;

import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.LeadRepositoryContract;

/** The {@link LeadRepository} contract on the in-memory store. */
class InMemoryLeadRepositoryTest extends LeadRepositoryContract {
    @Override
    protected LeadRepository createRepository() {
        return new InMemoryLeadRepository();
    }
}
