package connectors

// Lookup operations (the ones a write's Lookup names) return
// {"found": bool, "record": object|null}. FoundOutput is their output schema.
var FoundOutput = Output("object", "{found: bool, record: object|null}")

// Found is a lookup result: whether the record exists and, if so, the record.
func Found(record map[string]any) map[string]any {
	if record == nil {
		return map[string]any{"found": false, "record": nil}
	}
	return map[string]any{"found": true, "record": record}
}

// Lookup shapes a find call's result as Found, passing errors through.
func Lookup(record map[string]any, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return Found(record), nil
}

// First shapes the first of several matches as Found.
func First(records []map[string]any, err error) (any, error) {
	if err != nil || len(records) == 0 {
		return Lookup(nil, err)
	}
	return Lookup(records[0], nil)
}
