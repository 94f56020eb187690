-- +goose Up
-- A registrations list's search looked in the names and address as the
-- database lower-cases them: SQLite lower-cases ASCII letters only, so that
-- "émilie" did not find "Émilie", and neither database found her from
-- "emilie". Each registration now keeps its names, Japanese name, kana and
-- address folded as the directory's search folds them (lower case, no
-- accents, katakana as hiragana: rencontres.FoldSearch), written by the
-- code that writes the names; Store.Migrate fills the rows already there.
ALTER TABLE registrations ADD COLUMN search TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE registrations DROP COLUMN search;
