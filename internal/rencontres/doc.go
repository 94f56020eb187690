// Package rencontres holds the domain of the Rencontres platform: local
// authorities, their partnerships, event series and their editions, with the
// rules that keep them valid. It imports no SQL and no HTTP; storage and the
// web layers depend on it, never the other way round.
package rencontres
