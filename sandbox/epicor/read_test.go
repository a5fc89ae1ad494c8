package epicor

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func q(s string) string { return url.QueryEscape(s) }

func TestFilterExpressions(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	for _, c := range []map[string]any{
		{"Company": "EPIC06", "CustID": "OBRIEN&S", "Name": "O'Brien & Sons + Co", "City": "Zürich"},
		{"Company": "EPIC06", "CustID": "QUOTE", "Name": `Say "hi" 50% off`, "City": "日本"},
	} {
		h.do(t, "POST", odataBase+"Erp.BO.CustomerSvc/Customers", c).want(t, http.StatusCreated)
	}
	tests := []struct {
		filter string
		want   int
	}{
		{"CustID eq 'ROEJ'", 1},
		{"CustID eq 'roej'", 1}, // case-insensitive like SQL Server
		{"EMailAddress eq 'john.smith@example.com'", 2},
		{"Name eq 'O''Brien & Sons + Co'", 1},
		{"contains(Name,'&')", 1},
		{`Name eq 'Say "hi" 50% off'`, 1},
		{"City eq 'Zürich' or City eq '日本'", 2},
		{"startswith(Name,'Jane') and not (CustNum gt 1)", 1},
		{"endswith(EMailAddress,'.org')", 1},
		{"CustNum ge 3 and CustNum le 5", 3},
		{"(CustNum lt 2 or CustNum gt 20) and Inactive eq false", 5},
		{"CustNum ne 1 and CreditHold eq false", 23},
		{"tolower(Name) eq 'maria garcia'", 1},
		{"Address2 eq null", 0},
		{"substringof('Smith', Name)", 2},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			t.Parallel()
			r := h.do(t, "GET", odataBase+"Erp.BO.CustomerSvc/Customers?$count=true&$filter="+q(tt.filter), nil).want(t, 200)
			if got := int(r.body["@odata.count"].(float64)); got != tt.want {
				t.Fatalf("count %d, want %d: %s", got, tt.want, r.raw)
			}
		})
	}
	strict := newHarness(t, Options{CaseSensitiveFilters: true})
	r := strict.do(t, "GET", odataBase+"Erp.BO.CustomerSvc/Customers?$filter="+q("CustID eq 'roej'"), nil).want(t, 200)
	if len(r.value()) != 0 {
		t.Errorf("case-sensitive filter matched %s", r.raw)
	}
}

func TestBadQueries(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	tests := []struct{ query, want string }{
		{"$filter=" + q("Nope eq 1"), "Nope"},
		{"$filter=" + q("Name eq 'unterminated"), "unterminated"},
		{"$filter=" + q("(CustNum eq 1"), "')'"},
		{"$filter=" + q("CustNum eq"), "end of expression"},
		{"$filter=" + q("frobnicate(Name)"), "frobnicate"},
		{"$select=Name,Nope", "Nope"},
		{"$orderby=" + q("Name sideways"), "Name sideways"},
		{"$top=-1", "$top"},
		{"$expand=Orders", "Orders"},
		{"$apply=groupby", "$apply"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			r := h.do(t, "GET", odataBase+"Erp.BO.CustomerSvc/Customers?"+tt.query, nil).want(t, http.StatusBadRequest)
			if r.body["ErrorType"] != typeOData || !strings.Contains(r.body["ErrorMessage"].(string), tt.want) {
				t.Fatalf("body %s, want ODataException mentioning %s", r.raw, tt.want)
			}
		})
	}
}

func TestPagingWithTopSkip(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	seen := map[string]bool{}
	for skip := 0; ; skip += 20 {
		r := h.do(t, "GET", fmt.Sprintf("%sErp.BO.PartSvc/Parts?$select=PartNum&$orderby=PartNum%%20desc&$top=20&$skip=%d", odataBase, skip), nil).want(t, 200)
		for _, p := range r.value() {
			seen[p.(map[string]any)["PartNum"].(string)] = true
		}
		if len(r.value()) < 20 {
			break
		}
	}
	if want := len(h.srv.Data().Epicor.Parts); len(seen) != want {
		t.Fatalf("paged over %d parts, want %d", len(seen), want)
	}
	capped := newHarness(t, Options{MaxRows: 10})
	if r := capped.do(t, "GET", odataBase+"Erp.BO.PartSvc/Parts", nil).want(t, 200); len(r.value()) != 10 {
		t.Fatalf("MaxRows 10: got %d rows", len(r.value()))
	}
	if r := capped.do(t, "GET", odataBase+"Erp.BO.PartSvc/Parts?$top=30", nil).want(t, 200); len(r.value()) != 30 {
		t.Fatalf("explicit $top=30 with MaxRows 10: got %d rows", len(r.value()))
	}
	r := h.do(t, "GET", odataBase+"Erp.BO.PartSvc/Parts/$count?$filter="+q("TypeCode eq 'M'"), nil).want(t, 200)
	if string(r.raw) != "4" {
		t.Fatalf("$count = %q, want 4 make-to-order parts", r.raw)
	}
}

