package seed

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// Sizes and fixed identifiers of generated data.
const (
	MatchedParts     = 56 // items whose public_id equals a PartNum
	MakeToOrderParts = 4  // the last matched parts are made to order
	Company          = "EPIC06"
	Plant            = "MfgSys"
)

var (
	adjectives = []string{"Blue", "Red", "Classic", "Organic", "Vintage", "Deluxe", "Compact", "Rustic"}
	nouns      = []string{"Mug", "Candle", "Notebook", "Scarf", "Tote Bag", "Lamp", "Planter"}
	sites      = []struct{ loc, name, whse, whseName string }{
		{"001", "Downtown", "DTWN", "Downtown Store"},
		{"002", "Riverside Mall", "MALL", "Riverside Mall Store"},
		{"003", "Outlet Warehouse", "OUTL", "Outlet / Distribution"},
	}
	payNames = []string{"Visa", "Mastercard", "Amex", "Cash", "Gift Card"}
)

// person is one real-world customer; each system records it in its own way.
type person struct {
	first, last, email, street, city, state, zip, phone string
}

var people = []person{
	{"Jane", "Roe", "jane.roe@example.com", "12 Oak Street", "Dayton", "OH", "45402", "937-555-0101"},
	{"John", "Smith", "john.smith@example.com", "400 Elm Avenue", "Columbus", "OH", "43215", "614-555-0102"},
	{"Maria", "Garcia", "maria.garcia@example.net", "77 Pine Road", "Cincinnati", "OH", "45202", "513-555-0103"},
	{"Robert", "Johnson", "bob.johnson@example.org", "9 Maple Drive", "Toledo", "OH", "43604", "419-555-0104"},
	{"Linda", "O'Brien", "linda.obrien@example.com", "250 Lakeview Boulevard", "Akron", "OH", "44308", "330-555-0105"},
	{"Wei", "Zhang", "wei.zhang@example.com", "18 Cedar Lane", "Dayton", "OH", "45403", "937-555-0106"},
	{"Ana", "Müller", "ana.mueller@example.de", "5 Birch Court", "Kettering", "OH", "45429", "937-555-0107"},
	{"David", "Lee", "david.lee@example.com", "1200 North Main Street", "Springfield", "OH", "45504", "937-555-0108"},
	{"Sarah", "Connor", "sarah.connor@example.com", "3 Industrial Parkway", "Dayton", "OH", "45414", "937-555-0109"},
	{"Michael", "Brown", "mike.brown@example.com", "66 South High Street", "Columbus", "OH", "43215", "614-555-0110"},
	{"Emily", "Davis", "emily.davis@example.com", "410 West Third Street", "Dayton", "OH", "45402", "937-555-0111"},
	{"James", "Wilson", "james.wilson@example.com", "88 Riverside Drive", "Dayton", "OH", "45405", "937-555-0112"},
	{"Patricia", "Taylor", "pat.taylor@example.com", "21 Hill Street", "Xenia", "OH", "45385", "937-555-0113"},
	{"Acme", "Corporation", "orders@acme.example.com", "1 Acme Plaza, Suite 100", "Dayton", "OH", "45402", "937-555-0114"},
	{"Globex", "Inc", "purchasing@globex.example.com", "500 Commerce Avenue", "Dayton", "OH", "45402", "937-555-0115"},
	{"Thomas", "Anderson", "neo@example.com", "101 Matrix Way", "Fairborn", "OH", "45324", "937-555-0116"},
	{"Jennifer", "Martinez", "jen.martinez@example.com", "47 Sunset Boulevard", "Beavercreek", "OH", "45431", "937-555-0117"},
	{"Christopher", "Thomas", "chris.thomas@example.com", "12 Mountain Road", "Centerville", "OH", "45459", "937-555-0118"},
	{"Jessica", "Moore", "jessica.moore@example.com", "900 Forest Avenue", "Troy", "OH", "45373", "937-555-0119"},
	{"Daniel", "Jackson", "daniel.jackson@example.com", "6 Stargate Court", "Dayton", "OH", "45440", "937-555-0120"},
	{"Karen", "White", "karen.white@example.com", "30 Second Street", "Miamisburg", "OH", "45342", "937-555-0121"},
	{"Steven", "Harris", "steven.harris@example.com", "14 Mill Road", "Vandalia", "OH", "45377", "937-555-0122"},
}

// Generate returns the dataset for a seed number. The same seed always gives
// the same data; the seed varies prices, costs and quantities.
func Generate(seed int64) *Dataset {
	rng := rand.New(rand.NewPCG(uint64(seed), 0xb41d6e))
	d := &Dataset{Epicor: Epicor{Company: Company, Plant: Plant}}
	genSites(d)
	genCatalog(d, rng)
	genCustomers(d)
	genFinance(d)
	return d
}

