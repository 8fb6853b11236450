-- frontdesk-sms store, version 9 (issue 19): usage and the monthly budget read kept totals instead of counting every
-- message. Same portable SQL as V1 (runs unchanged on H2 2.x and PostgreSQL 15).
--
-- usage_buckets holds what GET /api/usage counts, per quarter-hour in UTC: bucket is the quarter-hour's number since
-- 1970-01-01T00:00Z (epoch seconds / 900), so a day in any business time zone (every zone's offset and every DST change
-- today is a whole number of quarter-hours) is a run of buckets, and changing BUSINESS_TIMEZONE needs no rebuild.
-- Counted as before: inbound messages, outbound messages Twilio accepted (twilio_sid set), their segments (unknown: 1),
-- AI calls and their tokens, each by created_at. Cost is not stored: prices may change, so it is derived when read.
--
-- Buckets before usage_fill.filled_before are complete. A later change to what a message or AI call counts (an
-- outbound message sent, an AI call recorded) adds its difference to its bucket in the writer's transaction; a reader
-- fills the buckets that ended at least 15 minutes ago (JdbcUsageLedger) and counts the rest live from the indexes.
CREATE TABLE usage_buckets (
    bucket             BIGINT NOT NULL,
    inbound            BIGINT NOT NULL,
    outbound           BIGINT NOT NULL,
    inbound_segments   BIGINT NOT NULL,
    outbound_segments  BIGINT NOT NULL,
    ai_calls           BIGINT NOT NULL,
    prompt_tokens      BIGINT NOT NULL,
    completion_tokens  BIGINT NOT NULL,
    CONSTRAINT usage_buckets_pk PRIMARY KEY (bucket)
);

-- One row: buckets below filled_before are complete; NULL: none yet (filled from the first message on first read).
CREATE TABLE usage_fill (
    id             INTEGER NOT NULL,
    filled_before  BIGINT,
    CONSTRAINT usage_fill_pk PRIMARY KEY (id),
    CONSTRAINT usage_fill_one_ck CHECK (id = 1)
);

-- Back-fill: existing messages and AI calls of every quarter-hour that ended at least 15 minutes ago (by the database's
-- clock); the rest is counted live and filled on a later read. An empty database starts with nothing filled.
INSERT INTO usage_fill (id, filled_before)
SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM messages) OR EXISTS (SELECT 1 FROM ai_calls)
    THEN CAST(FLOOR(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) / 900) AS BIGINT) - 1 END;

INSERT INTO usage_buckets (bucket, inbound, outbound, inbound_segments, outbound_segments, ai_calls, prompt_tokens,
        completion_tokens)
SELECT x.bucket, SUM(x.inbound), SUM(x.outbound), SUM(x.inbound_segments), SUM(x.outbound_segments), SUM(x.ai_calls),
        SUM(x.prompt_tokens), SUM(x.completion_tokens)
FROM (
    SELECT CAST(FLOOR(EXTRACT(EPOCH FROM created_at) / 900) AS BIGINT) AS bucket,
        CASE WHEN direction = 'inbound' THEN 1 ELSE 0 END AS inbound,
        CASE WHEN direction = 'inbound' THEN 0 ELSE 1 END AS outbound,
        CASE WHEN direction = 'inbound' THEN COALESCE(num_segments, 1) ELSE 0 END AS inbound_segments,
        CASE WHEN direction = 'inbound' THEN 0 ELSE COALESCE(num_segments, 1) END AS outbound_segments,
        0 AS ai_calls, 0 AS prompt_tokens, 0 AS completion_tokens
    FROM messages WHERE direction = 'inbound' OR twilio_sid IS NOT NULL
    UNION ALL
    SELECT CAST(FLOOR(EXTRACT(EPOCH FROM created_at) / 900) AS BIGINT), 0, 0, 0, 0, 1, prompt_tokens, completion_tokens
    FROM ai_calls
) x
WHERE x.bucket < (SELECT filled_before FROM usage_fill WHERE id = 1)
GROUP BY x.bucket;
