-- nextDueAt() finds the earliest running lease along this index instead of reading every pending job
CREATE INDEX reply_jobs_lease_idx ON reply_jobs (done, lease_until);
