package invoices

import (
	"time"

	"github.com/google/uuid"
)

// Invoice is the fatura of a completed or delivered service order.
type Invoice struct {
	OrderID     uuid.UUID
	OrderNumber int64
	OrderStatus string
	OpenedAt    time.Time
	// CompletedAt is when the order was completed (zero if unknown).
	CompletedAt time.Time
	// TimeZone is the workshop's IANA zone, in which dates are shown.
	TimeZone string
	Workshop Party
	Customer Party
	Vehicle  Vehicle
	Items    []Item
	// TotalCents is the order total.
	TotalCents int64
	Fiscal     FiscalReceipt
}

// Party is the workshop or the customer on an invoice.
type Party struct {
	Name      string
	LegalName string
	// Document is a CNPJ or CPF, digits only ("" if unknown).
	Document     string
	DocumentType string
	Email        string
	Phone        string
	Address      Address
	// Logo is the workshop's logo image (PNG or JPEG), nil if none.
	Logo            []byte
	LogoContentType string
}

// Address is a postal address; "" fields are absent.
type Address struct {
	Street, Number, Complement, District, City, State, PostalCode string
}

// Vehicle is the vehicle worked on.
type Vehicle struct {
	Plate, Make, Model string
	Year               int
	MileageKm          *int64
}

// Item is a line of the invoice.
type Item struct {
	Line           int64
	Service        string
	Description    string
	Quantity       int64
	UnitPriceCents int64
	TotalCents     int64
}
