-- The host application's own first migration, where Spring Boot's Flyway looks by default (classpath:db/migration).
CREATE TABLE host_invoices (id BIGINT PRIMARY KEY, total INTEGER);
