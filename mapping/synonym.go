package mapping

import (
	"fmt"
	"strings"
)

// synonymGroups is retail and ERP vocabulary: each line is one concept, its
// phrases separated by "|". Phrases go through the same tokenizer as field
// keys, so "EMailAddress", "e-mail address" and "email_address" all match
// "email address". A phrase may belong to several concepts.
var synonymGroups = `
email | email address | e mail | contact email | customer email
phone | phone number | telephone | telephone number | mobile number
fax | fax number
postal code | zip | zip code | postcode
address | address 1 | address line 1 | line 1 | street | street address
address 2 | address line 2 | line 2
address 3 | address line 3 | line 3
city | town
state | province | region | state code
country | country code
name | full name | customer name | display name | company name
first name | given name
last name | surname | family name
description | line description | part description | item description | product description
long description | extended description
part number | item number | sku | product number | item lookup | public identifier | item identifier | product identifier
customer identifier | customer code | public identifier
purchase order number | customer purchase order | public identifier | order reference | external reference
order number | public identifier | sales order number
check reference | payment reference | reference | identifier | payment identifier | transaction reference
quantity | order quantity | selling quantity | ordered quantity
on hand quantity | quantity on hand | stock on hand | in stock quantity
committed quantity | demand quantity | sales demand quantity | allocated quantity | reserved quantity
available quantity | quantity available | free stock
on order quantity | quantity on purchase order | purchase order quantity
in transit quantity | quantity in transit | transit quantity
unit price | price | selling price | sale price | adjusted unit price | document unit price
list price | original price | original unit price | base price
unit cost | cost | standard cost | average cost | last cost
amount | total | total amount | order amount | transaction amount | payment amount | grand total | document transaction amount | document order amount
subtotal | sub total | merchandise total
tax | tax total | total tax | tax amount
discount | total discount | discount amount
order date | transaction date | invoice date | receipt date | created at | completed at | document date | sale date
updated at | change date | modified at | last modified
need by date | required date | due date | request date | requested date | delivery date
active | is active | enabled
void | voided | void order | void line | canceled | cancelled
held | on hold | order held | credit hold
status | order status | state code
currency | currency code
unit of measure | sale unit of measure | inventory unit of measure | selling unit | unit
weight | net weight | gross weight
upc | barcode | primary barcode | upc code | upc code 1 | ean | gtin
warehouse | warehouse code | location | location identifier | stock location | bin location
plant | site | source location identifier | store
customer number | customer identifier | bill to customer number | sold to customer
payment method unique identifier | payment method identifier | payment type identifier | payment method | payment type | tender
line number | order line | line | sequence
invoice number | invoice identifier
product group | product code | category | department
vendor | supplier | primary vendor identifier | vendor number | vendor identifier
minimum quantity | reorder point | minimum stock
maximum quantity | maximum stock
safety quantity | safety stock
bin | bin number
lot | lot number
notes | comment | comments | memo | order comment
ship via | shipping method | carrier | ship via code
terms | payment terms | terms code
ship to number | ship to | shipping address | shipping address identifier
bill to | billing address | billing address identifier
unique identifier | uuid | system row identifier | row identifier
search word | keyword | search term
line | lines | order detail | detail | line item | item line
`

// synonymIndex maps a normalized phrase to the concepts it belongs to.
var synonymIndex = func() map[string][]int {
	idx := map[string][]int{}
	for i, line := range strings.Split(strings.TrimSpace(synonymGroups), "\n") {
		for _, p := range strings.Split(line, "|") {
			k := phrase(tokens(strings.TrimSpace(p)))
			idx[k] = append(idx[k], i)
		}
	}
	return idx
}()

// concepts returns the concept ids of a phrase.
func concepts(ts []string) []int { return synonymIndex[phrase(ts)] }

func shareConcept(a, b []int) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// synonymSignal scores 1 when the two keys name one concept of the
// dictionary, 0.85 when one key with its parent's name does ("customer" +
// "email" ~ "EMailAddress"), and 0.7 when only their last words do
// ("OTSZIP" ~ "postal_code" through "zip").
type synonymSignal struct{}

func (synonymSignal) Name() string { return SignalSynonym }

func (synonymSignal) Score(src, dst *Field) (float64, string) {
	a, b := src.tokens, dst.tokens
	if shareConcept(concepts(a), concepts(b)) {
		return 1, fmt.Sprintf("synonyms %q=%q", phrase(a), phrase(b))
	}
	withParent := func(f *Field) []string { return append(append([]string(nil), f.parent...), f.tokens...) }
	if shareConcept(concepts(withParent(src)), concepts(b)) || shareConcept(concepts(a), concepts(withParent(dst))) {
		return 0.85, fmt.Sprintf("synonyms with parent %q=%q", phrase(withParent(src)), phrase(withParent(dst)))
	}
	for n := 2; n >= 1; n-- {
		if len(a) >= n && len(b) >= n && (len(a) > n || len(b) > n) &&
			shareConcept(concepts(a[len(a)-n:]), concepts(b[len(b)-n:])) {
			return 0.7, fmt.Sprintf("synonym head words %q=%q", phrase(a[len(a)-n:]), phrase(b[len(b)-n:]))
		}
	}
	return 0, ""
}
