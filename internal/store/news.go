package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/photo"
	"github.com/rencontres/rencontres/internal/rencontres"
)

const newsColumns = `p.id, p.title, p.body, COALESCE(p.author_id, 0), COALESCE(u.name, ''), p.published_at, p.created_at, p.updated_at`

const newsFrom = ` FROM news_posts p LEFT JOIN users u ON u.id = p.author_id`

func scanNewsPost(row scanner) (*rencontres.NewsPost, error) {
	var p rencontres.NewsPost
	var published sql.NullString
	var created, updated string
	if err := row.Scan(&p.ID, &p.Title, &p.Body, &p.AuthorID, &p.Author, &published, &created, &updated); err != nil {
		return nil, err
	}
	if published.Valid {
		t, err := parseTS(published.String)
		if err != nil {
			return nil, err
		}
		p.Published = &t
	}
	p.Created, _ = parseTS(created)
	p.Updated, _ = parseTS(updated)
	p.Events, p.OrgKeys, p.Photos = []*rencontres.NewsEvent{}, []string{}, []*rencontres.NewsPhoto{}
	return &p, nil
}

// NewsPosts lists the posts the filter selects, newest first: published
// ones by their publication, drafts (when asked for) by their last change
// and before the published ones.
func (s *Store) NewsPosts(ctx context.Context, f rencontres.NewsFilter) ([]*rencontres.NewsPost, int, error) {
	where := ` WHERE ($1 OR p.published_at IS NOT NULL)
		AND ($2 = 0 OR EXISTS (SELECT 1 FROM news_post_events pe WHERE pe.post_id = p.id AND pe.event_id = $2))
		AND ($3 = '' OR EXISTS (SELECT 1 FROM news_post_organisations po JOIN organisations o ON o.id = po.org_id WHERE po.post_id = p.id AND o.key = $3))`
	args := []any{f.Drafts, f.EventID, f.OrgKey}
	var total int
	if err := s.reader().QueryRowContext(ctx, "SELECT COUNT(*)"+newsFrom+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = rencontres.NewsPageSize
	}
	rows, err := s.reader().QueryContext(ctx, "SELECT "+newsColumns+newsFrom+where+`
		ORDER BY CASE WHEN p.published_at IS NULL THEN 0 ELSE 1 END, COALESCE(p.published_at, p.updated_at) DESC, p.id DESC
		LIMIT $4 OFFSET $5`, append(args, limit, max(0, f.Offset))...)
	if err != nil {
		return nil, 0, err
	}
	var out []*rencontres.NewsPost
	for rows.Next() {
		p, err := scanNewsPost(rows)
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	for _, p := range out {
		if err := s.newsLinks(ctx, p); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// NewsPost returns a post, draft or not, with what it is attached to and
// its photos.
func (s *Store) NewsPost(ctx context.Context, id int64) (*rencontres.NewsPost, error) {
	p, err := scanNewsPost(s.reader().QueryRowContext(ctx, "SELECT "+newsColumns+newsFrom+" WHERE p.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("news post")
	}
	if err != nil {
		return nil, err
	}
	return p, s.newsLinks(ctx, p)
}

// newsLinks reads a post's events, authorities and photos.
func (s *Store) newsLinks(ctx context.Context, p *rencontres.NewsPost) error {
	rows, err := s.reader().QueryContext(ctx, `SELECT v.id, v.kind, v.title, COALESCE(se.slug, ''), COALESCE(ed.number, 0), COALESCE(se.short_name, '{}')
		FROM news_post_events pe JOIN events v ON v.id = pe.event_id
		LEFT JOIN editions ed ON ed.id = v.id LEFT JOIN series se ON se.id = ed.series_id
		WHERE pe.post_id = $1 ORDER BY v.start_date, v.id`, p.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var e rencontres.NewsEvent
		if err := rows.Scan(&e.ID, &e.Kind, &e.Title, &e.Series, &e.Number, &e.Short); err != nil {
			rows.Close()
			return err
		}
		p.Events = append(p.Events, &e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = s.reader().QueryContext(ctx, `SELECT o.key FROM news_post_organisations po JOIN organisations o ON o.id = po.org_id
		WHERE po.post_id = $1 ORDER BY o.key`, p.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return err
		}
		p.OrgKeys = append(p.OrgKeys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	p.Photos, err = s.newsPhotos(ctx, p.ID)
	return err
}

func (s *Store) newsPhotos(ctx context.Context, postID int64) ([]*rencontres.NewsPhoto, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT ph.id, ph.post_id, ph.caption, ph.alt, ph.credit, ph.width, ph.height, ph.uploaded_at, f.width
		FROM news_photos ph JOIN news_photo_files f ON f.photo_id = ph.id
		WHERE ph.post_id = $1 ORDER BY ph.seq, ph.id, f.width`, postID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*rencontres.NewsPhoto{}
	for rows.Next() {
		var ph rencontres.NewsPhoto
		var at string
		var w int
		if err := rows.Scan(&ph.ID, &ph.PostID, &ph.Caption, &ph.Alt, &ph.Credit, &ph.Width, &ph.Height, &at, &w); err != nil {
			return nil, err
		}
		if n := len(out); n > 0 && out[n-1].ID == ph.ID {
			out[n-1].Widths = append(out[n-1].Widths, w)
			continue
		}
		ph.Uploaded, _ = parseTS(at)
		ph.Widths = []int{w}
		out = append(out, &ph)
	}
	return out, rows.Err()
}

// SaveNewsPost creates a post (p.ID 0, as a draft written by by) or
// changes its texts and what it is attached to. Every fault of the input
// is returned at once, and nothing is written when there is one.
func (s *Store) SaveNewsPost(ctx context.Context, p *rencontres.NewsPost, eventIDs []int64, by int64) error {
	errs := []error{p.Validate()}
	now := time.Now().UTC()
	err := s.InTx(ctx, func(s *Store) error {
		var orgIDs []int64
		for _, k := range p.OrgKeys {
			id, err := orgID(ctx, s.writer(), k)
			if err != nil {
				if rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
					return err
				}
				errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_organisation", Field: "organisations",
					Message: fmt.Sprintf("no authority has the key %q", k), Args: map[string]any{"Key": k}})
				continue
			}
			if !slices.Contains(orgIDs, id) {
				orgIDs = append(orgIDs, id)
			}
		}
		var events []int64
		for _, id := range eventIDs {
			var n int
			if err := s.writer().QueryRowContext(ctx, "SELECT COUNT(*) FROM events WHERE id = $1", id).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_event", Field: "events",
					Message: fmt.Sprintf("no event has the id %d", id), Args: map[string]any{"ID": id}})
				continue
			}
			if !slices.Contains(events, id) {
				events = append(events, id)
			}
		}
		if err := rencontres.Join(errs...); err != nil {
			return err
		}
		if p.ID == 0 {
			if err := s.writer().QueryRowContext(ctx, `INSERT INTO news_posts (title, body, author_id, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $4) RETURNING id`, p.Title, p.Body, nullID(by), ts(now)).Scan(&p.ID); err != nil {
				return err
			}
		} else {
			res, err := s.writer().ExecContext(ctx, "UPDATE news_posts SET title = $2, body = $3, updated_at = $4 WHERE id = $1", p.ID, p.Title, p.Body, ts(now))
			if err := oneRow(res, err, "news post"); err != nil {
				return err
			}
			for _, q := range []string{"DELETE FROM news_post_events WHERE post_id = $1", "DELETE FROM news_post_organisations WHERE post_id = $1"} {
				if _, err := s.writer().ExecContext(ctx, q, p.ID); err != nil {
					return err
				}
			}
		}
		for _, id := range events {
			if _, err := s.writer().ExecContext(ctx, "INSERT INTO news_post_events (post_id, event_id) VALUES ($1, $2)", p.ID, id); err != nil {
				return err
			}
		}
		for _, id := range orgIDs {
			if _, err := s.writer().ExecContext(ctx, "INSERT INTO news_post_organisations (post_id, org_id) VALUES ($1, $2)", p.ID, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	saved, err := s.NewsPost(ctx, p.ID)
	if err != nil {
		return err
	}
	*p = *saved
	return nil
}

// PublishNewsPost publishes a post at at, or makes it a draft again.
func (s *Store) PublishNewsPost(ctx context.Context, id int64, publish bool, at time.Time) (*rencontres.NewsPost, error) {
	var published any
	if publish {
		published = ts(at)
	}
	res, err := s.writer().ExecContext(ctx, "UPDATE news_posts SET published_at = $2, updated_at = $3 WHERE id = $1", id, published, ts(time.Now()))
	if err := oneRow(res, err, "news post"); err != nil {
		return nil, err
	}
	return s.NewsPost(ctx, id)
}

// DeleteNewsPost removes a post, its links and its photos.
func (s *Store) DeleteNewsPost(ctx context.Context, id int64) error {
	res, err := s.writer().ExecContext(ctx, "DELETE FROM news_posts WHERE id = $1", id)
	return oneRow(res, err, "news post")
}

// photoError turns a refused upload into the domain's error, in the
// reader's language once translated.
func photoError(err error) error {
	if err == nil {
		return nil
	}
	var pe *photo.Error
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &pe) && pe.Fault == photo.Busy) {
		// Its turn did not come while the request lasted.
		return &rencontres.Error{Code: rencontres.EUNAVAILABLE, Key: "error.photo_busy", Field: "file", Message: "too many photos are being processed; try again in a moment",
			Args: map[string]any{"RetryAfter": photo.RetryAfter}}
	}
	if !errors.As(err, &pe) {
		return err
	}
	e := &rencontres.Error{Code: rencontres.EINVALID, Key: "error.photo_" + string(pe.Fault), Field: "file", Message: pe.Error(),
		Args: map[string]any{"Type": pe.Type, "Claimed": pe.Claimed, "Width": pe.Width, "Height": pe.Height,
			"Max": photo.MaxPixels / 1_000_000, "MaxMiB": photo.MaxBytes >> 20}}
	return e
}

// AddNewsPhoto checks an upload (its type by its content, agreeing with
// its name and declared type; its size in pixels from its header), makes
// its files (orientation applied, metadata gone) and stores them after
// the post's last photo. A fault of the texts and of the file are told
// together; nothing is stored when there is one.
func (s *Store) AddNewsPhoto(ctx context.Context, ph *rencontres.NewsPhoto, name, declared string, data []byte, by int64) error {
	verr := ph.Validate()
	var processed *photo.Photo
	var perr error
	if name == "" && len(data) == 0 {
		perr = &rencontres.Error{Code: rencontres.EINVALID, Key: "error.required", Field: "file", Message: "choose a photo"}
	} else if verr != nil {
		// The texts are refused: the file's header is checked, so that
		// both are told at once, but it does not wait for its turn to be
		// processed in vain.
		perr = photoError(photo.Check(name, declared, data))
	} else if processed, perr = photo.ProcessWait(ctx, name, declared, data); perr != nil {
		perr = photoError(perr)
	}
	if err := rencontres.Join(verr, perr); err != nil {
		return err
	}
	now := time.Now().UTC()
	return s.InTx(ctx, func(s *Store) error {
		var seq int
		err := s.writer().QueryRowContext(ctx, `SELECT COALESCE(MAX(ph.seq), 0) + 1 FROM news_posts p LEFT JOIN news_photos ph ON ph.post_id = p.id
			WHERE p.id = $1 GROUP BY p.id`, ph.PostID).Scan(&seq)
		if errors.Is(err, sql.ErrNoRows) {
			return rencontres.NotFound("news post")
		}
		if err != nil {
			return err
		}
		ph.Width, ph.Height, ph.Uploaded, ph.Widths = processed.Width, processed.Height, now, nil
		if err := s.writer().QueryRowContext(ctx, `INSERT INTO news_photos (post_id, seq, caption, alt, credit, width, height, uploaded_by, uploaded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, ph.PostID, seq, ph.Caption, ph.Alt, strings.TrimSpace(ph.Credit),
			ph.Width, ph.Height, nullID(by), ts(now)).Scan(&ph.ID); err != nil {
			return err
		}
		for _, r := range processed.Renditions {
			if _, err := s.writer().ExecContext(ctx, `INSERT INTO news_photo_files (photo_id, width, height, sha256, data) VALUES ($1, $2, $3, $4, $5)`,
				ph.ID, r.Width, r.Height, sha256Hex(r.Data), r.Data); err != nil {
				return err
			}
			ph.Widths = append(ph.Widths, r.Width)
		}
		return nil
	})
}

// UpdateNewsPhoto changes a photo's caption, text alternative and credit.
func (s *Store) UpdateNewsPhoto(ctx context.Context, ph *rencontres.NewsPhoto) error {
	if err := ph.Validate(); err != nil {
		return err
	}
	res, err := s.writer().ExecContext(ctx, "UPDATE news_photos SET caption = $3, alt = $4, credit = $5 WHERE id = $1 AND post_id = $2",
		ph.ID, ph.PostID, ph.Caption, ph.Alt, strings.TrimSpace(ph.Credit))
	return oneRow(res, err, "photo")
}

// DeleteNewsPhoto removes a photo and its files.
func (s *Store) DeleteNewsPhoto(ctx context.Context, postID, id int64) error {
	res, err := s.writer().ExecContext(ctx, "DELETE FROM news_photos WHERE id = $1 AND post_id = $2", id, postID)
	return oneRow(res, err, "photo")
}

// NewsPhotoFile returns a photo's file at a width and its digest; a photo
// of a draft only when drafts is set.
func (s *Store) NewsPhotoFile(ctx context.Context, id int64, width int, drafts bool) ([]byte, string, error) {
	var data []byte
	var sha string
	err := s.reader().QueryRowContext(ctx, `SELECT f.data, f.sha256 FROM news_photo_files f JOIN news_photos ph ON ph.id = f.photo_id
		JOIN news_posts p ON p.id = ph.post_id WHERE f.photo_id = $1 AND f.width = $2 AND ($3 OR p.published_at IS NOT NULL)`, id, width, drafts).Scan(&data, &sha)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", rencontres.NotFound("photo")
	}
	return data, sha, err
}

// newsAuthored lists the posts an account wrote, for its personal data.
func (s *Store) newsAuthored(ctx context.Context, userID int64) ([]rencontres.NewsAuthored, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT "+newsColumns+newsFrom+" WHERE p.author_id = $1 ORDER BY p.id", userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []rencontres.NewsAuthored{}
	for rows.Next() {
		p, err := scanNewsPost(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, rencontres.NewsAuthored{ID: p.ID, Title: p.Title, Created: p.Created, Published: p.Published})
	}
	return out, rows.Err()
}