func genSites(d *Dataset) {
	for i, s := range sites {
		id := int64(100001 + i)
		d.Heartland.Locations = append(d.Heartland.Locations, Location{
			ID: id, PublicID: s.loc, Name: s.name,
			Stations: []Station{{ID: 100011 + int64(i)*10, Name: s.name + " Register 1", Active: true},
				{ID: 100012 + int64(i)*10, Name: s.name + " Register 2", Active: true}},
			Custom: map[string]any{"epicor_warehouse": s.whse},
		})
		d.Epicor.Warehouses = append(d.Epicor.Warehouses, Warehouse{WarehouseCode: s.whse, Description: s.whseName, Plant: Plant})
	}
	for i, n := range []string{"Damaged", "Count correction", "ERP sync"} {
		d.Heartland.Reasons = append(d.Heartland.Reasons, PaymentType{ID: 100301 + int64(i), Name: n})
	}
}

func money(v float64) float64 { return math.Round(v*100) / 100 }

// genCatalog writes matched items/parts, a few that deliberately do not
// match, and on-hand quantities that drift for every seventh item.
func genCatalog(d *Dataset, rng *rand.Rand) {
	nextItem := int64(100501)
	addItem := func(publicID, desc string, price, cost float64) int64 {
		id := nextItem
		nextItem++
		d.Heartland.Items = append(d.Heartland.Items, Item{
			ID: id, PublicID: publicID, Description: desc, Cost: cost, Price: price, Active: true,
			TrackInventory: true, PrimaryBarcode: fmt.Sprintf("0%011d", 40000000000+id),
			Custom: map[string]any{"upc": fmt.Sprintf("0%011d", 40000000000+id)},
		})
		return id
	}
	for i := range MatchedParts + 3 {
		num := fmt.Sprintf("SKU-%d", 1001+i)
		desc := adjectives[i%len(adjectives)] + " " + nouns[(i/len(adjectives)+i)%len(nouns)]
		price := money(5 + rng.Float64()*95)
		cost := money(price * (0.35 + rng.Float64()*0.25))
		mto := i >= MatchedParts-MakeToOrderParts && i < MatchedParts
		part := Part{PartNum: num, PartDescription: desc, TypeCode: "P", IUM: "EA", SalesUM: "EA",
			UnitPrice: price, ProdCode: "RETAIL", UPCCode1: fmt.Sprintf("0%011d", 40000000000+int64(100501+i))}
		if mto {
			part.TypeCode, part.NonStock, part.MakeToOrder, part.ProdCode = "M", true, true, "CUSTOM"
			part.PartDescription = "Custom " + desc
		}
		d.Epicor.Parts = append(d.Epicor.Parts, part)
		hlID := num
		switch i {
		case MatchedParts: // case differs: sku-1057
			hlID = strings.ToLower(num)
		case MatchedParts + 1: // hyphen missing: SKU1058
			hlID = strings.ReplaceAll(num, "-", "")
		case MatchedParts + 2: // Epicor only
			continue
		}
		itemID := addItem(hlID, part.PartDescription, price, cost)
		for w, loc := range d.Heartland.Locations {
			qty := float64(rng.IntN(40))
			if mto {
				qty = 0
			}
			d.Epicor.PartWhses = append(d.Epicor.PartWhses, PartWhse{PartNum: num, WarehouseCode: sites[w].whse, OnHandQty: qty})
			hlQty := qty
			if i%7 == 3 && !mto {
				hlQty = max(0, qty+float64(rng.IntN(9)-4))
			}
			d.Heartland.Inventory = append(d.Heartland.Inventory, Stock{ItemID: itemID, LocationID: loc.ID, QtyOnHand: hlQty})
		}
	}
	for i, desc := range []string{"Gift Wrap Service", "Store Gift Card", "Bag Fee"} { // Heartland only
		addItem(fmt.Sprintf("HL-%d", 9001+i), desc, money(1+float64(i)*2), 0)
	}
}

// customerVariant changes how Heartland (h) or Epicor (e) records person i.
func customerVariant(i int, h *Customer, e *ECustomer) {
	switch i {
	case 0: // email case differs
		h.Email = "Jane.Roe@Example.COM"
	case 1: // stray spacing
		h.FirstName, h.LastName = " John", "Smith  "
	case 2: // Epicor name in capitals, address abbreviated
		e.Name, e.Address1 = "MARIA GARCIA", "77 Pine Rd."
	case 3: // nickname, and the email differs
		h.FirstName = "Bob"
		e.Name, e.EMailAddress = "Robert Johnson", "robert.johnson@example.org"
	case 4: // apostrophe dropped
		e.Name = "Linda OBrien"
	case 6: // transliteration
		e.Name, e.EMailAddress = "Ana Mueller", "ANA.MUELLER@EXAMPLE.DE"
	case 7: // abbreviations
		h.Address.Line1 = "1200 N. Main St"
	case 9: // typo in Heartland last name
		h.LastName = "Borwn"
	case 11: // ZIP+4 and typo in street
		e.Zip, e.Address1 = "45405-1234", "88 Riverside Dr"
		h.Address.Line1 = "88 Riversde Drive"
	case 13: // company abbreviations
		h.FirstName, h.LastName = "ACME", "Corp."
		e.Name = "Acme Corporation"
	case 14:
		e.Name = "Globex, Inc."
	case 16: // email domain typo in Heartland
		h.Email = "jen.martinez@exmaple.com"
	}
}

