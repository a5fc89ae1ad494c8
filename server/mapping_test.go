package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/store"
)

var hlOrder = map[string]any{"id": 100812, "public_id": "HL-10044", "customer_id": 12, "created_at": "2025-03-01T18:22:05+00:00",
	"lines": []any{map[string]any{"item_lookup": "SKU-1", "qty": 2, "unit_price": 12.5}}}

func suggestionFor(t *testing.T, res response, target string) map[string]any {
	t.Helper()
	for _, s := range res.Body["suggestions"].([]any) {
		if m := s.(map[string]any); m["target"] == target {
			return m
		}
	}
	return nil
}

func TestMappingSuggestAndAccept(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		h := newHarness(t, dialect)
		acme, other := h.tenant("acme"), h.tenant("other")
		body := map[string]any{"source_samples": []any{hlOrder},
			"target": map[string]any{"connector": map[string]any{"type": "epicor", "operation": "create_sales_order"}}}
		res := h.do(http.MethodPost, "/api/v1/mapping/suggest", acme.Token, body)
		if res.Status != http.StatusOK {
			t.Fatalf("suggest: %d %s", res.Status, res.Raw)
		}
		for target, source := range map[string]string{"CustNum": "customer_id", "PONum": "public_id", "OrderDate": "created_at"} {
			if s := suggestionFor(t, res, target); s == nil || s["source"] != source || s["reason"] == "" {
				t.Errorf("%s: suggestion %v, want source %s", target, s, source)
			}
		}
		preview := res.Body["preview"].([]any)[0].(map[string]any)
		if preview["PONum"] != "HL-10044" || preview["CustNum"] != float64(12) {
			t.Errorf("preview = %v", preview)
		}
		if res.Body["target_ref"] != "epicor/create_sales_order" || res.Body["jq"] == "" {
			t.Errorf("target_ref/jq = %v / %v", res.Body["target_ref"], res.Body["jq"])
		}

		// NeedByDate gets no suggestion from "id"; accepting that pair in
		// acme's corpus makes it one for acme only.
		if s := suggestionFor(t, res, "NeedByDate"); s != nil && s["source"] == "id" {
			t.Fatalf("NeedByDate already suggested from id: %v", s)
		}
		acc := h.do(http.MethodPost, "/api/v1/mapping/accept", acme.Token, map[string]any{"target_ref": "epicor/create_sales_order",
			"pairs": []any{map[string]any{"source": "id", "target": "NeedByDate"}}})
		if acc.Status != http.StatusOK || acc.Body["accepted"] != float64(1) {
			t.Fatalf("accept: %d %s", acc.Status, acc.Raw)
		}
		again := h.do(http.MethodPost, "/api/v1/mapping/suggest", acme.Token, body)
		if s := suggestionFor(t, again, "NeedByDate"); s == nil || s["source"] != "id" {
			t.Errorf("acme after accepting: NeedByDate suggestion %v, want id", s)
		}
		theirs := h.do(http.MethodPost, "/api/v1/mapping/suggest", other.Token, body)
		if s := suggestionFor(t, theirs, "NeedByDate"); s != nil && s["source"] == "id" {
			t.Errorf("another tenant sees acme's corpus: %v", s)
		}
	})
}

