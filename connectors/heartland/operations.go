package heartland

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/bridgework/bridgework/connectors"
)

// DefaultRate is the default request rate per connection. Heartland
// publishes no limit; about 5 requests per second is what integrators use.
const DefaultRate = 5

// DefaultBurst is the default number of requests sent at once: one, so that
// calls are spaced evenly (Heartland's guidance is one call at a time at
// about 5 per second) and never exceed the budget at the start of a second.
const DefaultBurst = 1

var defaultLimit = connectors.RateLimit{PerSecond: DefaultRate, Burst: DefaultBurst}

// DefaultLimit caps list operations unless the input sets "limit", so a
// flow step cannot pull a whole catalogue into run history by accident.
const DefaultLimit = 1000

type (
	in   = connectors.Values
	call = connectors.Call[*Client]
)

var run = connectors.Runner[*Client]

// Spec is the Heartland connection type: its config, how to open it and
// its operations.
func Spec() connectors.System {
	return connectors.System{
		Name:  System,
		Title: "Heartland Retail",
		ConfigSchema: connectors.Input(append(connectors.SettingsProps("API root, e.g. https://acme.retail.heartland.us/api", defaultLimit),
			connectors.String("auth", "api_token (default) or oauth").Enum("api_token", "oauth"),
			connectors.String("client_id", "OAuth app client id (auth=oauth)"),
			connectors.String("redirect_uri", "OAuth redirect URI registered with Heartland (auth=oauth)"),
			connectors.Array("scopes", "OAuth scopes, e.g. sales.order.view (auth=oauth)", map[string]any{"type": "string"}),
			connectors.String("authorize_url", "OAuth authorize URL (default "+DefaultAuthorizeURL+")"),
			connectors.String("token_url", "OAuth token URL (default "+DefaultTokenURL+")"),
		)...),
		Secrets:    []string{"api_token", "client_secret", "access_token", "refresh_token", "token_expires_at"},
		Open:       open,
		Operations: operations(),
	}
}

// open builds a client from a connection.
func open(conn connectors.Connection, env connectors.Env) (connectors.Client, error) {
	v := connectors.NewValues("config", conn.Config)
	s := connectors.ReadSettings(v, defaultLimit)
	mode := v.String("auth")
	if err := v.Err(); err != nil {
		return nil, err
	}
	opts := env.HTTPOptions(conn, s)
	switch mode {
	case "", "api_token":
		tok := conn.Secrets["api_token"]
		if tok == "" {
			return nil, &connectors.InputError{Field: "secrets.api_token", Problem: "is required (create one under My Account → API Tokens)"}
		}
		return New(s.BaseURL, StaticToken(tok), opts), nil
	case "oauth":
		cfg, err := OAuthConfigOf(conn)
		if err != nil {
			return nil, err
		}
		tok := Token{AccessToken: conn.Secrets["access_token"], RefreshToken: conn.Secrets["refresh_token"]}
		if exp := conn.Secrets["token_expires_at"]; exp != "" {
			t, err := time.Parse(time.RFC3339, exp)
			if err != nil {
				return nil, &connectors.InputError{Field: "secrets.token_expires_at", Problem: "must be an RFC 3339 time"}
			}
			tok.Expiry = t
		}
		save := func(ctx context.Context, t Token) error {
			if env.SaveSecrets == nil {
				return nil
			}
			sec := maps.Clone(conn.Secrets)
			sec["access_token"], sec["refresh_token"] = t.AccessToken, t.RefreshToken
			delete(sec, "token_expires_at")
			if !t.Expiry.IsZero() {
				sec["token_expires_at"] = t.Expiry.UTC().Format(time.RFC3339)
			}
			return env.SaveSecrets(ctx, conn.ID, sec)
		}
		return New(s.BaseURL, NewOAuthSource(cfg, tok, opts, save), opts), nil
	}
	return nil, &connectors.InputError{Field: "config.auth", Problem: fmt.Sprintf("must be api_token or oauth, got %q", mode)}
}

