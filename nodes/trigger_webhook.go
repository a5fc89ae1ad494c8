package nodes

import (
	"context"
	"fmt"
	"time"

	"github.com/bridgework/bridgework/engine"
)

// TypeWebhook starts a run for every accepted inbound webhook.
const TypeWebhook = "trigger.webhook"

// Webhook authentication modes.
const (
	AuthHMAC  = "hmac"
	AuthToken = "token"
	AuthNone  = "none"
)

// DefaultSignatureHeader carries the HMAC-SHA256 signature of the body.
const DefaultSignatureHeader = "X-Bridgework-Signature"

// dedupeTimeout bounds the dedupe-key program on the request path.
const dedupeTimeout = time.Second

var webhookSpec = engine.NodeSpec{
	Type:        TypeWebhook,
	Title:       "Webhook",
	Category:    CategoryTrigger,
	Description: "Starts a run when a system posts JSON to the flow's webhook URL. The payload becomes the node's output and $trigger. The server authenticates the request (HMAC signature over the raw body, or a bearer token) before a run is created.",
	Config: object("", nil, map[string]*engine.Schema{
		"auth": object("How inbound requests are authenticated (the secret is stored with the flow's webhook, not here).", nil, map[string]*engine.Schema{
			"mode":   {Type: "string", Enum: []any{AuthHMAC, AuthToken, AuthNone}, Default: AuthHMAC, Description: "hmac: HMAC-SHA256 of the raw body in a header; token: bearer token; none: no check."},
			"header": {Type: "string", Default: DefaultSignatureHeader, Description: "Header carrying the HMAC signature.", Advanced: true},
		}),
		"dedupe_key": jqField("jq over the payload yielding a key; a second webhook with the same key is acknowledged but starts no run."),
		"sample":     {Description: "Sample payload used by the editor's test runs and jq previews."},
	}),
	Ports:     []string{engine.PortOut},
	Trigger:   true,
	Variables: engine.JQVariables[:1],
	Examples: []engine.Example{
		example("Heartland order webhook with deduplication", map[string]any{
			"auth":       map[string]any{"mode": AuthHMAC},
			"dedupe_key": ".order.id",
			"sample":     map[string]any{"order": map[string]any{"id": 10234, "public_id": "10234"}},
		}),
	},
}

// Webhook is a compiled trigger.webhook node. The server reads its
// authentication settings and dedupe key from the plan's trigger node.
type Webhook struct {
	passThrough
	mode   string
	header string
	dedupe *engine.JQ
	sample any
}

type webhookConfig struct {
	Auth struct {
		Mode   string `json:"mode"`
		Header string `json:"header"`
	} `json:"auth"`
	DedupeKey string `json:"dedupe_key"`
	Sample    any    `json:"sample"`
}

func registerWebhook(r *engine.Registry) {
	r.Register(webhookSpec, func(b *engine.Build) (engine.Node, error) {
		var c webhookConfig
		if err := b.Decode(&c); err != nil {
			return nil, err
		}
		w := &Webhook{mode: c.Auth.Mode, header: c.Auth.Header, sample: c.Sample}
		if w.mode == "" {
			w.mode = AuthHMAC
		}
		if w.header == "" {
			w.header = DefaultSignatureHeader
		}
		w.dedupe = b.JQ("config.dedupe_key", c.DedupeKey)
		return w, nil
	})
}

// AuthMode returns AuthHMAC, AuthToken or AuthNone.
func (w *Webhook) AuthMode() string { return w.mode }

// SignatureHeader returns the header that carries the HMAC signature.
func (w *Webhook) SignatureHeader() string { return w.header }

// Sample returns the configured sample payload (nil when unset).
func (w *Webhook) Sample() any { return w.sample }

// DedupeKey evaluates the dedupe_key program over a payload (plain JSON
// values, see engine.Normalize). It returns "" when no dedupe key is
// configured or the program yields null.
func (w *Webhook) DedupeKey(payload any) (string, error) {
	if w.dedupe == nil {
		return "", nil
	}
	v, err := engine.Normalize(payload)
	if err != nil {
		return "", fmt.Errorf("webhook dedupe key: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), dedupeTimeout)
	defer cancel()
	key, err := w.dedupe.Key(ctx, v, &engine.Input{Trigger: v})
	if err != nil {
		return "", fmt.Errorf("webhook dedupe key: %w", err)
	}
	return key, nil
}