func TestMappingProgramOfChosenPairs(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		h := newHarness(t, dialect)
		acme := h.tenant("acme")
		target := map[string]any{"connector": map[string]any{"type": "epicor", "operation": "create_sales_order"}}
		sug := h.do(http.MethodPost, "/api/v1/mapping/suggest", acme.Token, map[string]any{"source_samples": []any{hlOrder}, "target": target})
		if sug.Status != http.StatusOK {
			t.Fatalf("suggest: %d %s", sug.Status, sug.Raw)
		}
		var all, withoutPO []any
		for _, s := range sug.Body["suggestions"].([]any) {
			m := s.(map[string]any)
			pair := map[string]any{"source": m["source"], "target": m["target"]}
			all = append(all, pair)
			if m["target"] != "PONum" {
				withoutPO = append(withoutPO, pair)
			}
		}
		if len(withoutPO) != len(all)-1 || len(withoutPO) == 0 {
			t.Fatalf("suggestions %s lack PONum or anything else", sug.Raw)
		}
		tests := []struct {
			name       string
			pairs      []any
			jq         func(string) bool
			preview    map[string]any
			unmapped   []any
			violations int
		}{
			{"every best candidate is the suggested program", all, func(jq string) bool { return jq == sug.Body["jq"] },
				map[string]any{"PONum": "HL-10044", "CustNum": float64(12)}, []any{}, 0},
			{"a rejected required field is left out and called unmapped", withoutPO, func(jq string) bool { return !strings.Contains(jq, "PONum") },
				map[string]any{"CustNum": float64(12)}, []any{"PONum"}, 1},
			{"another source for a field", []any{map[string]any{"source": "id", "target": "PONum"}, map[string]any{"source": "customer_id", "target": "CustNum"}},
				func(jq string) bool { return strings.Contains(jq, `"PONum": ($root.id | bw_str)`) },
				map[string]any{"PONum": "100812", "CustNum": float64(12)}, []any{}, 0},
		}
		for _, tc := range tests {
			res := h.do(http.MethodPost, "/api/v1/mapping/program", acme.Token, map[string]any{"source_samples": []any{hlOrder}, "target": target, "pairs": tc.pairs})
			if res.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", tc.name, res.Status, res.Raw)
			}
			if jq, _ := res.Body["jq"].(string); !tc.jq(jq) {
				t.Errorf("%s: jq =\n%s", tc.name, jq)
			}
			out := res.Body["preview"].([]any)[0].(map[string]any)
			for k, want := range tc.preview {
				if out[k] != want {
					t.Errorf("%s: preview[%s] = %v, want %v (%v)", tc.name, k, out[k], want, out)
				}
			}
			if _, ok := out["PONum"]; !ok != (tc.preview["PONum"] == nil) {
				t.Errorf("%s: preview PONum presence wrong: %v", tc.name, out)
			}
			if got := fmt.Sprint(res.Body["unmapped_required"]); got != fmt.Sprint(tc.unmapped) {
				t.Errorf("%s: unmapped_required = %s, want %v", tc.name, got, tc.unmapped)
			}
			if v := res.Body["violations"].([]any)[0].([]any); len(v) != tc.violations {
				t.Errorf("%s: violations = %v, want %d", tc.name, v, tc.violations)
			}
			if res.Body["target_ref"] != "epicor/create_sales_order" {
				t.Errorf("%s: target_ref = %v", tc.name, res.Body["target_ref"])
			}
		}

		bad := []struct {
			name string
			body any
			want string
		}{
			{"unknown target field", map[string]any{"source_samples": []any{hlOrder}, "target": target, "pairs": []any{map[string]any{"source": "id", "target": "Nope"}}}, `the target has no field "Nope"`},
			{"unknown source field", map[string]any{"source_samples": []any{hlOrder}, "target": target, "pairs": []any{map[string]any{"source": "nope", "target": "PONum"}}}, `the source samples have no field "nope"`},
			{"empty pair", map[string]any{"source_samples": []any{hlOrder}, "target": target, "pairs": []any{map[string]any{"source": "", "target": "PONum"}}}, "source and target are required"},
			{"no target", map[string]any{"source_samples": []any{hlOrder}, "target": map[string]any{}, "pairs": []any{}}, "a target (connector operation, schema or samples) is required"},
			{"unknown key", map[string]any{"source_samples": []any{hlOrder}, "target": target, "choices": []any{}}, ""},
		}
		for _, tc := range bad {
			res := h.do(http.MethodPost, "/api/v1/mapping/program", acme.Token, tc.body)
			if res.Status != http.StatusBadRequest {
				t.Errorf("%s: %d %s", tc.name, res.Status, res.Raw)
				continue
			}
			if msg := res.Body["error"].(map[string]any)["message"].(string); !strings.Contains(msg, tc.want) {
				t.Errorf("%s: message %q, want it to contain %q", tc.name, msg, tc.want)
			}
		}
	})
}

