package readmodel

import (
	"strings"
	"testing"
)

// The search that returns rows is the search that returns ids with the
// customer's columns: a change of searchSQL must keep the two in step.
func TestSearchRowsSQLSelectsCustomerRows(t *testing.T) {
	if searchRowsSQL == searchSQL || !strings.Contains(searchRowsSQL, customerSelect+" c") {
		t.Fatal("searchRowsSQL did not replace the selected ids by the customer's columns")
	}
}
