package seed

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestGenerateIsDeterministic(t *testing.T) {
	t.Parallel()
	a, b := Generate(42), Generate(42)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave different data")
	}
	if reflect.DeepEqual(a, Generate(43)) {
		t.Fatal("different seeds gave identical data")
	}
}

func TestGeneratedDataShape(t *testing.T) {
	t.Parallel()
	d := Generate(1)
	parts := map[string]Part{}
	for _, p := range d.Epicor.Parts {
		parts[p.PartNum] = p
	}
	var matched, unmatched, mto int
	for _, it := range d.Heartland.Items {
		if p, ok := parts[it.PublicID]; ok {
			matched++
			if p.MakeToOrder {
				mto++
			}
		} else {
			unmatched++
		}
	}
	if matched < 50 || unmatched < 3 || mto != MakeToOrderParts {
		t.Errorf("items: %d matched, %d unmatched, %d make-to-order", matched, unmatched, mto)
	}
	whse := map[string]bool{}
	for _, w := range d.Epicor.Warehouses {
		whse[w.WarehouseCode] = true
	}
	if len(d.Heartland.Locations) != 3 {
		t.Fatalf("%d locations, want 3", len(d.Heartland.Locations))
	}
	for _, l := range d.Heartland.Locations {
		if code, _ := l.Custom["epicor_warehouse"].(string); !whse[code] {
			t.Errorf("location %s maps to unknown warehouse %q", l.Name, code)
		}
	}
	if len(d.Heartland.Customers) < 20 || len(d.Epicor.Customers) < 20 {
		t.Errorf("customers: %d Heartland, %d Epicor, want >= 20 each", len(d.Heartland.Customers), len(d.Epicor.Customers))
	}
	ids := map[string]bool{}
	for _, c := range d.Epicor.Customers {
		if ids[c.CustID] || len(c.CustID) > 10 {
			t.Errorf("CustID %q duplicated or too long", c.CustID)
		}
		ids[c.CustID] = true
	}
	var names []string
	for _, p := range d.Heartland.PaymentTypes {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, ","); got != "Visa,Mastercard,Amex,Cash,Gift Card" {
		t.Errorf("payment types %s", got)
	}
	if len(d.Epicor.GLAccounts) < 10 || len(d.Epicor.BankAccts) < 2 || len(d.Epicor.PayMethods) != 5 {
		t.Errorf("finance data: %d GL, %d bank, %d pay methods", len(d.Epicor.GLAccounts), len(d.Epicor.BankAccts), len(d.Epicor.PayMethods))
	}
	var drift int
	onHand := map[string]float64{}
	for _, pw := range d.Epicor.PartWhses {
		onHand[pw.PartNum+"/"+pw.WarehouseCode] = pw.OnHandQty
	}
	itemPart := map[int64]string{}
	for _, it := range d.Heartland.Items {
		itemPart[it.ID] = it.PublicID
	}
	locWhse := map[int64]string{}
	for _, l := range d.Heartland.Locations {
		locWhse[l.ID] = l.Custom["epicor_warehouse"].(string)
	}
	for _, s := range d.Heartland.Inventory {
		if q, ok := onHand[itemPart[s.ItemID]+"/"+locWhse[s.LocationID]]; ok && q != s.QtyOnHand {
			drift++
		}
	}
	if drift == 0 {
		t.Error("no inventory drift between the systems; sync tests need some")
	}
}

func TestNearDuplicates(t *testing.T) {
	t.Parallel()
	d := Generate(1)
	byEmail := map[string]int{}
	for _, c := range d.Heartland.Customers {
		byEmail[strings.ToLower(c.Email)]++
	}
	if byEmail["jane.roe@example.com"] != 1 || d.Heartland.Customers[0].Email != "Jane.Roe@Example.COM" {
		t.Error("Jane Roe's email should differ only by case from Epicor")
	}
	var upper bool
	for _, c := range d.Epicor.Customers {
		upper = upper || c.Name == strings.ToUpper(c.Name) && strings.ContainsRune(c.Name, ' ')
	}
	if !upper {
		t.Error("no all-capitals Epicor customer name")
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d := Generate(5)
	d.Epicor.Company = ""
	b, _ := json.Marshal(d)
	good := filepath.Join(dir, "good.json")
	os.WriteFile(good, b, 0o600)
	got, err := Load(good)
	if err != nil {
		t.Fatal(err)
	}
	if got.Epicor.Company != Company || len(got.Heartland.Items) != len(d.Heartland.Items) {
		t.Errorf("loaded company %q, %d items", got.Epicor.Company, len(got.Heartland.Items))
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"heartland":[]}`), 0o600)
	if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), "bad.json") {
		t.Errorf("Load(bad) = %v, want an error naming the file", err)
	}
}