func TestMappingRejectsBadInput(t *testing.T) {
	h := newHarness(t, store.SQLite)
	acme := h.tenant("acme")
	tests := []struct {
		name string
		body any
	}{
		{"no samples", map[string]any{"source_samples": []any{}, "target": map[string]any{"samples": []any{map[string]any{"a": 1}}}}},
		{"no target", map[string]any{"source_samples": []any{hlOrder}, "target": map[string]any{}}},
		{"two targets", map[string]any{"source_samples": []any{hlOrder}, "target": map[string]any{"schema": map[string]any{"type": "object"}, "samples": []any{map[string]any{"a": 1}}}}},
		{"unknown operation", map[string]any{"source_samples": []any{hlOrder}, "target": map[string]any{"connector": map[string]any{"type": "epicor", "operation": "nope"}}}},
		{"sample not object", map[string]any{"source_samples": []any{1}, "target": map[string]any{"samples": []any{map[string]any{"a": 1}}}}},
		{"malformed", `{"source_samples": [`},
	}
	for _, tc := range tests {
		if res := h.do(http.MethodPost, "/api/v1/mapping/suggest", acme.Token, tc.body); res.Status != http.StatusBadRequest {
			t.Errorf("%s: %d %s", tc.name, res.Status, res.Raw)
		}
	}
	if res := h.do(http.MethodPost, "/api/v1/mapping/accept", acme.Token, map[string]any{"target_ref": "x", "pairs": []any{}}); res.Status != http.StatusBadRequest {
		t.Errorf("accept without pairs: %d", res.Status)
	}
}

func TestSchemaInferAcceptValidate(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		h := newHarness(t, dialect)
		acme, other := h.tenant("acme"), h.tenant("other")
		flowID, _ := h.publishFlow(acme.Token, "Orders", flowDoc([]map[string]any{openHook()}, nil))
		f, err := h.store.Tenant(acme.ID).Flow(context.Background(), flowID)
		if err != nil {
			t.Fatal(err)
		}
		v, err := h.store.Tenant(acme.ID).FlowVersion(context.Background(), flowID, f.DraftVersion)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3; i++ {
			r := &store.Run{FlowID: flowID, FlowVersionID: v.ID, Payload: store.JSON(fmt.Sprintf(`{"order_number":"%d","total":%d.5}`, 10+i, 20+i))}
			if err := h.store.Tenant(acme.ID).CreateRun(context.Background(), r); err != nil {
				t.Fatal(err)
			}
		}
		inf := h.do(http.MethodPost, "/api/v1/schemas/infer", acme.Token, map[string]any{"flow_id": flowID})
		if inf.Status != http.StatusOK || inf.Body["samples"] != float64(3) {
			t.Fatalf("infer from runs: %d %s", inf.Status, inf.Raw)
		}
		sc := inf.Body["schema"].(map[string]any)
		if req, _ := json.Marshal(sc["required"]); string(req) != `["order_number","total"]` {
			t.Fatalf("inferred required = %s", req)
		}
		if res := h.do(http.MethodPost, "/api/v1/schemas/infer", other.Token, map[string]any{"flow_id": flowID}); res.Status != http.StatusNotFound {
			t.Fatalf("other tenant inferred from acme's flow: %d", res.Status)
		}
		created := h.do(http.MethodPost, "/api/v1/schemas", acme.Token, map[string]any{"name": "orders", "flow_id": flowID, "mode": "fail", "schema": sc})
		if created.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", created.Status, created.Raw)
		}
		id := created.Body["id"].(string)
		if dup := h.do(http.MethodPost, "/api/v1/schemas", acme.Token, map[string]any{"name": "orders", "schema": sc}); dup.Status != http.StatusConflict {
			t.Fatalf("duplicate name: %d", dup.Status)
		}
		bound, err := h.store.Tenant(acme.ID).SchemaForFlow(context.Background(), flowID)
		if err != nil || bound.ID != id || bound.Mode != "fail" {
			t.Fatalf("SchemaForFlow = %+v, %v", bound, err)
		}
		val := h.do(http.MethodPost, "/api/v1/schemas/"+id+"/validate", acme.Token, map[string]any{"documents": []any{
			map[string]any{"order_number": "1", "total": 5.5}, map[string]any{"total": "x"}}})
		if val.Status != http.StatusOK || val.Body["valid"] != false {
			t.Fatalf("validate: %d %s", val.Status, val.Raw)
		}
		results := val.Body["results"].([]any)
		bad := results[1].(map[string]any)["violations"].([]any)
		if results[0].(map[string]any)["valid"] != true || len(bad) != 2 {
			t.Fatalf("results = %v", results)
		}
		if res := h.do(http.MethodGet, "/api/v1/schemas/"+id, other.Token, nil); res.Status != http.StatusNotFound {
			t.Fatalf("other tenant read acme's schema: %d", res.Status)
		}
		if res := h.do(http.MethodPost, "/api/v1/schemas", acme.Token, map[string]any{"name": "x", "mode": "loud", "schema": sc}); res.Status != http.StatusBadRequest {
			t.Fatalf("bad mode: %d", res.Status)
		}
	})
}

