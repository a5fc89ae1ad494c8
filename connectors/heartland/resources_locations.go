package heartland

import "context"

// ListLocations lists locations (GET /locations), with their stations when
// withStations is set (tickets and orders need a station_id).
func (c *Client) ListLocations(ctx context.Context, withStations bool) ([]Record, error) {
	var o ListOptions
	if withStations {
		o.Include = []string{"stations"}
	}
	return c.List(ctx, "list locations", "/locations", o, 0)
}