// OAuthConfigOf reads a connection's OAuth app settings (for the
// authorize redirect and the code exchange).
func OAuthConfigOf(conn connectors.Connection) (OAuthConfig, error) {
	v := connectors.NewValues("config", conn.Config)
	cfg := OAuthConfig{
		ClientID:     v.RequiredString("client_id"),
		ClientSecret: conn.Secrets["client_secret"],
		RedirectURI:  v.String("redirect_uri"),
		Scopes:       v.Strings("scopes"),
		AuthorizeURL: v.String("authorize_url"),
		TokenURL:     v.String("token_url"),
	}
	if err := v.Err(); err != nil {
		return OAuthConfig{}, err
	}
	if cfg.ClientSecret == "" {
		return OAuthConfig{}, &connectors.InputError{Field: "secrets.client_secret", Problem: "is required for auth=oauth"}
	}
	return cfg, nil
}

// Input properties shared by several operations.
var (
	idProp      = connectors.Integer("id", "Heartland record id").Required()
	includeProp = connectors.Array("include", "Related records to embed (_include[]), e.g. lines, payments, customer", map[string]any{"type": "string"})
	fieldsProp  = connectors.Object("fields", "Fields to set (snake_case; custom fields as \"custom@key\" or a custom object)").Required()
	listProps   = []connectors.Prop{
		connectors.Object("filter", "_filter JSON, e.g. {\"updated_at\":{\"$gt\":\"2025-01-01T00:00:00Z\"}}"),
		connectors.Array("sort", "sort[] values, e.g. \"created_at,desc\"", map[string]any{"type": "string"}),
		includeProp,
		connectors.Integer("per_page", "Page size (default 100)"),
		connectors.Integer("page", "Fetch only this page (1-based); default walks all pages"),
		connectors.Integer("limit", "Stop after this many records (default 1000; 0 = all)"),
	}
)

// listOptions reads listProps.
func listOptions(v *in) (ListOptions, int) {
	return ListOptions{
		Filter:  v.Map("filter"),
		Sort:    v.Strings("sort"),
		Include: v.Strings("include"),
		PerPage: int(v.Int("per_page")),
		Page:    int(v.Int("page")),
	}, v.Limit("limit", DefaultLimit)
}

// list is the Run of a list operation.
func list(f func(*Client, context.Context, ListOptions, int) ([]Record, error)) func(context.Context, connectors.Client, map[string]any) (any, error) {
	return run(func(v *in) call {
		o, limit := listOptions(v)
		return func(ctx context.Context, c *Client) (any, error) { return f(c, ctx, o, limit) }
	})
}

// withProps returns listProps followed by extra.
func withProps(extra ...connectors.Prop) []connectors.Prop {
	return append(append([]connectors.Prop(nil), listProps...), extra...)
}