func TestAnomalyScanAndList(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		h := newHarness(t, dialect)
		acme, other := h.tenant("acme"), h.tenant("other")
		flowID, _ := h.publishFlow(acme.Token, "Orders", flowDoc([]map[string]any{openHook()}, nil))
		ctx := context.Background()
		ts := h.store.Tenant(acme.ID)
		f, _ := ts.Flow(ctx, flowID)
		v, err := ts.FlowVersion(ctx, flowID, f.DraftVersion)
		if err != nil {
			t.Fatal(err)
		}
		end := store.Now().Truncate(time.Hour)
		for i := 0; i < 60; i++ {
			payload := fmt.Sprintf(`{"order_number":"%d","total":%d,"email":"a@b.co"}`, i, 40+i%7)
			created := end.Add(-time.Duration(60-i) * 5 * time.Hour)
			if i == 59 { // the newest run, inside the window, is odd twice over
				payload, created = `{"order_number":"59","total":900000}`, end.Add(-30*time.Minute)
			}
			r := &store.Run{FlowID: flowID, FlowVersionID: v.ID, Status: store.RunSucceeded, Payload: store.JSON(payload), CreatedAt: created}
			if err := ts.CreateRun(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		scan := map[string]any{"flow_id": flowID, "window_ends_at": end.Format(time.RFC3339)}
		res := h.do(http.MethodPost, "/api/v1/anomalies/scan", acme.Token, scan)
		if res.Status != http.StatusOK {
			t.Fatalf("scan: %d %s", res.Status, res.Raw)
		}
		if res.Body["recorded"] != float64(2) {
			t.Fatalf("recorded %v flags, want 2 (outlier total, missing email): %s", res.Body["recorded"], res.Raw)
		}
		if again := h.do(http.MethodPost, "/api/v1/anomalies/scan", acme.Token, scan); again.Body["recorded"] != float64(0) {
			t.Fatalf("a rescan recorded duplicates: %s", again.Raw)
		}
		list := h.do(http.MethodGet, "/api/v1/anomalies?kind=value_outlier&flow_id="+flowID, acme.Token, nil)
		items := list.Body["anomalies"].([]any)
		if list.Status != http.StatusOK || len(items) != 1 || items[0].(map[string]any)["field"] != "total" {
			t.Fatalf("list: %d %s", list.Status, list.Raw)
		}
		if l := h.do(http.MethodGet, "/api/v1/anomalies?to="+end.Add(-2*time.Hour).Format(time.RFC3339), acme.Token, nil); len(l.Body["anomalies"].([]any)) != 0 {
			t.Fatalf("time filter ignored: %s", l.Raw)
		}
		if l := h.do(http.MethodGet, "/api/v1/anomalies", other.Token, nil); len(l.Body["anomalies"].([]any)) != 0 {
			t.Fatalf("other tenant sees acme's anomalies: %s", l.Raw)
		}
		if l := h.do(http.MethodGet, "/api/v1/anomalies?kind=bogus", acme.Token, nil); l.Status != http.StatusBadRequest {
			t.Fatalf("bad kind: %d", l.Status)
		}
	})
}
