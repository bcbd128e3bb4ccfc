"""Every migration of the council database, in order, as single statements (never scripts:
``executescript`` would commit midway); :mod:`prioritize.store.schema` runs them, on SQLite
and on PostgreSQL alike. Append, never edit: files in the field were written by each. The
few statements each engine spells its own way come from :mod:`prioritize.store.portable`.

It is longer than 400 lines because it is the schema's whole history, append-only: one
file read top to bottom tells how every database in the field came to be.
"""

from __future__ import annotations

from prioritize.store.portable import Migration, append_only, drop_append_only

__all__ = ["MIGRATIONS"]


_V1 = (
    """CREATE TABLE criteria_sets (
        sha256 TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        yaml_text TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE members (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        department TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('member', 'facilitator', 'observer')),
        passcode_salt TEXT NOT NULL,
        passcode_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE rounds (
        id {serial},
        name TEXT NOT NULL,
        criteria_sha256 TEXT NOT NULL REFERENCES criteria_sets (sha256),
        aggregation TEXT NOT NULL DEFAULT 'mean',
        state TEXT NOT NULL DEFAULT 'draft'
            CHECK (state IN ('draft', 'scoring', 'debate', 'decided')),
        previous_round_id INTEGER REFERENCES rounds (id),
        created_by TEXT NOT NULL REFERENCES members (id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE round_weights (
        round_id INTEGER NOT NULL REFERENCES rounds (id),
        criterion TEXT NOT NULL,
        weight DOUBLE PRECISION NOT NULL CHECK (weight >= 0),
        PRIMARY KEY (round_id, criterion)
    )""",
    """CREATE TABLE requirements (
        round_id INTEGER NOT NULL REFERENCES rounds (id),
        id TEXT NOT NULL,
        position INTEGER NOT NULL,
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        requested_by TEXT NOT NULL DEFAULT '',
        personas TEXT NOT NULL DEFAULT '',
        scenario TEXT NOT NULL DEFAULT '',
        evidence TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (round_id, id)
    )""",
    """CREATE TABLE round_members (
        round_id INTEGER NOT NULL REFERENCES rounds (id),
        member_id TEXT NOT NULL REFERENCES members (id),
        PRIMARY KEY (round_id, member_id)
    )""",
    """CREATE TABLE scores (
        round_id INTEGER NOT NULL,
        requirement_id TEXT NOT NULL,
        member_id TEXT NOT NULL,
        criterion TEXT NOT NULL,
        score DOUBLE PRECISION NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        scored_at TEXT NOT NULL,
        PRIMARY KEY (round_id, requirement_id, member_id, criterion),
        FOREIGN KEY (round_id, requirement_id) REFERENCES requirements (round_id, id),
        FOREIGN KEY (round_id, member_id) REFERENCES round_members (round_id, member_id)
    )""",
    """CREATE TABLE decisions (
        seq INTEGER PRIMARY KEY,
        round_id INTEGER NOT NULL,
        requirement_id TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('approve', 'postpone', 'reject', 'remove')),
        category TEXT NOT NULL,
        model_rank INTEGER NOT NULL,
        rationale TEXT NOT NULL,
        decided_by TEXT NOT NULL REFERENCES members (id),
        dissent TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        basis_sha256 TEXT NOT NULL,
        override INTEGER NOT NULL CHECK (override IN (0, 1)),
        previous_hash TEXT NOT NULL,
        entry_hash TEXT NOT NULL UNIQUE,
        FOREIGN KEY (round_id, requirement_id) REFERENCES requirements (round_id, id)
    )""",
    # The number of entries and the last hash, kept apart from the chain: a chain alone
    # cannot show that its last entries were cut off.
    """CREATE TABLE log_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        entries INTEGER NOT NULL,
        head_hash TEXT NOT NULL
    )""",
)

_V2 = (
    # Optimistic concurrency: an update names the version it read.
    "ALTER TABLE scores ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
    """CREATE TABLE comments (
        id {serial},
        round_id INTEGER NOT NULL,
        requirement_id TEXT NOT NULL,
        member_id TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        FOREIGN KEY (round_id, requirement_id) REFERENCES requirements (round_id, id),
        FOREIGN KEY (round_id, member_id) REFERENCES round_members (round_id, member_id)
    )""",
    "CREATE INDEX scores_by_member ON scores (round_id, member_id)",
    "CREATE INDEX decisions_by_round ON decisions (round_id, requirement_id)",
    # Append-only: the API never updates or deletes an entry, and neither may anyone else
    # through SQL (verify_log still catches edits made by dropping these triggers).
    append_only("decisions", "the decision log is append-only"),
)

