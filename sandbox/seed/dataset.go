// Package seed builds the deterministic starting data of both sandboxes: a
// Heartland Retail account and an Epicor Kinetic company that describe the
// same shop, with the deliberate mismatches a real integration meets.
package seed

import (
	"encoding/json"
	"fmt"
	"os"
)

// Dataset is the full starting state of both sandboxes. It is also the
// format of a --data file.
type Dataset struct {
	Heartland Heartland `json:"heartland"`
	Epicor    Epicor    `json:"epicor"`
}

// Heartland is the Heartland Retail side. JSON keys follow the Heartland API.
type Heartland struct {
	Locations    []Location    `json:"locations"`
	Items        []Item        `json:"items"`
	Inventory    []Stock       `json:"inventory"`
	Customers    []Customer    `json:"customers"`
	PaymentTypes []PaymentType `json:"payment_types"`
	Reasons      []PaymentType `json:"adjustment_reasons"`
}

// Location is a Heartland store; custom.epicor_warehouse names the Epicor
// warehouse it maps to.
type Location struct {
	ID       int64          `json:"id"`
	PublicID string         `json:"public_id"`
	Name     string         `json:"name"`
	Stations []Station      `json:"stations"`
	Custom   map[string]any `json:"custom"`
}

// Station is a register at a location.
type Station struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Active bool   `json:"active"`
}

// Item is a Heartland item; public_id normally equals an Epicor PartNum.
type Item struct {
	ID             int64          `json:"id"`
	PublicID       string         `json:"public_id"`
	Description    string         `json:"description"`
	Cost           float64        `json:"cost"`
	Price          float64        `json:"price"`
	Active         bool           `json:"active?"`
	TrackInventory bool           `json:"track_inventory?"`
	PrimaryBarcode string         `json:"primary_barcode"`
	Custom         map[string]any `json:"custom"`
}

// Stock is the on-hand quantity of an item at a location.
type Stock struct {
	ItemID     int64   `json:"item_id"`
	LocationID int64   `json:"location_id"`
	QtyOnHand  float64 `json:"qty_on_hand"`
}

// Customer is a Heartland customer with one address.
type Customer struct {
	ID        int64          `json:"id"`
	PublicID  string         `json:"public_id"`
	FirstName string         `json:"first_name"`
	LastName  string         `json:"last_name"`
	Email     string         `json:"email"`
	Phone     string         `json:"phone_number"`
	Address   Address        `json:"address"`
	Custom    map[string]any `json:"custom"`
}

// Address is a Heartland customer address.
type Address struct {
	Line1      string `json:"line_1"`
	Line2      string `json:"line_2"`
	City       string `json:"city"`
	State      string `json:"state"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
}

// PaymentType is a Heartland payment type (also used for adjustment reasons).
type PaymentType struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Epicor is the Epicor Kinetic side. JSON keys are Epicor column names.
type Epicor struct {
	Company    string      `json:"Company"`
	Plant      string      `json:"Plant"`
	Warehouses []Warehouse `json:"Warehouses"`
	Parts      []Part      `json:"Parts"`
	PartWhses  []PartWhse  `json:"PartWhses"`
	Customers  []ECustomer `json:"Customers"`
	GLAccounts []GLAccount `json:"GLAccounts"`
	BankAccts  []BankAcct  `json:"BankAccts"`
	PayMethods []PayMethod `json:"PayMethods"`
	Vendors    []Vendor    `json:"Vendors"`
}

// Warehouse is an Epicor warehouse.
type Warehouse struct {
	WarehouseCode string `json:"WarehouseCode"`
	Description   string `json:"Description"`
	Plant         string `json:"Plant"`
}

// Part is an Epicor part. MakeToOrder_c is a UD field: ordering such a part
// creates a job.
type Part struct {
	PartNum         string  `json:"PartNum"`
	PartDescription string  `json:"PartDescription"`
	TypeCode        string  `json:"TypeCode"`
	IUM             string  `json:"IUM"`
	SalesUM         string  `json:"SalesUM"`
	UnitPrice       float64 `json:"UnitPrice"`
	NonStock        bool    `json:"NonStock"`
	InActive        bool    `json:"InActive"`
	ProdCode        string  `json:"ProdCode"`
	UPCCode1        string  `json:"UPCCode1"`
	MakeToOrder     bool    `json:"MakeToOrder_c"`
}

// PartWhse is the on-hand quantity of a part in a warehouse.
type PartWhse struct {
	PartNum       string  `json:"PartNum"`
	WarehouseCode string  `json:"WarehouseCode"`
	OnHandQty     float64 `json:"OnHandQty"`
}

// ECustomer is an Epicor customer.
type ECustomer struct {
	CustNum      int64  `json:"CustNum"`
	CustID       string `json:"CustID"`
	Name         string `json:"Name"`
	Address1     string `json:"Address1"`
	City         string `json:"City"`
	State        string `json:"State"`
	Zip          string `json:"Zip"`
	Country      string `json:"Country"`
	PhoneNum     string `json:"PhoneNum"`
	EMailAddress string `json:"EMailAddress"`
}

// GLAccount is a general-ledger account of the main chart.
type GLAccount struct {
	COACode     string `json:"COACode"`
	GLAccount   string `json:"GLAccount"`
	AccountDesc string `json:"AccountDesc"`
	SegValue1   string `json:"SegValue1"`
	SegValue2   string `json:"SegValue2"`
	Active      bool   `json:"Active"`
}

// BankAcct is a cash (bank) account.
type BankAcct struct {
	BankAcctID  string `json:"BankAcctID"`
	Description string `json:"Description"`
	GLAccount   string `json:"GLAccount"`
}

// PayMethod is an Epicor payment method (CashHead.PMUID).
type PayMethod struct {
	PMUID int64  `json:"PMUID"`
	Name  string `json:"Name"`
}

// Vendor is an Epicor supplier (for AP invoices).
type Vendor struct {
	VendorNum int64  `json:"VendorNum"`
	VendorID  string `json:"VendorID"`
	Name      string `json:"Name"`
	TermsCode string `json:"TermsCode"`
}

// Load reads a dataset from a JSON file.
func Load(path string) (*Dataset, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("seed: read data file: %w", err)
	}
	var d Dataset
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("seed: parse data file %s: %w", path, err)
	}
	if d.Epicor.Company == "" {
		d.Epicor.Company = "EPIC06"
	}
	if d.Epicor.Plant == "" {
		d.Epicor.Plant = "MfgSys"
	}
	return &d, nil
}
