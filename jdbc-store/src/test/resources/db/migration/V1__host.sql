-- A host's own first migration, at Flyway's default location classpath:db/migration.
CREATE TABLE host_invoices (id BIGINT PRIMARY KEY, total INTEGER);
