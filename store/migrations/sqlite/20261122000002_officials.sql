-- Unit officials (管理员): powers over the unit's whole subtree.
CREATE TABLE officials (
    member_id     INTEGER NOT NULL REFERENCES members (id),
    unit_id       INTEGER NOT NULL REFERENCES units (id),
    appointed_by  INTEGER REFERENCES members (id),
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (member_id, unit_id)
);
CREATE INDEX officials_unit_id ON officials (unit_id);
