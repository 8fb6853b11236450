-- frontdesk-sms store, version 18 (issue 19): a lead's waiting jobs by kind. Every returning customer's text cancels
-- the lead's waiting follow-up (kind 'follow_up', done FALSE). With the kind outside the index (V2's lead_id, done,
-- id) that statement read every waiting job of the lead, one by one from the table, so each text of a lead with a few
-- hundred jobs waiting (a burst, a backlog while the AI is down) read a few hundred rows. With the kind in the index
-- the cancel reads the follow-up alone; the claim's "is a later text waiting" check and the reply's "texts it
-- answered" update read the lead's waiting jobs from the same index (lead_id, done first). Replaces V2's index rather
-- than adding one, so a job costs no more index writes than before. (H2's planner still prefers the index it made for
-- the lead's foreign key, lead_id alone, whose statistics say done and kind hold two or three values; the store names
-- this index in H2's statement.)
-- Same portable SQL as V1 (runs unchanged on H2 2.x and PostgreSQL 15).

DROP INDEX reply_jobs_lead_idx;
CREATE INDEX reply_jobs_lead_idx ON reply_jobs (lead_id, done, kind, id);
