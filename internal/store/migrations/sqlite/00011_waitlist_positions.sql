-- +goose Up
-- Places on the waiting lists are stored rather than counted at each read:
-- counting made every registration cost as much as the list was long. A
-- newcomer takes the last place plus one; when someone leaves a list, its
-- places are numbered again (store/registration.go, renumber).
ALTER TABLE registrations ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE registration_choices ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
UPDATE registrations SET position = (SELECT COUNT(*) FROM registrations w
    WHERE w.event_id = registrations.event_id AND w.status = 'waitlisted' AND w.id <= registrations.id)
    WHERE status = 'waitlisted';
UPDATE registration_choices SET position = (SELECT COUNT(*) FROM registration_choices w
    WHERE w.session_id = registration_choices.session_id AND w.status = 'waitlisted' AND w.seq <= registration_choices.seq)
    WHERE status = 'waitlisted';
-- The end of a session's list, found without reading the whole list.
CREATE INDEX registration_choices_seq ON registration_choices(session_id, seq);

-- +goose Down
DROP INDEX registration_choices_seq;
ALTER TABLE registration_choices DROP COLUMN position;
ALTER TABLE registrations DROP COLUMN position;
