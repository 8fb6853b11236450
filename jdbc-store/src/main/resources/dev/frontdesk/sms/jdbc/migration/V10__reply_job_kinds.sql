-- frontdesk-sms store, version 10 (issue 18): reply jobs of more than one kind. A job of kind 'reply' answers an
-- inbound text (inbound_message_id, as before); other kinds text a lead on their own: 'missed_call' (a call nobody
-- answered, keyed by Twilio's CallSid so a repeated dial-status callback enqueues nothing more) and later kinds such as
-- follow-ups. Jobs of those kinds have no inbound message. Existing jobs become 'reply'. No CHECK on kind, so a later
-- version adds a kind without rewriting a constraint; the store writes only the kinds it knows.
-- Same portable SQL as V1 (runs unchanged on H2 2.x and PostgreSQL 15).

ALTER TABLE reply_jobs ADD COLUMN kind VARCHAR(16) NOT NULL DEFAULT 'reply';
ALTER TABLE reply_jobs ADD COLUMN call_sid VARCHAR(64);
ALTER TABLE reply_jobs ADD CONSTRAINT reply_jobs_call_sid_uq UNIQUE (call_sid);
ALTER TABLE reply_jobs ALTER COLUMN inbound_message_id DROP NOT NULL;
