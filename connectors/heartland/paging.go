package heartland

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"strconv"
)

// DefaultPerPage is the page size used when ListOptions.PerPage is 0.
const DefaultPerPage = 100

// values encodes the options as Heartland query parameters.
func (o ListOptions) values() (url.Values, error) {
	q := url.Values{}
	for k, vs := range o.Extra {
		q[k] = append([]string(nil), vs...)
	}
	if len(o.Filter) > 0 {
		f, err := o.Filter.Encode()
		if err != nil {
			return nil, err
		}
		q.Set("_filter", f)
	}
	for _, s := range o.Sort {
		q.Add("sort[]", s)
	}
	for _, s := range o.Include {
		q.Add("_include[]", s)
	}
	for _, s := range o.Only {
		q.Add("_only[]", s)
	}
	if o.Query != "" {
		q.Set("query", o.Query)
	}
	perPage := o.PerPage
	if perPage <= 0 {
		perPage = DefaultPerPage
	}
	q.Set("per_page", strconv.Itoa(perPage))
	if o.Page > 0 {
		q.Set("page", strconv.Itoa(o.Page))
	}
	return q, nil
}

// Page fetches one page of a collection (page 1 when o.Page is 0).
func (c *Client) Page(ctx context.Context, action, path string, o ListOptions) (Page, error) {
	if o.Page <= 0 {
		o.Page = 1
	}
	q, err := o.values()
	if err != nil {
		return Page{}, err
	}
	var p Page
	err = c.get(ctx, action, path, q, &p)
	return p, err
}

// List returns a collection's records. With o.Page set it returns that page
// only; otherwise it walks pages 1..pages. limit > 0 stops after that many
// records. Paging by page number can skip or repeat records that change
// meanwhile; use Scan for syncs.
func (c *Client) List(ctx context.Context, action, path string, o ListOptions, limit int) ([]Record, error) {
	single := o.Page > 0
	if !single {
		o.Page = 1
	}
	out := []Record{}
	for {
		p, err := c.Page(ctx, action, path, o)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Results...)
		if limit > 0 && len(out) >= limit {
			return out[:limit], nil
		}
		if single || len(p.Results) == 0 || o.Page >= p.Pages {
			return out, nil
		}
		o.Page++
	}
}

// Scan walks a collection in id order with keyset paging: sort[]=id and
// _filter {"id":{"$gt":last}} (ANDed with o.Filter), one page after another,
// starting after afterID. Records created or changed during the scan are not
// skipped or repeated the way page numbers would. Stop early by breaking out
// of the loop; an error ends the sequence.
func (c *Client) Scan(ctx context.Context, action, path string, o ListOptions, afterID int64) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		base := o.Filter
		o.Sort = []string{"id"}
		o.Page = 1
		last := afterID
		for {
			o.Filter = And(base, Gt("id", last))
			p, err := c.Page(ctx, action, path, o)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, r := range p.Results {
				id, ok := recordID(r)
				if !ok {
					yield(nil, fmt.Errorf("heartland: %s: record without a numeric id", action))
					return
				}
				if id <= last {
					yield(nil, fmt.Errorf("heartland: %s: ids out of order (%d after %d); the server ignored sort[]=id", action, id, last))
					return
				}
				last = id
				if !yield(r, nil) {
					return
				}
			}
			if len(p.Results) == 0 || p.Pages == 1 {
				return
			}
		}
	}
}

// recordID reads a record's numeric id.
func recordID(r Record) (int64, bool) {
	switch v := r["id"].(type) {
	case float64:
		return int64(v), true
	case string:
		id, err := strconv.ParseInt(v, 10, 64)
		return id, err == nil
	}
	return 0, false
}
