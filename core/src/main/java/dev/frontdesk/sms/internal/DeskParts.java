package dev.frontdesk.sms.internal;

import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.FrontDeskMetrics;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.ReplyGenerator;
import dev.frontdesk.sms.ReplyQueue;
import dev.frontdesk.sms.SmsGateway;
import dev.frontdesk.sms.StoreChange;
import dev.frontdesk.sms.events.EventWebhooks;
import dev.frontdesk.sms.events.internal.EventDelivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front desk's working parts, wired once: the one place that decides which collaborator gets which store view,
 * gateway, clock and callback, and the order they start and stop in. {@code FrontDesk} is the facade over it; a new
 * part (a job kind's handler, an alerter) is constructed here.
 *
 * <p>Every part reaches the store through {@link ChangeTracking}, so each write that changes a lead or a message is
 * published on {@link #changes()} without code of its own.
 */
public final class DeskParts {
    /**
     * What the parts are built from (the builder's settings, validated by it).
     *
     * @param events the event webhooks, or null for none
     * @param aiExecutor runs generator calls, or null for a pool owned by the parts
     * @param pollInterval how often idle workers poll, or null for the default that suits the store
     * @param alertLink where an owner alert links to, {@code {id}} standing for the lead's id, or null for no link
     */
    public record Settings(FrontDeskConfig config, LeadRepository repository, SmsGateway gateway, ReplyGenerator generator,
                           FrontDeskMetrics metrics, Clock clock, String workerPrefix, Duration lease, Duration pollInterval,
                           Duration replySettle, Duration replySettleLimit, int maxSendAttempts, ExecutorService aiExecutor,
                           EventWebhooks events, String alertLink) {
        public Settings {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(gateway, "gateway");
            Objects.requireNonNull(workerPrefix, "workerPrefix");
        }
    }

    private static final Logger log = LoggerFactory.getLogger(DeskParts.class);

    private final ChangeFeed changes = new ChangeFeed();
    private final LeadRepository repository;
    private final InboundDesk inbound;
    private final CallDesk calls;
    private final StaffMessages staff;
    private final LeadDesk leads;
    private final UsageMeter usage;
    private final ReplyWriter writer;
    private final ReplyJobRunner runner;
    private final ReplyWorkers workers;
    /** Delivers event webhooks, or null without them. */
    private final EventDelivery events;
    /** The store's relay of other instances' changes while started, or null; guarded by {@code this}. */
    private AutoCloseable otherChanges;
    /** Sends owner alerts, or null without OWNER_PHONE_NUMBER. */
    private final OwnerAlerter alerter;

    public DeskParts(Settings s) {
        FrontDeskConfig config = s.config();
        Clock clock = s.clock();
        this.repository = new ChangeTracking(s.repository(), changes);
        Outbox outbox = new Outbox(config, repository, s.gateway(), s.metrics(), clock);
        this.usage = new UsageMeter(config, repository);
        this.staff = new StaffMessages(config, repository, s.gateway(), outbox, s.metrics(), clock, this::wakeAt);
        this.leads = new LeadDesk(config, repository, clock);
        ReplyPolicy policy = new ReplyPolicy(config, repository, s.generator() != ReplyGenerator.NONE, usage, s.metrics(), clock,
                s.replySettle(), s.replySettleLimit(), this::wakeAt);
        this.writer = new ReplyWriter(config, s.generator(), s.metrics(), clock, s.aiExecutor());
        this.runner = new ReplyJobRunner(config, repository, s.gateway(), outbox, policy, writer, s.metrics(), clock, s.lease(),
                s.maxSendAttempts(), this::wakeAt);
        ReplyQueue queue = repository.replyQueue();
        this.workers = new ReplyWorkers(runner::runNext, queue, clock, s.pollInterval());
        this.inbound = new InboundDesk(config, repository, s.metrics(), clock, s.replySettle(), workers::wakeAt);
        this.calls = new CallDesk(config, repository, clock, workers::wakeAt);
        s.metrics().queueDepth(queue::pendingCount);
        this.events = s.events() == null ? null : new EventDelivery(s.events(), repository, clock, s.workerPrefix() + "-events");
        if (events != null) {
            changes.subscribe(change -> events.wake()); // the change's write carried its event, if it has one
        }
        this.alerter = OwnerAlerter.forConfig(config, repository, s.gateway(), clock, s.workerPrefix() + "-alerts",
                s.alertLink(), leadId -> changes.publish(StoreChange.lead(leadId))).orElse(null);
        if (alerter != null) {
            changes.subscribe(change -> alerter.wake()); // the change's write carried its alert, if it has one
        }
    }

    /** The host's store, behind the change tracker. */
    public LeadRepository repository() { return repository; }
    public ChangeFeed changes() { return changes; }
    public InboundDesk inbound() { return inbound; }
    public CallDesk calls() { return calls; }
    public StaffMessages staff() { return staff; }
    public LeadDesk leads() { return leads; }
    public UsageMeter usage() { return usage; }
    public ReplyJobRunner runner() { return runner; }
    public ReplyWorkers workers() { return workers; }
    /** The event delivery, or null when the front desk has no event webhooks. */
    public EventDelivery events() { return events; }
    /** The owner alert sender, or null without OWNER_PHONE_NUMBER. */
    public OwnerAlerter alerter() { return alerter; }

    /** Wakes one idle reply worker and the owner alert sender (which then looks for due alerts). */
    public void wakeWorkers() {
        workers.wakeOne();
        if (alerter != null) {
            alerter.wake();
        }
    }

    /** Wakes one idle worker at {@code due}: a job given back to run later. */
    private void wakeAt(Instant due) {
        workers.wakeAt(due);
    }

    /**
     * Starts {@code count} reply workers named after {@code prefix}, the event delivery and the owner alerts. Idempotent.
     *
     * @return whether this call started them
     */
    public boolean start(int count, String prefix) {
        if (!workers.start(count, prefix)) {
            return false;
        }
        synchronized (this) { // other instances' changes, for this instance's live streams
            otherChanges = repository.onOtherChanges(changes::publish).orElse(null);
        }
        if (events != null) {
            events.start();
        }
        if (alerter != null) {
            alerter.start();
        }
        return true;
    }

    /**
     * Stops in order: live streams end, the event delivery and the owner alerts stop, no new job is claimed, jobs waiting for the
     * generator are given back, sends in flight get {@code shutdownTimeout}, then the runner and writer close.
     */
    public void close(Duration shutdownTimeout) {
        AutoCloseable other;
        synchronized (this) {
            other = otherChanges;
            otherChanges = null;
        }
        if (other != null) {
            try {
                other.close();
            } catch (Exception e) {
                log.warn("Closing the store's relay of other instances' changes failed ({})", e.getClass().getSimpleName());
            }
        }
        changes.close(); // live streams end now, so a host's graceful HTTP stop does not wait for them
        if (events != null) {
            events.close();
        }
        if (alerter != null) {
            alerter.close();
        }
        ExecutorService stopping = workers.stopClaiming();
        writer.stop();
        ReplyWorkers.awaitStopped(stopping, shutdownTimeout);
        runner.close();
        writer.close();
    }
}
