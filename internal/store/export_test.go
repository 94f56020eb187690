package store

import "database/sql"

// DB gives tests the database itself, to read what no method shows.
func (s *Store) DB() *sql.DB { return s.db }
