package heartland

import (
	"context"
	"fmt"
)

// RegisterWebhook subscribes url to events such as
// "sales_transaction_completed" and "item_created" (POST /webhooks).
// Heartland does not sign deliveries: put a secret in the URL's query.
func (c *Client) RegisterWebhook(ctx context.Context, url string, events []string) (Created, error) {
	return c.create(ctx, "register webhook", "/webhooks", map[string]any{"url": url, "events": events})
}

// ListWebhooks lists the subscriptions (GET /webhooks).
func (c *Client) ListWebhooks(ctx context.Context) ([]Record, error) {
	return c.List(ctx, "list webhooks", "/webhooks", ListOptions{}, 0)
}

// FindWebhook returns the subscription delivering to url, or nil.
func (c *Client) FindWebhook(ctx context.Context, url string) (Record, error) {
	hooks, err := c.ListWebhooks(ctx)
	if err != nil {
		return nil, err
	}
	for _, h := range hooks {
		if h["url"] == url {
			return h, nil
		}
	}
	return nil, nil
}

// DeleteWebhook removes a subscription (DELETE /webhooks/{id}).
func (c *Client) DeleteWebhook(ctx context.Context, id int64) error {
	return c.delete(ctx, "delete webhook", fmt.Sprintf("/webhooks/%d", id))
}
