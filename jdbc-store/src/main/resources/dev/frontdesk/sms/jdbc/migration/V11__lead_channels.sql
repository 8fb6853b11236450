-- frontdesk-sms store, version 11 (issue 18): leads of a channel. A customer who writes on WhatsApp
-- (From=whatsapp:+1555...) is the WhatsApp lead of that number, apart from the number's SMS lead: a number has at most
-- one lead per channel. Every lead stored before this version is an SMS lead. The unique key on (channel, phone_number)
-- replaces the one on phone_number and serves the webhook's lookup of a lead by channel and number.
-- Same portable SQL as V1 (runs unchanged on H2 2.x and PostgreSQL 15).

ALTER TABLE leads ADD COLUMN channel VARCHAR(16) NOT NULL DEFAULT 'sms';
ALTER TABLE leads DROP CONSTRAINT leads_phone_number_uq;
ALTER TABLE leads ADD CONSTRAINT leads_channel_phone_number_uq UNIQUE (channel, phone_number);
ALTER TABLE leads ADD CONSTRAINT leads_channel_ck CHECK (channel IN ('sms', 'whatsapp'));
