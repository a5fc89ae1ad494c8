package heartland

import "net/http"

// routes declares every simulated API endpoint.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	h := func(pattern string, fn http.HandlerFunc) { mux.HandleFunc(pattern, s.api(fn)) }

	h("GET /api/system/whoami", s.whoami)
	h("GET /api/system/host", s.host)

	h("GET /api/locations", s.listLocations)
	h("GET /api/locations/{id}", s.getLocation)

	h("GET /api/items", s.listItems)
	h("POST /api/items", s.createOf(items))
	h("GET /api/items/{id}", s.getItem)
	h("PUT /api/items/{id}", s.updateOf(items))

	h("GET /api/inventory/values", s.inventoryValues)
	h("GET /api/inventory/adjustment_sets", s.listAdjustmentSets)
	h("POST /api/inventory/adjustment_sets", s.createAdjustmentSet)
	h("GET /api/inventory/adjustment_sets/{id}", s.getAdjustmentSet)
	h("PUT /api/inventory/adjustment_sets/{id}", s.updateAdjustmentSet)
	h("GET /api/inventory/adjustment_sets/{id}/lines", s.listAdjustmentLines)
	h("POST /api/inventory/adjustment_sets/{id}/lines", s.addAdjustmentLine)
	h("POST /api/inventory/adjustments", s.createAdjustment)
	h("GET /api/reason_codes/inventory_adjustment_reasons", s.listReasons)

	h("GET /api/customers", s.listCustomers)
	h("POST /api/customers", s.createOf(customers))
	h("GET /api/customers/{id}", s.getCustomer)
	h("PUT /api/customers/{id}", s.updateOf(customers))
	h("GET /api/customers/{id}/addresses", s.listAddresses)
	h("POST /api/customers/{id}/addresses", s.createAddress)

	h("GET /api/sales/orders", s.listOrders)
	h("POST /api/sales/orders", s.createOrder)
	h("GET /api/sales/orders/{id}", s.getOrder)
	h("PUT /api/sales/orders/{id}", s.updateOrder)
	h("GET /api/sales/orders/{id}/lines", s.listOrderLines)
	h("POST /api/sales/orders/{id}/lines", s.addOrderLine)
	h("PUT /api/sales/orders/{id}/lines/{line}", s.updateOrderLine)
	h("GET /api/sales/orders/{id}/payments", s.listOrderPayments)
	h("POST /api/sales/orders/{id}/payments", s.addOrderPayment)

	h("GET /api/sales/tickets", s.listTickets)
	h("POST /api/sales/tickets", s.createTicket)
	h("GET /api/sales/tickets/{id}", s.getTicket)
	h("PUT /api/sales/tickets/{id}", s.updateTicket)
	h("GET /api/sales/tickets/{id}/lines", s.listTicketLines)

	h("GET /api/payments", s.listPayments)
	h("GET /api/payment_types", s.listPaymentTypes)
	h("POST /api/payment_types", s.createOf(paymentTypes))

	h("GET /api/purchasing/vendors", s.listOf(vendorsOf, nil))
	h("GET /api/purchasing/vendors/{id}", s.getOf(vendorsOf, "Vendor", nil))
	h("GET /api/purchasing/orders", s.listOf(purchaseOrdersOf, includePurchaseLines))
	h("POST /api/purchasing/orders", s.createPurchaseOrder)
	h("GET /api/purchasing/orders/{id}", s.getOf(purchaseOrdersOf, "Purchase order", includePurchaseLines))
	h("GET /api/purchasing/receipts", s.listOf(receiptsOf, includeReceiptLines))
	h("POST /api/purchasing/receipts", s.createReceipt)
	h("GET /api/purchasing/receipts/{id}", s.getOf(receiptsOf, "Receipt", includeReceiptLines))
	h("PUT /api/purchasing/receipts/{id}", s.updateReceipt)

	h("GET /api/webhooks", s.listWebhooks)
	h("POST /api/webhooks", s.createWebhook)
	h("GET /api/webhooks/{id}", s.getWebhook)
	h("DELETE /api/webhooks/{id}", s.deleteWebhook)

	h("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "no such endpoint: "+r.Method+" "+r.URL.Path, nil)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "no such endpoint: "+r.URL.Path, nil)
	})
	return mux
}

// controlRoutes adds the Heartland-specific test controls.
func (s *Server) controlRoutes() {
	s.Handle("POST /_sandbox/events/sales_order", s.triggerOrder)
	s.Handle("POST /_sandbox/events/sales_ticket", s.triggerTicket)
}
