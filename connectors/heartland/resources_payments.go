package heartland

import "context"

// ListPayments lists payments (GET /payments). Heartland filters them by
// local_completed_at and status, not by location.
func (c *Client) ListPayments(ctx context.Context, o ListOptions, limit int) ([]Record, error) {
	return c.List(ctx, "list payments", "/payments", o, limit)
}

// ListPaymentTypes lists the account's payment types (GET /payment_types).
func (c *Client) ListPaymentTypes(ctx context.Context) ([]Record, error) {
	return c.List(ctx, "list payment types", "/payment_types", ListOptions{}, 0)
}
