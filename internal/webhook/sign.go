// Package webhook tells other systems what happens, by Standard Webhooks
// (https://www.standardwebhooks.com): each delivery is a POST of a JSON
// body with the headers webhook-id, webhook-timestamp and
// webhook-signature, the last holding "v1," and the base64 of
// HMAC-SHA256(secret, id + "." + timestamp + "." + body) for each secret
// in force (two during a rotation). Deliveries are rows written in the
// transaction of what they tell, sent by a Worker in every instance.
package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// SecretPrefix begins every secret.
const SecretPrefix = "whsec_"

// MinSecretBytes is the shortest secret accepted: 24 random bytes, as
// Standard Webhooks asks.
const MinSecretBytes = 24

// NewSecret makes a secret of 32 random bytes.
func NewSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return SecretPrefix + base64.StdEncoding.EncodeToString(b)
}

// ErrSecret is the refusal of a secret that is not whsec_ and the base64
// of at least MinSecretBytes bytes.
var ErrSecret = errors.New("webhook: a secret is whsec_ followed by the base64 of at least 24 bytes")

// SecretBytes reads a secret's key.
func SecretBytes(secret string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, SecretPrefix))
	if err != nil || !strings.HasPrefix(secret, SecretPrefix) || len(b) < MinSecretBytes {
		return nil, ErrSecret
	}
	return b, nil
}

// Sign returns the webhook-signature of a body: one "v1,…" per secret,
// separated by spaces.
func Sign(secrets []string, id string, at time.Time, body []byte) (string, error) {
	var sigs []string
	for _, s := range secrets {
		key, err := SecretBytes(s)
		if err != nil {
			return "", err
		}
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(id + "." + strconv.FormatInt(at.Unix(), 10) + "."))
		mac.Write(body)
		sigs = append(sigs, "v1,"+base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	}
	return strings.Join(sigs, " "), nil
}

// Tolerance is how far a delivery's timestamp may be from the receiver's
// clock: older ones are refused as replays.
const Tolerance = 5 * time.Minute

// Verify checks a delivery as a receiver does: the timestamp within
// Tolerance of now, and one of the signatures made with secret.
func Verify(secret string, h http.Header, body []byte, now time.Time) error {
	id, stamp := h.Get("webhook-id"), h.Get("webhook-timestamp")
	sec, err := strconv.ParseInt(stamp, 10, 64)
	if id == "" || err != nil {
		return errors.New("webhook: no webhook-id or webhook-timestamp")
	}
	at := time.Unix(sec, 0)
	if at.Before(now.Add(-Tolerance)) || at.After(now.Add(Tolerance)) {
		return errors.New("webhook: timestamp too far from now")
	}
	want, err := Sign([]string{secret}, id, at, body)
	if err != nil {
		return err
	}
	for _, got := range strings.Fields(h.Get("webhook-signature")) {
		if hmac.Equal([]byte(got), []byte(want)) {
			return nil
		}
	}
	return errors.New("webhook: no signature matches")
}
