package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// The check after the bursts: whatever the instances, the workshop every
// person chose gives each of its seats once, numbers its waiting list
// from 1 without a gap, in the order of the registrations (their ids), and
// holds every registration of the event once.

// attendee is what the check reads of a person on an attendance list.
type attendee struct {
	ID    int64 `json:"id"`
	Place int   `json:"session_waitlist_position"`
}

// attendancePage is a page of GET …/sessions/{session}/attendance.
type attendancePage struct {
	Capacity int        `json:"capacity"`
	Seated   []attendee `json:"seated"`
	Waiting  []attendee `json:"waiting"`
	Total    int        `json:"total"`
	Next     string     `json:"next"`
}

// check reads the session's attendance list and the event's registrations
// through the API at reg (the registrations endpoint), and returns what
// they hold, or what is wrong.
func check(reg, token string, session int64) (string, error) {
	get := func(u string, into any) error {
		req, _ := http.NewRequest("GET", u, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Errorf("GET %s: %s", u, resp.Status)
		}
		return json.NewDecoder(resp.Body).Decode(into)
	}
	var regs struct {
		Total int `json:"total"`
	}
	if err := get(reg+"?limit=1", &regs); err != nil {
		return "", err
	}
	list := strings.TrimSuffix(reg, "/registrations") + fmt.Sprintf("/sessions/%d/attendance", session)
	var seated, waiting []attendee
	capacity := 0
	for after := ""; ; {
		var p attendancePage
		if err := get(list+"?limit=500&after="+url.QueryEscape(after), &p); err != nil {
			return "", err
		}
		capacity = p.Capacity
		seated = append(seated, p.Seated...)
		waiting = append(waiting, p.Waiting...)
		if after = p.Next; after == "" {
			break
		}
	}
	return judge(capacity, regs.Total, seated, waiting)
}

// judge checks an attendance list read whole against the event's number
// of registrations, every one of which chose its session.
func judge(capacity, total int, seated, waiting []attendee) (string, error) {
	seen := map[int64]bool{}
	for _, a := range append(append([]attendee{}, seated...), waiting...) {
		if seen[a.ID] {
			return "", fmt.Errorf("registration %d is on the list twice", a.ID)
		}
		seen[a.ID] = true
	}
	if len(seen) != total {
		return "", fmt.Errorf("the list holds %d registrations, the event %d", len(seen), total)
	}
	if want := min(capacity, total); len(seated) != want {
		return "", fmt.Errorf("%d seated for %d seats and %d registrations", len(seated), capacity, total)
	}
	var lastSeat int64
	for _, a := range seated {
		lastSeat = max(lastSeat, a.ID)
	}
	for i, a := range waiting {
		if a.Place != i+1 {
			return "", fmt.Errorf("the waiting list's place %d holds place %d (registration %d)", i+1, a.Place, a.ID)
		}
		if i > 0 && a.ID <= waiting[i-1].ID || a.ID < lastSeat {
			return "", fmt.Errorf("registration %d waits at place %d out of the order of the registrations", a.ID, a.Place)
		}
	}
	return fmt.Sprintf("%d registrations: %d seated for %d seats, %d waiting at places 1 to %d in the order of the registrations, none twice",
		total, len(seated), capacity, len(waiting), len(waiting)), nil
}
