package alert

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/smtp"
	"strings"
	"time"

	"github.com/bridgework/bridgework/internal/netguard"
)

// Notification is what a rule sends when it fires, repeats or resolves; the
// generic webhook channel receives it as JSON.
type Notification struct {
	Status    string    `json:"status"` // firing or resolved
	AlertID   string    `json:"alert_id"`
	TenantID  string    `json:"tenant_id"`
	RuleID    string    `json:"rule_id"`
	RuleName  string    `json:"rule_name"`
	Kind      string    `json:"kind"`
	FlowID    string    `json:"flow_id,omitempty"`
	Value     float64   `json:"value"`
	Threshold float64   `json:"threshold"`
	Message   string    `json:"message"`
	StartedAt time.Time `json:"started_at"`
	At        time.Time `json:"at"`
}

// summary is the one-line text of a notification (Slack text, mail subject).
func (n Notification) summary() string {
	return fmt.Sprintf("[%s] %s: %s", strings.ToUpper(n.Status), n.RuleName, n.Message)
}

// SMTP is the mail relay e-mail channels send through.
type SMTP struct {
	Addr     string // host:port; empty disables e-mail channels
	From     string
	Username string // optional PLAIN auth (only over TLS or to localhost)
	Password string
}

// Notifier delivers notifications.
type Notifier struct {
	// HTTPClient sends webhook and Slack notifications: the process's
	// outbound client, so its address guard applies.
	HTTPClient *http.Client
	SMTP       SMTP
}

// ErrNoSMTP is returned for an e-mail channel when no relay is configured.
var ErrNoSMTP = errors.New("alert: e-mail channel but no SMTP relay is configured (BRIDGEWORK_SMTP_ADDR)")

// Send delivers n to one channel. Webhook and Slack posts are made for the
// notification's tenant: the guard applies its outbound allow-list.
func (nf *Notifier) Send(ctx context.Context, ch Channel, n Notification) error {
	ctx = netguard.WithTenant(ctx, n.TenantID)
	switch ch.Type {
	case ChannelWebhook:
		return nf.post(ctx, ch.URL, n)
	case ChannelSlack:
		return nf.post(ctx, ch.URL, map[string]string{"text": n.summary()})
	case ChannelEmail:
		return nf.mail(ctx, ch.To, n)
	}
	return fmt.Errorf("alert: unknown channel type %q", ch.Type)
}

func (nf *Notifier) post(ctx context.Context, url string, body any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("alert: encode notification: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("alert: webhook %s: %w", url, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Bridgework-Alerts")
	resp, err := nf.HTTPClient.Do(req)
	if err != nil {
		return fmt.Errorf("alert: webhook %s: %w", url, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 300 {
		return fmt.Errorf("alert: webhook %s: answered %d", url, resp.StatusCode)
	}
	return nil
}

func (nf *Notifier) mail(ctx context.Context, to []string, n Notification) error {
	cfg := nf.SMTP
	if cfg.Addr == "" {
		return ErrNoSMTP
	}
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return fmt.Errorf("alert: smtp address %q: %w", cfg.Addr, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("alert: smtp dial %s: %w", cfg.Addr, err)
	}
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("alert: smtp %s: %w", cfg.Addr, err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host}); err != nil {
			return fmt.Errorf("alert: smtp starttls: %w", err)
		}
	}
	if cfg.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", cfg.Username, cfg.Password, host)); err != nil {
			return fmt.Errorf("alert: smtp auth: %w", err)
		}
	}
	if err := c.Mail(cfg.From); err != nil {
		return fmt.Errorf("alert: smtp from %s: %w", cfg.From, err)
	}
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt); err != nil {
			return fmt.Errorf("alert: smtp recipient %s: %w", rcpt, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("alert: smtp data: %w", err)
	}
	if _, err := w.Write(message(cfg.From, to, n)); err != nil {
		return fmt.Errorf("alert: smtp data: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("alert: smtp data: %w", err)
	}
	return c.Quit()
}

// message renders the e-mail of a notification.
func message(from string, to []string, n Notification) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: [Bridgework] %s\r\n", from, strings.Join(to, ", "), oneLine(n.summary()))
	fmt.Fprintf(&b, "Date: %s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n", n.At.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "%s\r\n\r\nRule: %s (%s)\r\nStatus: %s\r\nValue: %g (threshold %g)\r\nSince: %s\r\nAlert: %s\r\n",
		n.Message, n.RuleName, n.Kind, n.Status, n.Value, n.Threshold, n.StartedAt.Format(time.RFC3339), n.AlertID)
	return b.Bytes()
}

// oneLine keeps header values on one line.
func oneLine(s string) string { return strings.NewReplacer("\r", " ", "\n", " ").Replace(s) }
