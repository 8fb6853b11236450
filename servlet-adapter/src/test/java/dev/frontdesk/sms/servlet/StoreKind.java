package dev.frontdesk.sms.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.jdbc.JdbcLeadRepository;
import dev.frontdesk.sms.jdbc.TestDatabase;
import dev.frontdesk.sms.memory.InMemoryLeadRepository;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The stores the security tests run the servlet over: in memory, the JDBC store on in-memory H2, and on the
 * local PostgreSQL (skipped when it is not running, failed when {@code FRONTDESK_REQUIRE_POSTGRES=true}).
 */
enum StoreKind {
    MEMORY, H2, POSTGRES;

    /** A running server over a fresh store of this kind; closing it also drops the database. */
    Served serve(UnaryOperator<FrontDeskConfig.Builder> config, int requestHeaderSize) {
        TestDatabase db = switch (this) {
            case MEMORY -> null;
            case H2 -> TestDatabase.of(TestDatabase.Kind.H2_MEMORY);
            case POSTGRES -> TestDatabase.of(TestDatabase.Kind.POSTGRES);
        };
        LeadRepository store = db == null ? new InMemoryLeadRepository() : JdbcLeadRepository.create(db.dataSource());
        return new Served(new TestServer(config, s -> s, "/*", store, requestHeaderSize), db);
    }

    Served serve() {
        return serve(c -> c, 8 * 1024);
    }

    /** A server and the database under it. */
    static final class Served implements AutoCloseable {
        final TestServer server;
        final TestDatabase db;

        Served(TestServer server, TestDatabase db) {
            this.server = server;
            this.db = db;
        }

        /** Rows as the store reports them, for "nothing changed" checks. */
        Snapshot snapshot() {
            LeadRepository store = server.store;
            List<Lead> leads = store.leads().listLeads(100_000);
            int messages = 0;
            for (Lead lead : leads) {
                messages += store.messages().history(lead.id(), 100_000).size();
            }
            return new Snapshot(leads.size(), messages, store.replyQueue().pendingCount(), server.gateway.sent.size());
        }

        /**
         * No half-written row: every lead has the message that created it, every message its lead, every
         * media row its message, every reply job its inbound message; no more jobs than inbound messages.
         */
        void assertConsistent() {
            LeadRepository store = server.store;
            int inbound = 0;
            for (Lead lead : store.leads().listLeads(100_000)) {
                List<Message> history = store.messages().history(lead.id(), 100_000);
                assertThat(history).as("messages of lead %s", lead.id()).isNotEmpty().allSatisfy(m -> assertThat(m.leadId()).isEqualTo(lead.id()));
                inbound += (int) history.stream().filter(m -> m.direction() == dev.frontdesk.sms.Direction.INBOUND).count();
            }
            assertThat(store.replyQueue().pendingCount()).isLessThanOrEqualTo(inbound);
            if (db != null) {
                assertThat(db.count("messages m WHERE NOT EXISTS (SELECT 1 FROM leads l WHERE l.id = m.lead_id)")).isZero();
                assertThat(db.count("leads l WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.lead_id = l.id)")).isZero();
                assertThat(db.count("message_media x WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = x.message_id)")).isZero();
                assertThat(db.count("reply_jobs j WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = j.inbound_message_id"
                        + " AND m.direction = 'inbound' AND m.lead_id = j.lead_id)")).isZero();
                assertThat(db.count("messages WHERE direction = 'outbound' AND reply_job_id IS NOT NULL"
                        + " AND NOT EXISTS (SELECT 1 FROM reply_jobs j WHERE j.id = messages.reply_job_id)")).isZero();
            }
        }

        @Override
        public void close() throws Exception {
            try {
                server.close();
            } finally {
                if (db != null) {
                    db.close();
                }
            }
        }
    }

    record Snapshot(int leads, int messages, long pendingJobs, int sent) {
    }
}