func TestKeysNavigationExpand(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	p := h.do(t, "GET", odataBase+"Erp.BO.PartSvc/Parts('EPIC06','SKU-1001')?$select=PartNum,TypeCode&$expand=PartWhses($select=WarehouseCode,OnHandQty;$orderby=WarehouseCode)", nil).want(t, 200)
	whses := p.body["PartWhses"].([]any)
	if p.body["PartNum"] != "SKU-1001" || len(whses) != 3 || whses[0].(map[string]any)["WarehouseCode"] != "DTWN" {
		t.Fatalf("part with expand: %s", p.raw)
	}
	if got := whses[0].(map[string]any)["OnHandQty"].(float64); got != h.srv.OnHand("SKU-1001", "DTWN") {
		t.Errorf("OnHandQty %v, OnHand() %v", got, h.srv.OnHand("SKU-1001", "DTWN"))
	}
	nav := h.do(t, "GET", odataBase+"Erp.BO.PartSvc/Parts('EPIC06','SKU-1001')/PartWhses", nil).want(t, 200)
	if len(nav.value()) != 3 {
		t.Fatalf("navigation: %s", nav.raw)
	}
	for _, path := range []string{
		"Erp.BO.PartSvc/Parts(Company='EPIC06',PartNum='SKU-1001')",
		"Erp.BO.PartSvc/Parts('SKU-1001')",
		"Erp.BO.CustomerSvc/Customers('EPIC06',1)",
		"Erp.BO.PartSvc/PartWhses('EPIC06','SKU-1001','MfgSys','MALL')",
		"Erp.BO.GLAccountSvc/GLAccounts('EPIC06','MainBook','1000%7C00')",
	} {
		h.do(t, "GET", odataBase+path, nil).want(t, 200)
	}
	tests := []struct {
		path   string
		status int
		typ    string
	}{
		{"Erp.BO.PartSvc/Parts('EPIC06','NOPE')", 404, typeNotFound},
		{"Erp.BO.CustomerSvc/Customers('EPIC06',999)", 404, typeNotFound},
		{"Erp.BO.CustomerSvc/Customers('EPIC06','x')", 400, typeOData},
		{"Erp.BO.NopeSvc/Things", 404, typeAPI},
		{"Erp.BO.PartSvc/parts", 404, typeAPI},
		{"Erp.BO.PartSvc/Parts('EPIC06','SKU-1001')/Nope", 404, typeAPI},
	}
	for _, tt := range tests {
		r := h.do(t, "GET", odataBase+tt.path, nil)
		if r.status != tt.status || r.body["ErrorType"] != tt.typ {
			t.Errorf("GET %s: %d %s, want %d %s", tt.path, r.status, r.raw, tt.status, tt.typ)
		}
	}
	if r := h.do(t, "GET", "/kinetic/api/v2/odata/OTHER/Erp.BO.PartSvc/Parts", nil); r.status != 400 {
		t.Errorf("wrong company: %d %s", r.status, r.raw)
	}
	svc := h.do(t, "GET", odataBase+"Erp.BO.SalesOrderSvc/", nil).want(t, 200)
	if len(svc.value()) != 3 {
		t.Errorf("service document: %s", svc.raw)
	}
	meta := h.do(t, "GET", odataBase+"Erp.BO.SalesOrderSvc/$metadata", nil).want(t, 200)
	if !strings.Contains(string(meta.raw), `<EntitySet Name="OrderDtls"`) {
		t.Errorf("metadata: %s", meta.raw)
	}
	ids := h.do(t, "POST", odataBase+"Erp.BO.CustomerSvc/GetByID", `{"custNum":1}`).want(t, 200)
	if rows, _ := ids.body["returnObj"].(map[string]any)["Customer"].([]any); len(rows) != 1 {
		t.Errorf("GetByID: %s", ids.raw)
	}
	h.do(t, "GET", odataBase+"Erp.BO.PartSvc/GetByID?partNum=SKU-1002", nil).want(t, 200)
	h.do(t, "POST", odataBase+"Erp.BO.CustomerSvc/GetByID", `{"custNum":999}`).want(t, 404)
	h.do(t, "POST", odataBase+"Erp.BO.CustomerSvc/GetList", `{}`).want(t, 404)
}
