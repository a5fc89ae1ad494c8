package alert_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/bridgework/bridgework/internal/alert"
	"github.com/bridgework/bridgework/internal/netguard"
)

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Webhook and Slack posts are made for the notification's tenant, so the
// outbound guard applies that tenant's allow-list.
func TestNotificationsAreSentForTheirTenant(t *testing.T) {
	var seen []string
	nf := &alert.Notifier{HTTPClient: &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen = append(seen, netguard.TenantOf(r.Context()))
		return nil, errors.New("not sent")
	})}}
	n := alert.Notification{Status: "firing", TenantID: "tenant-7", RuleName: "failures"}
	for _, ch := range []alert.Channel{{Type: alert.ChannelWebhook, URL: "http://hooks.internal/a"}, {Type: alert.ChannelSlack, URL: "http://hooks.internal/b"}} {
		if err := nf.Send(context.Background(), ch, n); err == nil || !strings.Contains(err.Error(), "not sent") {
			t.Errorf("%s: %v", ch.Type, err)
		}
	}
	if strings.Join(seen, ",") != "tenant-7,tenant-7" {
		t.Errorf("posts made for tenants %q, want tenant-7 twice", seen)
	}
}
