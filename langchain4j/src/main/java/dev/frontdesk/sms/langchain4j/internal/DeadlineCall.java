package dev.frontdesk.sms.langchain4j.internal;

import dev.frontdesk.sms.langchain4j.LangChain4jReplyException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a blocking model call so that it ends by the reply deadline: a LangChain4j {@code ChatModel} has no per-call
 * timeout, so the call runs on {@code executor} and is interrupted (its HTTP request abandoned) once the deadline
 * passes. Thread-safe.
 */
public final class DeadlineCall {
    private final Executor executor;
    private final Clock clock;

    public DeadlineCall(Executor executor, Clock clock) {
        this.executor = executor;
        this.clock = clock;
    }

    /**
     * The call's result, or the exception it threw.
     *
     * @throws LangChain4jReplyException when the deadline passed first
     */
    public <T> T call(Callable<T> work, Instant deadline) throws Exception {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw new LangChain4jReplyException("The reply deadline passed before the model was asked.", null);
        }
        FutureTask<T> task = new FutureTask<>(work);
        executor.execute(task);
        try {
            return task.get(left.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new LangChain4jReplyException("The model did not answer before the reply deadline.", null);
        } catch (InterruptedException e) {
            task.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }
}
