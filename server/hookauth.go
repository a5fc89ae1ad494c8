package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/internal/auth"
	"github.com/bridgework/bridgework/nodes"
	"github.com/bridgework/bridgework/store"
)

// TimestampHeader carries the sender's signing time (Unix seconds). When it
// is present the HMAC covers "timestamp.body" and deliveries signed more than
// timestampTolerance away from now are refused, which stops replays.
const TimestampHeader = "X-Bridgework-Timestamp"

const timestampTolerance = 5 * time.Minute

var (
	errBadSignature  = apiError(fiber.StatusUnauthorized, "invalid_signature", "the webhook signature or token is missing or wrong")
	errStaleDelivery = apiError(fiber.StatusUnauthorized, "stale_timestamp",
		"the %s header must be Unix seconds within 5 minutes of the server's clock", TimestampHeader)
)

// admitDelivery refuses deliveries to suspended tenants (403), over the
// tenant's payload size (413) or over its runs-per-minute quota (429 with
// Retry-After).
func (s *Server) admitDelivery(t *store.Tenant, size int) error {
	if t.Status != store.TenantActive {
		return errTenantSuspended
	}
	if t.MaxPayloadBytes > 0 && size > t.MaxPayloadBytes {
		return apiError(fiber.StatusRequestEntityTooLarge, "body_too_large",
			"the webhook body has %d bytes; this tenant accepts at most %d", size, t.MaxPayloadBytes)
	}
	return s.takeRun(t)
}

// verifyHook authenticates a delivery by the hook's mode: an HMAC-SHA256 (hex,
// optionally prefixed "sha256=") in the hook's header over the raw body, or
// over "timestamp.body" when the sender sends TimestampHeader; or the hook's
// token as a bearer token, X-Bridgework-Token header or token query parameter
// (for senders such as Heartland that can only vary the URL). During a
// rotation's grace period the previous secret is accepted too.
func (s *Server) verifyHook(c *fiber.Ctx, h *store.Hook, body []byte) error {
	if h.AuthMode == nodes.AuthNone {
		return nil
	}
	secrets, err := s.hookSecrets(h, time.Now())
	if err != nil {
		return err
	}
	switch h.AuthMode {
	case nodes.AuthHMAC:
		signed, err := signedContent(c.Get(TimestampHeader), body, time.Now())
		if err != nil {
			return err
		}
		sig, err := hex.DecodeString(strings.TrimPrefix(strings.TrimSpace(c.Get(h.Header)), "sha256="))
		if err != nil || len(sig) != sha256.Size {
			return errBadSignature
		}
		for _, secret := range secrets {
			mac := hmac.New(sha256.New, []byte(secret))
			mac.Write(signed)
			if hmac.Equal(sig, mac.Sum(nil)) {
				return nil
			}
		}
	case nodes.AuthToken:
		for _, tok := range []string{bearer(c), c.Get("X-Bridgework-Token"), c.Query("token")} {
			for _, secret := range secrets {
				if tok != "" && auth.EqualToken(tok, secret) {
					return nil
				}
			}
		}
	}
	return errBadSignature
}

// hookSecrets returns the secrets a delivery may be signed with: the current
// one and, until it expires, the previous one.
func (s *Server) hookSecrets(h *store.Hook, now time.Time) ([]string, error) {
	var out []string
	cur, err := s.openHookSecret(h)
	if err != nil {
		return nil, err
	}
	if cur != "" {
		out = append(out, cur)
	}
	if h.PreviousExpiresAt != nil && now.Before(*h.PreviousExpiresAt) {
		prev, err := s.openSealedHookSecret(h, h.PreviousSecret)
		if err != nil {
			return nil, err
		}
		if prev != "" {
			out = append(out, prev)
		}
	}
	if len(out) == 0 {
		return nil, errBadSignature
	}
	return out, nil
}

// signedContent is what the HMAC covers: the body, or "timestamp.body" when
// the sender stamped the delivery, after checking the stamp is fresh.
func signedContent(stamp string, body []byte, now time.Time) ([]byte, error) {
	stamp = strings.TrimSpace(stamp)
	if stamp == "" {
		return body, nil
	}
	sec, err := strconv.ParseInt(stamp, 10, 64)
	if err != nil {
		return nil, errStaleDelivery
	}
	if d := now.Sub(time.Unix(sec, 0)); d > timestampTolerance || d < -timestampTolerance {
		return nil, errStaleDelivery
	}
	return append([]byte(stamp+"."), body...), nil
}
