-- frontdesk-sms store, version 8 (issue 19): the leads list, its filters and its pages read from indexes, so a page
-- costs the same at 1,000 leads and at 300,000. Same portable SQL as V1 (runs unchanged on H2 2.x and PostgreSQL 15).
--
-- The list is ordered by most recent activity: last_sms_at, else created_at for a lead with no message yet, then
-- id. Neither database can index COALESCE(last_sms_at, created_at) with the same SQL (H2 has no expression indexes,
-- and the two spell generated columns differently), so the store reads leads with a last_sms_at from the indexes
-- below in order and the few leads with no message (last_sms_at NULL) from the NULL end of the same index.

-- The direction of the lead's latest message ('inbound': the customer spoke last), written by the statements that
-- write last_sms_at, so GET /api/leads?filter=unanswered reads an index instead of every lead's messages.
ALTER TABLE leads ADD COLUMN last_message_direction VARCHAR(8);
UPDATE leads SET last_message_direction = (SELECT m.direction FROM messages m
    WHERE m.id = (SELECT MAX(x.id) FROM messages x WHERE x.lead_id = leads.id));

CREATE INDEX leads_activity_idx ON leads (last_sms_at DESC, id DESC);
CREATE INDEX leads_opted_out_activity_idx ON leads (sms_opt_out, last_sms_at DESC, id DESC);
CREATE INDEX leads_ai_activity_idx ON leads (ai_enabled, last_sms_at DESC, id DESC);
CREATE INDEX leads_direction_activity_idx ON leads (last_message_direction, last_sms_at DESC, id DESC);
