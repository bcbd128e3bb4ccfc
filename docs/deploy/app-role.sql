-- The role the app servers connect as: it may read and write the council's rows, and
-- nothing else. Run as the database's owner (the role that ran 'prioritize db init'),
-- connected to the council database, after every 'prioritize db init' (new tables):
--   psql "postgresql://owner@db-host/council" -f app-role.sql
-- Create the role itself once, with a password of its own:
--   CREATE ROLE prioritize_app LOGIN PASSWORD '…';
-- tests/store/test_postgresql.py runs this file and checks what the role can and cannot do.

-- no DDL: it cannot create, alter or drop tables, nor drop the append-only triggers
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO prioritize_app;

-- rows: read and write what the app writes
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO prioritize_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO prioritize_app;

-- the record is append-only for the app, whatever the triggers say
REVOKE UPDATE, DELETE ON decisions, score_history, weight_history, proposal_history
    FROM prioritize_app;
-- the schema version is the owner's (migrations run as the owner, never as the app)
REVOKE INSERT, UPDATE, DELETE ON prioritize_schema FROM prioritize_app;
