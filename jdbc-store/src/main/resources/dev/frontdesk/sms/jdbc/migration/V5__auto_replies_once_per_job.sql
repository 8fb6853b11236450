-- frontdesk-sms store, version 5 (issue #14): an automatic reply counts against the abuse caps once per
-- reply job, however often the job runs (released at shutdown, retried after a failure, taken over by another
-- instance). Rows written before this version keep reply_job_id NULL; a UNIQUE column may hold many NULLs on
-- both databases. Same portable SQL as V1 (runs unchanged on H2 2.x and PostgreSQL 15).

ALTER TABLE auto_replies ADD COLUMN reply_job_id BIGINT;
ALTER TABLE auto_replies ADD CONSTRAINT auto_replies_reply_job_uq UNIQUE (reply_job_id);
