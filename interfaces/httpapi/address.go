package httpapi

// addressJSON is an address as the API shows and takes it (customers and
// workshops share the shape).
type addressJSON struct {
	Street     string `json:"street"`
	Number     string `json:"number"`
	Complement string `json:"complement"`
	District   string `json:"district"`
	City       string `json:"city"`
	State      string `json:"state"`
	PostalCode string `json:"postal_code"`
}

// addressPatch is the JSON merge patch of an address (customers and
// workshops share the shape).
type addressPatch struct {
	Street     Optional[string] `json:"street"`
	Number     Optional[string] `json:"number"`
	Complement Optional[string] `json:"complement"`
	District   Optional[string] `json:"district"`
	City       Optional[string] `json:"city"`
	State      Optional[string] `json:"state"`
	PostalCode Optional[string] `json:"postal_code"`
}
