package mapping

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/bridgework/bridgework/schema"
)

// TestGenerateBestPairsIsSuggestProgram: generating from every suggestion's
// best candidate gives exactly the program Suggest returns.
func TestGenerateBestPairsIsSuggestProgram(t *testing.T) {
	t.Parallel()
	for _, c := range loadCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			req := c.request("", nil)
			sug, err := Suggest(req)
			if err != nil {
				t.Fatal(err)
			}
			var pairs []Pair
			for _, s := range sug.Suggestions {
				pairs = append(pairs, Pair{Source: s.Source, Target: s.Target})
			}
			gen, err := Generate(req, pairs)
			if err != nil {
				t.Fatal(err)
			}
			if gen.JQ != sug.JQ {
				t.Errorf("program differs:\n%s\nwant\n%s", gen.JQ, sug.JQ)
			}
			if !reflect.DeepEqual(gen.UnmappedRequired, sug.UnmappedRequired) {
				t.Errorf("unmapped required = %v, want %v", gen.UnmappedRequired, sug.UnmappedRequired)
			}
		})
	}
}

// order is a source with a collection, for subsets of the pairs.
var order = map[string]any{"public_id": "HL-7", "customer": map[string]any{"id": 12, "name": "Jane"}, "status": "open",
	"lines": []any{
		map[string]any{"item_lookup": "SKU-1", "description": "Blue mug", "qty": "2", "unit_price": 36.0, "adjusted_unit_price": 30.0},
		map[string]any{"item_lookup": "SKU-2", "description": "Red mug", "qty": 1, "unit_price": 4.76, "adjusted_unit_price": 4.76},
	}}

var salesOrder = &schema.Schema{Type: schema.Types{"object"}, Required: []string{"CustNum", "PONum", "OrderDtls"}, Properties: map[string]*schema.Schema{
	"CustNum":      {Type: schema.Types{"integer"}},
	"PONum":        {Type: schema.Types{"string"}},
	"CustomerName": {Type: schema.Types{"string"}},
	"OrderDtls": {Type: schema.Types{"array"}, Items: &schema.Schema{Type: schema.Types{"object"}, Required: []string{"PartNum"}, Properties: map[string]*schema.Schema{
		"PartNum":         {Type: schema.Types{"string"}},
		"SellingQuantity": {Type: schema.Types{"number"}},
		"DocUnitPrice":    {Type: schema.Types{"number"}},
		"LineDesc":        {Type: schema.Types{"string"}},
	}}},
}}

func TestGenerateSubset(t *testing.T) {
	t.Parallel()
	req := Request{SourceSamples: []any{order}, Target: Target{Schema: salesOrder}}
	tests := []struct {
		name     string
		pairs    []Pair
		want     any
		unmapped []string
	}{
		{"nothing chosen", nil, map[string]any{}, []string{"CustNum", "OrderDtls[].PartNum", "PONum"}},
		{"header only", []Pair{{"public_id", "PONum"}, {"customer.id", "CustNum"}},
			map[string]any{"PONum": "HL-7", "CustNum": 12}, []string{"OrderDtls[].PartNum"}},
		{"lines with an alternative price and a converted quantity",
			[]Pair{{"public_id", "PONum"}, {"customer.id", "CustNum"}, {"lines[].item_lookup", "OrderDtls[].PartNum"},
				{"lines[].qty", "OrderDtls[].SellingQuantity"}, {"lines[].adjusted_unit_price", "OrderDtls[].DocUnitPrice"}},
			map[string]any{"PONum": "HL-7", "CustNum": float64(12), "OrderDtls": []any{
				map[string]any{"PartNum": "SKU-1", "SellingQuantity": float64(2), "DocUnitPrice": float64(30)},
				map[string]any{"PartNum": "SKU-2", "SellingQuantity": float64(1), "DocUnitPrice": 4.76},
			}}, []string{}},
		{"a line field alone still maps the collection", []Pair{{"lines[].description", "OrderDtls[].LineDesc"}},
			map[string]any{"OrderDtls": []any{map[string]any{"LineDesc": "Blue mug"}, map[string]any{"LineDesc": "Red mug"}}},
			[]string{"CustNum", "OrderDtls[].PartNum", "PONum"}},
		{"a collection field for a header field takes the first element", []Pair{{"lines[].item_lookup", "CustomerName"}},
			map[string]any{"CustomerName": "SKU-1"}, []string{"CustNum", "OrderDtls[].PartNum", "PONum"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Generate(req, tc.pairs)
			if err != nil {
				t.Fatal(err)
			}
			out, err := Preview(context.Background(), res.JQ, req.SourceSamples)
			if err != nil {
				t.Fatalf("%v\nprogram:\n%s", err, res.JQ)
			}
			if got, want := jsonOf(t, out[0]), jsonOf(t, tc.want); got != want {
				t.Errorf("output = %s, want %s\nprogram:\n%s", got, want, res.JQ)
			}
			if !slices.Equal(res.UnmappedRequired, tc.unmapped) {
				t.Errorf("unmapped required = %v, want %v", res.UnmappedRequired, tc.unmapped)
			}
		})
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestGenerateRejectsUnknownPairs(t *testing.T) {
	t.Parallel()
	req := Request{SourceSamples: []any{order}, Target: Target{Schema: salesOrder}}
	for name, pairs := range map[string][]Pair{
		"unknown target":   {{"public_id", "OrderNum"}},
		"unknown source":   {{"po_number", "PONum"}},
		"object as source": {{"customer", "CustomerName"}},
		"target twice":     {{"public_id", "PONum"}, {"status", "PONum"}},
	} {
		if _, err := Generate(req, pairs); !errors.Is(err, ErrBadRequest) {
			t.Errorf("%s: err = %v, want a bad request", name, err)
		}
	}
	if _, err := Generate(Request{Target: Target{Schema: salesOrder}}, nil); !errors.Is(err, ErrBadRequest) {
		t.Errorf("no samples: err = %v", err)
	}
}
