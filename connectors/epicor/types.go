package epicor

import "time"

// Record is one Epicor row with its PascalCase field names (OrderNum,
// CustNum, ...). Rows stay maps: they have hundreds of columns plus
// site-specific UD fields ending in _c.
type Record = map[string]any

// collection is the OData v2 envelope: {"@odata.context": ..., "value": [...]}.
type collection struct {
	Value []Record `json:"value"`
}

// CustomerSearch finds customers by exactly one field.
type CustomerSearch struct {
	CustID string // the user-facing customer ID (unique)
	Email  string // EMailAddress
	Name   string // Name, exact match
}

// errorBody is Epicor's REST error response.
type errorBody struct {
	HttpStatus    int           `json:"HttpStatus"`
	ReasonPhrase  string        `json:"ReasonPhrase"`
	ErrorMessage  string        `json:"ErrorMessage"`
	ErrorType     string        `json:"ErrorType"`
	ErrorDetails  []errorDetail `json:"ErrorDetails"`
	CorrelationID string        `json:"CorrelationId"`
}

type errorDetail struct {
	Message string `json:"Message"`
	Type    string `json:"Type"`
	Table   string `json:"Table"`
	Field   string `json:"Field"`
}

// tokenResponse is TokenResource.svc's answer. Only AccessToken is
// documented; the expiry names are accepted in both casings.
type tokenResponse struct {
	AccessToken  string `json:"AccessToken"`
	ExpiresIn    int64  `json:"ExpiresIn"`
	AccessToken2 string `json:"access_token"`
	ExpiresIn2   int64  `json:"expires_in"`
}

// DefaultTokenLifetime is assumed when the token service does not say.
const DefaultTokenLifetime = time.Hour
