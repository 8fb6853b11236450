package dev.frontdesk.sms;

import org.junit.jupiter.api.Nested;

/**
 * Every store contract suite at once, for one implementation: subclass this, return a fresh, empty repository
 * from {@link #createRepository()} and release it in {@link #tearDownRepository()}; each suite then runs as a
 * nested class of the subclass, on a repository of its own for each test.
 */
public abstract class StoreContracts {

    /** A fresh repository with no data. */
    protected abstract LeadRepository createRepository();

    /** Releases what the last {@link #createRepository()} made (drop schema, close pool). */
    protected void tearDownRepository() {
    }

    /** The inbound transaction and health: {@link LeadRepositoryContract}. */
    @Nested
    public class Inbound extends LeadRepositoryContract {
        @Override
        protected LeadRepository createRepository() {
            return StoreContracts.this.createRepository();
        }

        @Override
        protected void tearDownRepository() {
            StoreContracts.this.tearDownRepository();
        }
    }

    /** {@link LeadStoreContract}. */
    @Nested
    public class Leads extends LeadStoreContract {
        @Override
        protected LeadRepository createRepository() {
            return StoreContracts.this.createRepository();
        }

        @Override
        protected void tearDownRepository() {
            StoreContracts.this.tearDownRepository();
        }
    }

    /** {@link LeadListContract}. */
    @Nested
    public class LeadList extends LeadListContract {
        @Override
        protected LeadRepository createRepository() {
            return StoreContracts.this.createRepository();
        }

        @Override
        protected void tearDownRepository() {
            StoreContracts.this.tearDownRepository();
        }
    }

    /** {@link MessageStoreContract}. */
    @Nested
    public class Messages extends MessageStoreContract {
        @Override
        protected LeadRepository createRepository() {
            return StoreContracts.this.createRepository();
        }

        @Override
        protected void tearDownRepository() {
            StoreContracts.this.tearDownRepository();
        }
    }

    /** {@link UsageLedgerContract}. */
    @Nested
    public class Usage extends UsageLedgerContract {
        @Override
        protected LeadRepository createRepository() {
            return StoreContracts.this.createRepository();
        }

        @Override
        protected void tearDownRepository() {
            StoreContracts.this.tearDownRepository();
        }
    }

    /** {@link ReplyQueueContract}. */
    @Nested
    public class Queue extends ReplyQueueContract {
        @Override
        protected LeadRepository createRepository() {
            return StoreContracts.this.createRepository();
        }

        @Override
        protected void tearDownRepository() {
            StoreContracts.this.tearDownRepository();
        }
    }

    /** {@link EventOutboxContract}. */
    @Nested
    public class Events extends EventOutboxContract {
        @Override
        protected LeadRepository createRepository() {
            return StoreContracts.this.createRepository();
        }

        @Override
        protected void tearDownRepository() {
            StoreContracts.this.tearDownRepository();
        }
    }

    /** {@link FollowUpContract}. */
    @Nested
    public class FollowUps extends FollowUpContract {
        @Override
        protected LeadRepository createRepository() {
            return StoreContracts.this.createRepository();
        }

        @Override
        protected void tearDownRepository() {
            StoreContracts.this.tearDownRepository();
        }
    }

    /** {@link OwnerAlertsContract}. */
    @Nested
    public class Alerts extends OwnerAlertsContract {
        @Override
        protected LeadRepository createRepository() {
            return StoreContracts.this.createRepository();
        }

        @Override
        protected void tearDownRepository() {
            StoreContracts.this.tearDownRepository();
        }
    }
}
