package customers

// Use-case names recorded as the audit endpoint when the caller did not
// name its route with auditlog.WithEndpoint.
const (
	EndpointGetCustomer     = "customers.get"
	EndpointSearchCustomers = "customers.search"
	EndpointCustomerHistory = "customers.history"
	EndpointListNotes       = "customers.notes.list"
)

// PersonalFields lists the personal fields the view exposes, by their API
// names, for the audit log.
func (c Customer) PersonalFields() []string {
	var out []string
	if c.Name != "" {
		out = append(out, "name")
	}
	if k := c.Contact; k != nil {
		if k.Document != "" {
			out = append(out, "document")
		}
		if k.Email != "" {
			out = append(out, "email")
		}
		if k.Phones != (Phones{}) {
			out = append(out, "phones")
		}
		if k.Address != (Address{}) {
			out = append(out, "address")
		}
	}
	return out
}
