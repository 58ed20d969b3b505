package datasubject

// Use-case names recorded as the audit endpoint when the caller did not
// name its route with auditlog.WithEndpoint.
const (
	EndpointExportCustomer = "customers.export"
	EndpointListConsents   = "customers.consents.list"
)