func operations() []connectors.Operation {
	record := func(desc string) []byte { return connectors.Output("object", desc) }
	records := func(desc string) []byte { return connectors.Output("array", desc) }
	created := connectors.Output("object", "{id, location}: the new record's id taken from the Location header")
	found := connectors.FoundOutput
	return []connectors.Operation{
		{Name: "get_sales_order", Description: "Get a sales order: GET /sales/orders/{id}",
			InputSchema: connectors.Input(idProp, includeProp), OutputSchema: record("The order"),
			Run: run(func(v *in) call {
				id, inc := v.RequiredInt("id"), v.Strings("include")
				return func(ctx context.Context, c *Client) (any, error) { return c.GetSalesOrder(ctx, id, inc) }
			})},
		{Name: "list_sales_orders", Description: "List sales orders with a filter: GET /sales/orders, page by page up to limit",
			InputSchema: connectors.Input(listProps...), OutputSchema: records("Orders"),
			Run: list((*Client).ListSalesOrders)},
		{Name: "update_sales_order", Description: "Update an order's status and custom fields: PUT /sales/orders/{id}", Writes: true,
			InputSchema: connectors.Input(idProp,
				connectors.String("status", "New status: pending, open, closed or canceled"),
				connectors.Object("custom", "Custom field values to set, by key"),
				connectors.Object("fields", "Other fields to set")),
			OutputSchema: record("The order as returned by the PUT (may be empty)"),
			Run: run(func(v *in) call {
				id := v.RequiredInt("id")
				body := v.Fields("fields")
				if s := v.String("status"); s != "" {
					body["status"] = s
				}
				for k, val := range v.Map("custom") {
					body[Custom(k)] = val
				}
				return func(ctx context.Context, c *Client) (any, error) { return c.UpdateSalesOrder(ctx, id, body) }
			})},
		{Name: "get_sales_ticket", Description: "Get a POS ticket: GET /sales/tickets/{id}",
			InputSchema: connectors.Input(idProp, includeProp), OutputSchema: record("The ticket"),
			Run: run(func(v *in) call {
				id, inc := v.RequiredInt("id"), v.Strings("include")
				return func(ctx context.Context, c *Client) (any, error) { return c.GetSalesTicket(ctx, id, inc) }
			})},
		{Name: "list_sales_tickets", Description: "List POS tickets with a filter: GET /sales/tickets, page by page up to limit",
			InputSchema: connectors.Input(listProps...), OutputSchema: records("Tickets"),
			Run: list((*Client).ListSalesTickets)},
		{Name: "get_item", Description: "Get an item: GET /items/{id}",
			InputSchema: connectors.Input(idProp), OutputSchema: record("The item"),
			Run: run(func(v *in) call {
				id := v.RequiredInt("id")
				return func(ctx context.Context, c *Client) (any, error) { return c.GetItem(ctx, id) }
			})},
		{Name: "list_items", Description: "List items with a filter or text query: GET /items, page by page up to limit",
			InputSchema: connectors.Input(withProps(connectors.String("query", "Full-text search"))...), OutputSchema: records("Items"),
			Run: run(func(v *in) call {
				o, limit := listOptions(v)
				o.Query = v.String("query")
				return func(ctx context.Context, c *Client) (any, error) { return c.ListItems(ctx, o, limit) }
			})},
		{Name: "find_item", Description: "Find an item by public_id (Item #): GET /items?_filter={\"public_id\":...}",
			InputSchema: connectors.Input(connectors.String("public_id", "Item #").Required()), OutputSchema: found,
			Run: run(func(v *in) call {
				pid := v.RequiredString("public_id")
				return func(ctx context.Context, c *Client) (any, error) { return connectors.Lookup(c.FindItem(ctx, pid)) }
			})},
		{Name: "create_item", Description: "Create an item: POST /items (description and cost are required)", Writes: true,
			IdempotencyKey: "public_id", Lookup: "find_item",
			InputSchema: connectors.Input(connectors.String("public_id", "Item # (the de-duplication key)").Required(),
				connectors.String("description", "Item description").Required(),
				connectors.Number("cost", "Unit cost").Required(),
				connectors.Number("price", "Selling price"),
				connectors.Object("fields", "Other fields to set")),
			OutputSchema: created,
			Run: run(func(v *in) call {
				body := v.Fields("fields")
				body["public_id"], body["description"] = v.RequiredString("public_id"), v.RequiredString("description")
				body["cost"], _ = v.Float("cost")
				if p, ok := v.Float("price"); ok {
					body["price"] = p
				}
				return func(ctx context.Context, c *Client) (any, error) { return c.CreateItem(ctx, body) }
			})},
		{Name: "update_item", Description: "Update an item: PUT /items/{id}", Writes: true,
			InputSchema: connectors.Input(idProp, fieldsProp), OutputSchema: record("The item as returned by the PUT (may be empty)"),
			Run: update((*Client).UpdateItem)},
		{Name: "upsert_items_batch", Description: "Create or update many items: Heartland has no multi-item write, so one POST /items or PUT /items/{id} per item, up to concurrency at a time; items without an id are first looked up by Item # (one GET /items per 100) and updated when they exist; refused items are reported per item and the rest saved", Writes: true, Parts: true,
			InputSchema: connectors.Input(
				connectors.Array("items", "Items to save", connectors.ObjectSchema(
					connectors.Integer("id", "Heartland item id: update this item; without it the item is created, or updated when its Item # exists"),
					connectors.String("public_id", "Item # (PartNum); creates are de-duplicated by it").Required(),
					connectors.String("description", "Item description (required to create)"),
					connectors.Number("cost", "Unit cost, sent only when the item is created (required to create)"),
					connectors.Number("price", "Selling price"),
					connectors.Object("fields", "Other fields to set (custom fields as custom@key or a custom object)"))).Required(),
				connectors.Integer("concurrency", fmt.Sprintf("Items written at a time (default %d, at most %d)", DefaultItemConcurrency, MaxItemConcurrency))),
			OutputSchema: connectors.Output("object", "{calls, created: [{index, id, public_id}], updated: [{index, id, public_id}], failed: [{index, id, public_id, error}]}"),
			Run: run(func(v *in) call {
				concurrency := int(v.Int("concurrency"))
				var items []ItemWrite
				var bad error
				for i, m := range v.Objects("items") {
					iv := connectors.NewValues(fmt.Sprintf("input.items[%d]", i), m)
					it := ItemWrite{ID: iv.Int("id"), PublicID: iv.RequiredString("public_id"), Fields: iv.Fields("fields")}
					if d, ok := iv.Raw("description"); ok {
						it.Fields["description"] = d
					}
					if p, ok := iv.Float("price"); ok {
						it.Fields["price"] = p
					}
					if cost, ok := iv.Float("cost"); ok {
						it.Cost = &cost
					}
					switch {
					case bad != nil:
					case iv.Err() != nil:
						bad = iv.Err()
					case it.ID == 0 && (!iv.Has("description") || it.Cost == nil):
						bad = &connectors.InputError{Field: fmt.Sprintf("input.items[%d]", i), Problem: "needs description and cost to create an item (or an id to update one)"}
					}
					items = append(items, it)
				}
				return func(ctx context.Context, c *Client) (any, error) {
					if bad != nil {
						return nil, bad
					}
					return c.SaveItems(ctx, items, concurrency)
				}
			})},
		{Name: "get_inventory_values", Description: "On-hand, committed and available quantities by item and location: GET /inventory/values?group[]=item_id&group[]=location_id",
			InputSchema: connectors.Input(
				connectors.Array("item_ids", "Only these items", map[string]any{"type": "integer"}),
				connectors.Array("location_ids", "Only these locations", map[string]any{"type": "integer"}),
				connectors.Boolean("exclude_empty_locations", "Leave out locations without stock"),
				connectors.Boolean("include_item", "Embed the item record")),
			OutputSchema: records("Rows with item_id, location_id, qty_on_hand, qty_committed, qty_available, ..."),
			Run: run(func(v *in) call {
				q := InventoryQuery{ItemIDs: v.Ints("item_ids"), LocationIDs: v.Ints("location_ids"),
					ExcludeEmpty: v.Bool("exclude_empty_locations", false), IncludeItem: v.Bool("include_item", false)}
				return func(ctx context.Context, c *Client) (any, error) { return c.InventoryValues(ctx, q) }
			})},
		{Name: "create_inventory_adjustment", Description: "Adjust stock at a location: POST /inventory/adjustment_sets, POST .../lines per line, PUT status complete", Writes: true,
			InputSchema: connectors.Input(
				connectors.Integer("location_id", "Location").Required(),
				connectors.Integer("adjustment_reason_id", "Reason code id (GET /reason_codes/inventory_adjustment_reasons)"),
				connectors.Array("lines", "Lines", connectors.ObjectSchema(
					connectors.Integer("item_id", "Item").Required(),
					connectors.Number("qty", "Quantity change (negative removes stock)").Required(),
					connectors.Number("unit_cost", "Unit cost"))).Required(),
				connectors.Boolean("complete", "Complete the set so on-hand changes (default true)")),
			OutputSchema: created,
			Run: run(func(v *in) call {
				a := Adjustment{LocationID: v.RequiredInt("location_id"), ReasonID: v.Int("adjustment_reason_id"), Complete: v.Bool("complete", true)}
				for _, l := range v.Objects("lines") {
					lv := connectors.NewValues("input.lines[]", l)
					line := AdjustmentLine{ItemID: lv.RequiredInt("item_id")}
					line.Qty, _ = lv.Float("qty")
					if cost, ok := lv.Float("unit_cost"); ok {
						line.UnitCost = &cost
					}
					a.Lines = append(a.Lines, line)
				}
				return func(ctx context.Context, c *Client) (any, error) { return c.CreateAdjustment(ctx, a) }
			})},
		{Name: "adjust_stock_batch", Description: "Apply many stock changes in few calls: per location, completed adjustment sets of up to batch_size lines, each one POST /inventory/adjustment_sets; refused lines are reported per change and the rest applied", Writes: true, Parts: true,
			InputSchema: connectors.Input(
				connectors.Array("changes", "Stock changes", connectors.ObjectSchema(
					connectors.Integer("location_id", "Location").Required(),
					connectors.Integer("item_id", "Item").Required(),
					connectors.Number("qty", "Quantity change (negative removes stock)").Required(),
					connectors.Number("unit_cost", "Unit cost"))).Required(),
				connectors.Integer("batch_size", fmt.Sprintf("Lines per adjustment set (default %d, at most %d)", DefaultBatchSize, MaxBatchSize)),
				connectors.Integer("adjustment_reason_id", "Reason code id")),
			OutputSchema: connectors.Output("object", "{calls, applied, set_ids, failed: [{index, change, error}]}"),
			Run: run(func(v *in) call {
				size := int(v.Int("batch_size"))
				if size < 0 || size > MaxBatchSize {
					size = MaxBatchSize
				}
				reason := v.Int("adjustment_reason_id")
				var changes []StockChange
				for _, m := range v.Objects("changes") {
					cv := connectors.NewValues("input.changes[]", m)
					ch := StockChange{LocationID: cv.RequiredInt("location_id"), ItemID: cv.RequiredInt("item_id")}
					ch.Qty, _ = cv.Float("qty")
					if cost, ok := cv.Float("unit_cost"); ok {
						ch.UnitCost = &cost
					}
					changes = append(changes, ch)
				}
				return func(ctx context.Context, c *Client) (any, error) { return c.AdjustStock(ctx, changes, size, reason) }
			})},
		{Name: "search_customers", Description: "Search customers by email (_filter) or name (query=): GET /customers",
			InputSchema: connectors.Input(connectors.String("email", "Exact email"), connectors.String("name", "Name or other text"),
				connectors.Integer("limit", "At most this many (default 50; 0 = all)")),
			OutputSchema: records("Customers"),
			Run: run(func(v *in) call {
				s := CustomerSearch{Email: v.String("email"), Name: v.String("name")}
				limit := v.Limit("limit", 50)
				return func(ctx context.Context, c *Client) (any, error) { return c.SearchCustomers(ctx, s, limit) }
			})},
		{Name: "find_customer", Description: "Find one customer by email or public_id: GET /customers?_filter=...",
			InputSchema:  connectors.Input(connectors.String("email", "Exact email"), connectors.String("public_id", "Customer #")),
			OutputSchema: found,
			Run: run(func(v *in) call {
				s := CustomerSearch{Email: v.String("email"), PublicID: v.String("public_id")}
				return func(ctx context.Context, c *Client) (any, error) { return connectors.Lookup(c.FindCustomer(ctx, s)) }
			})},
		{Name: "get_customer", Description: "Get a customer: GET /customers/{id}",
			InputSchema: connectors.Input(idProp), OutputSchema: record("The customer"),
			Run: run(func(v *in) call {
				id := v.RequiredInt("id")
				return func(ctx context.Context, c *Client) (any, error) { return c.GetCustomer(ctx, id) }
			})},
		{Name: "list_customer_addresses", Description: "List a customer's addresses: GET /customers/{id}/addresses",
			InputSchema: connectors.Input(idProp), OutputSchema: records("Addresses (line_1, line_2, city, state, postal_code, country)"),
			Run: run(func(v *in) call {
				id := v.RequiredInt("id")
				return func(ctx context.Context, c *Client) (any, error) { return c.CustomerAddresses(ctx, id) }
			})},
		{Name: "create_customer", Description: "Create a customer: POST /customers", Writes: true,
			IdempotencyKey: "email", Lookup: "find_customer",
			InputSchema: connectors.Input(connectors.String("first_name", "First name").Required(),
				connectors.String("last_name", "Last name").Required(),
				connectors.String("email", "Email (the de-duplication key)").Required(),
				connectors.Object("fields", "Other fields to set")),
			OutputSchema: created,
			Run: run(func(v *in) call {
				body := v.Fields("fields")
				body["first_name"], body["last_name"], body["email"] = v.RequiredString("first_name"), v.RequiredString("last_name"), v.RequiredString("email")
				return func(ctx context.Context, c *Client) (any, error) { return c.CreateCustomer(ctx, body) }
			})},
		{Name: "update_customer", Description: "Update a customer: PUT /customers/{id}", Writes: true,
			InputSchema: connectors.Input(idProp, fieldsProp), OutputSchema: record("The customer as returned by the PUT (may be empty)"),
			Run: update((*Client).UpdateCustomer)},
		{Name: "list_payments", Description: "List payments (filter by local_completed_at, status): GET /payments",
			InputSchema: connectors.Input(listProps...), OutputSchema: records("Payments"),
			Run: list((*Client).ListPayments)},
		{Name: "list_payment_types", Description: "List payment types: GET /payment_types",
			InputSchema: connectors.Input(), OutputSchema: records("Payment types (id, name)"),
			Run: run(func(*in) call {
				return func(ctx context.Context, c *Client) (any, error) { return c.ListPaymentTypes(ctx) }
			})},
		{Name: "list_locations", Description: "List locations with their stations: GET /locations?_include[]=stations",
			InputSchema: connectors.Input(), OutputSchema: records("Locations with stations[]"),
			Run: run(func(*in) call {
				return func(ctx context.Context, c *Client) (any, error) { return c.ListLocations(ctx, true) }
			})},
		{Name: "register_webhook", Description: "Subscribe a URL to events: POST /webhooks", Writes: true,
			IdempotencyKey: "url", Lookup: "find_webhook",
			InputSchema: connectors.Input(connectors.String("url", "Delivery URL (put a shared secret in its query string)").Required(),
				connectors.Array("events", "Events, e.g. sales_transaction_completed, item_created", map[string]any{"type": "string"}).Required()),
			OutputSchema: created,
			Run: run(func(v *in) call {
				u, events := v.RequiredString("url"), v.Strings("events")
				return func(ctx context.Context, c *Client) (any, error) { return c.RegisterWebhook(ctx, u, events) }
			})},
		{Name: "find_webhook", Description: "Find the subscription for a URL: GET /webhooks",
			InputSchema: connectors.Input(connectors.String("url", "Delivery URL").Required()), OutputSchema: found,
			Run: run(func(v *in) call {
				u := v.RequiredString("url")
				return func(ctx context.Context, c *Client) (any, error) { return connectors.Lookup(c.FindWebhook(ctx, u)) }
			})},
		{Name: "list_webhooks", Description: "List webhook subscriptions: GET /webhooks",
			InputSchema: connectors.Input(), OutputSchema: records("Subscriptions (id, url, events)"),
			Run: run(func(*in) call {
				return func(ctx context.Context, c *Client) (any, error) { return c.ListWebhooks(ctx) }
			})},
		{Name: "delete_webhook", Description: "Remove a webhook subscription: DELETE /webhooks/{id}", Writes: true,
			InputSchema: connectors.Input(idProp), OutputSchema: connectors.Output("object", "{deleted: id}"),
			Run: run(func(v *in) call {
				id := v.RequiredInt("id")
				return func(ctx context.Context, c *Client) (any, error) {
					return map[string]any{"deleted": id}, c.DeleteWebhook(ctx, id)
				}
			})},
	}
}

// update is the Run of an {id, fields} update operation.
func update(f func(*Client, context.Context, int64, map[string]any) (Record, error)) func(context.Context, connectors.Client, map[string]any) (any, error) {
	return run(func(v *in) call {
		id, fields := v.RequiredInt("id"), v.Map("fields")
		return func(ctx context.Context, c *Client) (any, error) { return f(c, ctx, id, fields) }
	})
}