func genCustomers(d *Dataset) {
	hlID, custNum := int64(100101), int64(1)
	for i, p := range people {
		h := Customer{ID: hlID, PublicID: fmt.Sprintf("C%d", 1000+i), FirstName: p.first, LastName: p.last,
			Email: p.email, Phone: p.phone, Custom: map[string]any{},
			Address: Address{Line1: p.street, City: p.city, State: p.state, PostalCode: p.zip, Country: "US"}}
		id := strings.ToUpper(strings.Map(func(r rune) rune {
			if r < 'A' || r > 'z' || (r > 'Z' && r < 'a') {
				return -1
			}
			return r
		}, p.last))
		e := ECustomer{CustNum: custNum, CustID: fmt.Sprintf("%.6s%c", id, p.first[0]), Name: p.first + " " + p.last,
			Address1: p.street, City: p.city, State: p.state, Zip: p.zip, Country: "USA", PhoneNum: p.phone, EMailAddress: p.email}
		customerVariant(i, &h, &e)
		switch {
		case i == len(people)-2: // Heartland only
			d.Heartland.Customers = append(d.Heartland.Customers, h)
			hlID++
			continue
		case i == len(people)-1: // Epicor only
			d.Epicor.Customers = append(d.Epicor.Customers, e)
			custNum++
			continue
		}
		d.Heartland.Customers = append(d.Heartland.Customers, h)
		d.Epicor.Customers = append(d.Epicor.Customers, e)
		hlID++
		custNum++
	}
	// Near-duplicates inside each system.
	dupH := d.Heartland.Customers[0]
	dupH.ID, dupH.PublicID, dupH.FirstName, dupH.Email, dupH.Phone = hlID, "C2000", "jane", "", "(937) 555-0101"
	d.Heartland.Customers = append(d.Heartland.Customers, dupH)
	dupE := d.Epicor.Customers[1]
	dupE.CustNum, dupE.CustID, dupE.Name, dupE.EMailAddress = custNum, "SMITHJ2", "Jon Smith", "JOHN.SMITH@EXAMPLE.COM"
	d.Epicor.Customers = append(d.Epicor.Customers, dupE)
}

func genFinance(d *Dataset) {
	for i, n := range payNames {
		d.Heartland.PaymentTypes = append(d.Heartland.PaymentTypes, PaymentType{ID: 100201 + int64(i), Name: n})
		d.Epicor.PayMethods = append(d.Epicor.PayMethods, PayMethod{PMUID: int64(i + 1), Name: n})
	}
	accounts := []struct{ seg, desc string }{
		{"1000", "Cash - Operating"}, {"1010", "Undeposited Funds"}, {"1020", "Card Clearing - Visa/Mastercard"},
		{"1025", "Card Clearing - Amex"}, {"1030", "Gift Card Clearing"}, {"1200", "Accounts Receivable"},
		{"1400", "Inventory"}, {"2100", "Accounts Payable"}, {"2200", "Sales Tax Payable"},
		{"2300", "Gift Card Liability"}, {"4000", "Retail Sales"}, {"4100", "Shipping Income"},
		{"5000", "Cost of Goods Sold"}, {"6100", "Merchant Fees"},
	}
	for _, a := range accounts {
		d.Epicor.GLAccounts = append(d.Epicor.GLAccounts, GLAccount{COACode: "MainBook", GLAccount: a.seg + "|00",
			AccountDesc: a.desc, SegValue1: a.seg, SegValue2: "00", Active: true})
	}
	d.Epicor.BankAccts = []BankAcct{
		{BankAcctID: "OPER", Description: "Operating Account", GLAccount: "1000|00"},
		{BankAcctID: "CARD", Description: "Card Settlement Account", GLAccount: "1020|00"},
	}
	d.Epicor.Vendors = []Vendor{
		{VendorNum: 1, VendorID: "HPS", Name: "Heartland Payment Systems", TermsCode: "N30"},
		{VendorNum: 2, VendorID: "ACMESUP", Name: "Acme Supply Co", TermsCode: "N30"},
		{VendorNum: 3, VendorID: "NWDIST", Name: "Northwind Distribution", TermsCode: "N45"},
	}
}
