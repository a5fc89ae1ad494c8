package heartland

import (
	"encoding/json"
	"time"
)

// Record is one Heartland resource as the API returns it. Records stay maps
// because accounts add custom fields (custom{}) and "?"-suffixed booleans
// that a fixed struct would drop.
type Record = map[string]any

// Page is one page of a collection.
type Page struct {
	Total   int      `json:"total"`
	Pages   int      `json:"pages"`
	Results []Record `json:"results"`
}

// Created is the outcome of a POST: the new record's id, taken from the
// Location header (or the body when the API returns one).
type Created struct {
	ID       int64  `json:"id"`
	Location string `json:"location,omitempty"`
}

// ListOptions are the query parameters of a collection request.
type ListOptions struct {
	Filter  Filter   // _filter JSON
	Sort    []string // sort[] values, e.g. "created_at,desc", "id"
	Include []string // _include[] related records
	Only    []string // _only[] fields
	Query   string   // full-text query=
	PerPage int      // per_page; default 100
	Page    int      // a single page (1-based); 0 walks every page
	Extra   map[string][]string
}

// InventoryQuery selects inventory values.
type InventoryQuery struct {
	ItemIDs      []int64
	LocationIDs  []int64
	GroupBy      []string // default item_id, location_id
	ExcludeEmpty bool     // exclude_empty_locations=true
	IncludeItem  bool     // _include[]=item
}

// Adjustment is an inventory adjustment set with its lines.
type Adjustment struct {
	LocationID int64            `json:"location_id"`
	ReasonID   int64            `json:"adjustment_reason_id,omitempty"`
	Lines      []AdjustmentLine `json:"-"`
	Complete   bool             `json:"-"` // PUT status complete after the lines
}

// AdjustmentLine is one item's quantity change.
type AdjustmentLine struct {
	ItemID   int64    `json:"item_id"`
	Qty      float64  `json:"qty"`
	UnitCost *float64 `json:"unit_cost,omitempty"`
}

// CustomerSearch finds customers by exactly one of its fields.
type CustomerSearch struct {
	Email    string // _filter {"email": ...}; retried lower-cased when nothing matches
	PublicID string // _filter {"public_id": ...}
	Name     string // full-text query=
	Query    string // full-text query=
}

// Token is an OAuth token. Expiry is zero when the server gave no lifetime.
type Token struct {
	AccessToken  string    `json:"access_token"`
	TokenType    string    `json:"token_type,omitempty"`
	Scope        string    `json:"scope,omitempty"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	ExpiresIn    int64     `json:"expires_in,omitempty"`
	Expiry       time.Time `json:"-"`
}

// errorBody is Heartland's error response, plus the OAuth token endpoint's.
type errorBody struct {
	Error            string          `json:"error"`
	Message          string          `json:"message"`
	Details          json.RawMessage `json:"details"`
	ErrorDescription string          `json:"error_description"`
}