_V3 = (
    # One vocabulary from file to database: the score files' and the library's names.
    "ALTER TABLE scores RENAME COLUMN member_id TO member",
    "ALTER TABLE scores RENAME COLUMN scored_at TO time",
    "ALTER TABLE decisions RENAME COLUMN model_rank TO rank",
)

_V4 = (
    # Every score ever written, append-only: a member's earlier values stay readable, and
    # a decision's basis can be recomputed from the scores as they were when it was taken.
    """CREATE TABLE score_history (
        id {serial},
        round_id INTEGER NOT NULL,
        requirement_id TEXT NOT NULL,
        member TEXT NOT NULL,
        criterion TEXT NOT NULL,
        score DOUBLE PRECISION NOT NULL,
        reason TEXT NOT NULL,
        time TEXT NOT NULL,
        version INTEGER NOT NULL
    )""",
    "CREATE INDEX score_history_by_round ON score_history (round_id, id)",
    """INSERT INTO score_history (round_id, requirement_id, member, criterion, score, reason,
                                  time, version)
       SELECT round_id, requirement_id, member, criterion, score, reason, time, version
       FROM scores ORDER BY time, round_id, requirement_id, member, criterion""",
    # Every weight a round ever had, append-only, for the same reason.
    """CREATE TABLE weight_history (
        id {serial},
        round_id INTEGER NOT NULL,
        criterion TEXT NOT NULL,
        weight DOUBLE PRECISION NOT NULL,
        time TEXT NOT NULL,
        changed_by TEXT NOT NULL
    )""",
    """INSERT INTO weight_history (round_id, criterion, weight, time, changed_by)
       SELECT w.round_id, w.criterion, w.weight, r.created_at, r.created_by
       FROM round_weights w JOIN rounds r ON r.id = w.round_id
       ORDER BY w.round_id, w.criterion""",
    # How far into each history a decision's basis reaches (NULL: decided before v4).
    "ALTER TABLE decisions ADD COLUMN scores_upto INTEGER",
    "ALTER TABLE decisions ADD COLUMN weights_upto INTEGER",
    # Wrong passcodes, counted per member in the store (so across tabs, processes, CLI).
    """CREATE TABLE sign_in_attempts (
        member_id TEXT PRIMARY KEY REFERENCES members (id),
        failures INTEGER NOT NULL,
        last_failure TEXT NOT NULL,
        locked_until TEXT NOT NULL
    )""",
    "ALTER TABLE members ADD COLUMN must_change_passcode INTEGER NOT NULL DEFAULT 0",
    # Facts about the database itself (e.g. that it is the demo council).
    """CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    append_only("score_history", "score history is append-only"),
    append_only("weight_history", "weight history is append-only"),
)

_V5 = (
    # "Cannot judge": an explicit abstention is an answer, not a missing score. The score
    # column becomes nullable (NULL exactly when abstained), so the tables are rebuilt.
    """CREATE TABLE scores_v5 (
        round_id INTEGER NOT NULL,
        requirement_id TEXT NOT NULL,
        member TEXT NOT NULL,
        criterion TEXT NOT NULL,
        score DOUBLE PRECISION,
        reason TEXT NOT NULL DEFAULT '',
        time TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        abstained INTEGER NOT NULL DEFAULT 0 CHECK (abstained IN (0, 1)),
        CHECK ((abstained = 1 AND score IS NULL) OR (abstained = 0 AND score IS NOT NULL)),
        PRIMARY KEY (round_id, requirement_id, member, criterion),
        FOREIGN KEY (round_id, requirement_id) REFERENCES requirements (round_id, id),
        FOREIGN KEY (round_id, member) REFERENCES round_members (round_id, member_id)
    )""",
    """INSERT INTO scores_v5 (round_id, requirement_id, member, criterion, score, reason,
                              time, version, abstained)
       SELECT round_id, requirement_id, member, criterion, score, reason, time, version, 0
       FROM scores""",
    "DROP TABLE scores",
    "ALTER TABLE scores_v5 RENAME TO scores",
    "CREATE INDEX scores_by_member ON scores (round_id, member)",
    drop_append_only("score_history"),
    """CREATE TABLE score_history_v5 (
        id {serial},
        round_id INTEGER NOT NULL,
        requirement_id TEXT NOT NULL,
        member TEXT NOT NULL,
        criterion TEXT NOT NULL,
        score DOUBLE PRECISION,
        reason TEXT NOT NULL,
        time TEXT NOT NULL,
        version INTEGER NOT NULL,
        abstained INTEGER NOT NULL DEFAULT 0 CHECK (abstained IN (0, 1))
    )""",
    """INSERT INTO score_history_v5 (id, round_id, requirement_id, member, criterion, score,
                                     reason, time, version, abstained)
       SELECT id, round_id, requirement_id, member, criterion, score, reason, time, version, 0
       FROM score_history ORDER BY id""",
    "DROP TABLE score_history",
    "ALTER TABLE score_history_v5 RENAME TO score_history",
    "CREATE INDEX score_history_by_round ON score_history (round_id, id)",
    append_only("score_history", "score history is append-only"),
    # A member who left the council: cannot sign in, keeps every score and decision.
    "ALTER TABLE members ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))",
    # Signed-in browsers: only the SHA-256 of each token is kept, never the token.
    """CREATE TABLE web_sessions (
        token_sha256 TEXT PRIMARY KEY,
        member_id TEXT NOT NULL REFERENCES members (id),
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        revoked_at TEXT
    )""",
    "CREATE INDEX web_sessions_by_member ON web_sessions (member_id)",
)

_V6 = (
    # Weights the council owns: each member's proposal (blind until the reveal like scores),
    # the answer they gave (points, SWING ratings, ranks or AHP judgements) and the weights
    # it yields, with a reason. One current proposal per member and round; every version is
    # kept in the append-only history.
    """CREATE TABLE weight_proposals (
        round_id INTEGER NOT NULL,
        member TEXT NOT NULL,
        method TEXT NOT NULL CHECK (method IN ('points', 'swing', 'rank', 'ahp')),
        answer TEXT NOT NULL,
        weights TEXT NOT NULL,
        consistency_ratio DOUBLE PRECISION,
        reason TEXT NOT NULL,
        time TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (round_id, member),
        FOREIGN KEY (round_id, member) REFERENCES round_members (round_id, member_id)
    )""",
    """CREATE TABLE proposal_history (
        id {serial},
        round_id INTEGER NOT NULL,
        member TEXT NOT NULL,
        method TEXT NOT NULL,
        answer TEXT NOT NULL,
        weights TEXT NOT NULL,
        consistency_ratio DOUBLE PRECISION,
        reason TEXT NOT NULL,
        time TEXT NOT NULL,
        version INTEGER NOT NULL
    )""",
    "CREATE INDEX proposal_history_by_round ON proposal_history (round_id, id)",
    append_only("proposal_history", "proposal history is append-only"),
    # Adopting weights is an entry of the decision log: it names no requirement (NULL) and
    # records how far the proposal history reached, so its basis can be rebuilt. The
    # outcome check and the nullable column need the table rebuilt (triggers with it).
    drop_append_only("decisions"),
    """CREATE TABLE decisions_v6 (
        seq INTEGER PRIMARY KEY,
        round_id INTEGER NOT NULL,
        requirement_id TEXT,
        outcome TEXT NOT NULL CHECK (
            outcome IN ('approve', 'postpone', 'reject', 'remove', 'adopt weights')),
        category TEXT NOT NULL,
        rank INTEGER NOT NULL,
        rationale TEXT NOT NULL,
        decided_by TEXT NOT NULL REFERENCES members (id),
        dissent TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        basis_sha256 TEXT NOT NULL,
        override INTEGER NOT NULL CHECK (override IN (0, 1)),
        previous_hash TEXT NOT NULL,
        entry_hash TEXT NOT NULL UNIQUE,
        scores_upto INTEGER,
        weights_upto INTEGER,
        proposals_upto INTEGER,
        CHECK ((outcome = 'adopt weights') = (requirement_id IS NULL)),
        FOREIGN KEY (round_id, requirement_id) REFERENCES requirements (round_id, id)
    )""",
    """INSERT INTO decisions_v6 (seq, round_id, requirement_id, outcome, category, rank,
                                 rationale, decided_by, dissent, decided_at, basis_sha256,
                                 override, previous_hash, entry_hash, scores_upto,
                                 weights_upto)
       SELECT seq, round_id, requirement_id, outcome, category, rank, rationale, decided_by,
              dissent, decided_at, basis_sha256, override, previous_hash, entry_hash,
              scores_upto, weights_upto
       FROM decisions ORDER BY seq""",
    "DROP TABLE decisions",
    "ALTER TABLE decisions_v6 RENAME TO decisions",
    "CREATE INDEX decisions_by_round ON decisions (round_id, requirement_id)",
    append_only("decisions", "the decision log is append-only"),
)

#: Every migration, in order. Append, never edit: files in the field depend on them.
# NULL: not estimated (cost, effort) or no relation (requires and excludes: ids joined by
# ';'; alternatives: a group name). Rows of earlier versions keep NULL.
_V7 = (
    "ALTER TABLE requirements ADD COLUMN cost DOUBLE PRECISION CHECK (cost >= 0)",
    "ALTER TABLE requirements ADD COLUMN effort DOUBLE PRECISION CHECK (effort >= 0)",
    "ALTER TABLE requirements ADD COLUMN requires TEXT",
    "ALTER TABLE requirements ADD COLUMN excludes TEXT",
    "ALTER TABLE requirements ADD COLUMN alternatives TEXT",
)

_V8 = (
    # The money and person-days a round's portfolio is selected under, set by the
    # facilitator: one row per round (none: no budget yet).
    """CREATE TABLE round_budgets (
        round_id INTEGER PRIMARY KEY REFERENCES rounds (id),
        budget DOUBLE PRECISION NOT NULL CHECK (budget >= 0),
        capacity DOUBLE PRECISION CHECK (capacity >= 0),
        value TEXT NOT NULL CHECK (value IN ('value', 'benefit')),
        set_by TEXT NOT NULL REFERENCES members (id),
        set_at TEXT NOT NULL
    )""",
)

_V9 = (
    # The council's shared scorecard (a snapshot of its YAML, like criteria sets); which
    # one is current is the setting 'scorecard'.
    """CREATE TABLE scorecards (
        sha256 TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        yaml_text TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    # Measure values over time: one per measure and day (ISO date text).
    """CREATE TABLE readings (
        measure TEXT NOT NULL,
        date TEXT NOT NULL,
        value DOUBLE PRECISION NOT NULL,
        source TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        recorded_by TEXT NOT NULL REFERENCES members (id),
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (measure, date)
    )""",
    # When an approved requirement went live (the before/after split of its measures).
    """CREATE TABLE deliveries (
        round_id INTEGER NOT NULL,
        requirement_id TEXT NOT NULL,
        live_on TEXT NOT NULL,
        recorded_by TEXT NOT NULL REFERENCES members (id),
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (round_id, requirement_id),
        FOREIGN KEY (round_id, requirement_id) REFERENCES requirements (round_id, id)
    )""",
    # Legal, regulatory, market or operational events that may change a judgement.
    """CREATE TABLE events (
        id {serial},
        on_date TEXT NOT NULL,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        criteria TEXT NOT NULL DEFAULT '',
        requirements TEXT NOT NULL DEFAULT '',
        recorded_by TEXT NOT NULL REFERENCES members (id),
        recorded_at TEXT NOT NULL
    )""",
    # The effect an approval expects on the scorecard's measures: canonical JSON, part of
    # the entry's hash when present (NULL: none stated, or decided before version 9).
    "ALTER TABLE decisions ADD COLUMN expected_effects TEXT",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "council store: criteria snapshots, members, rounds, requirements, scores, "
        "hash-chained decisions",
        _V1,
    ),
    Migration(
        2, "score versions (optimistic concurrency), comments, append-only log triggers", _V2
    ),
    Migration(3, "scores and decisions use the library's column names", _V3),
    Migration(
        4,
        "append-only score and weight history, decision basis reach, sign-in attempts, "
        "one-time passcodes, settings",
        _V4,
    ),
    Migration(
        5,
        "'cannot judge' abstentions, inactive members, signed-in browser sessions",
        _V5,
    ),
    Migration(
        6,
        "members' weight proposals (blind, with history); adopting weights in the decision log",
        _V6,
    ),
    Migration(7, "requirements' estimates (cost, effort) and relations", _V7),
    Migration(8, "a round's budget and capacity for its portfolio", _V8),
    Migration(
        9,
        "the shared scorecard, its readings, go-live dates, events, and the effects an "
        "approval expects",
        _V9,
    ),
)
