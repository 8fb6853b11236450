-- frontdesk-sms store, version 17 (issue 18): the business number a missed call was made to (the call's To), so its
-- text goes out from that number on hosts with several numbers, as a reply goes out from the number the customer
-- texted. Null for jobs that answer an inbound text (their number is that message's to_number) and for missed-call jobs
-- written before this version (they go out from TWILIO_PHONE_NUMBER, as before).
-- Same portable SQL as V1 (runs unchanged on H2 2.x and PostgreSQL 15).

ALTER TABLE reply_jobs ADD COLUMN called_number VARCHAR(64);
