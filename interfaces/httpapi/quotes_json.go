package httpapi

import (
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/invoices"
	"github.com/torquehq/torque/application/quotes"
)

type quoteItemJSON struct {
	ID             uuid.UUID `json:"id"`
	Service        string    `json:"service"`
	Description    string    `json:"description"`
	Quantity       int64     `json:"quantity"`
	UnitPriceCents int64     `json:"unit_price_cents"`
	TotalCents     int64     `json:"total_cents"`
	Decision       string    `json:"decision"`
}

type quoteDecisionJSON struct {
	// DecidedBy is the identity id of the car owner who decided.
	DecidedBy          string    `json:"decided_by"`
	Email              *string   `json:"email"`
	DecidedAt          time.Time `json:"decided_at"`
	IP                 *string   `json:"ip"`
	UserAgent          *string   `json:"user_agent"`
	QuoteVersion       int64     `json:"quote_version"`
	ApprovedTotalCents int64     `json:"approved_total_cents"`
}

type quoteJSON struct {
	ID          uuid.UUID          `json:"id"`
	OrderID     uuid.UUID          `json:"order_id"`
	OrderNumber int64              `json:"order_number"`
	OrderStatus string             `json:"order_status"`
	Version     int64              `json:"version"`
	Status      string             `json:"status"`
	Items       []quoteItemJSON    `json:"items"`
	TotalCents  int64              `json:"total_cents"`
	ValidUntil  *string            `json:"valid_until"`
	Note        string             `json:"note"`
	SentAt      time.Time          `json:"sent_at"`
	Decision    *quoteDecisionJSON `json:"decision"`
}

func toQuoteJSON(q quotes.Quote) quoteJSON {
	out := quoteJSON{ID: q.ID, OrderID: q.OrderID, OrderNumber: q.OrderNumber, OrderStatus: q.OrderStatus, Version: q.Version,
		Status: q.Status, Items: make([]quoteItemJSON, 0, len(q.Items)), TotalCents: q.TotalCents, ValidUntil: opt(q.ValidUntil),
		Note: q.Note, SentAt: q.SentAt.UTC()}
	for _, it := range q.Items {
		out.Items = append(out.Items, quoteItemJSON(it))
	}
	if d := q.Decision; d != nil {
		out.Decision = &quoteDecisionJSON{DecidedBy: d.ActorID, Email: opt(d.ActorEmail), DecidedAt: d.DecidedAt.UTC(),
			IP: opt(d.IP), UserAgent: opt(d.UserAgent), QuoteVersion: d.Version, ApprovedTotalCents: d.ApprovedTotalCents}
	}
	return out
}

type invoicePartyJSON struct {
	Name         string          `json:"name"`
	LegalName    *string         `json:"legal_name,omitempty"`
	Document     *string         `json:"document"`
	DocumentType *string         `json:"document_type"`
	Email        *string         `json:"email"`
	Phone        *string         `json:"phone"`
	Address      invoiceAddrJSON `json:"address"`
	HasLogo      *bool           `json:"has_logo,omitempty"`
}

type invoiceAddrJSON struct {
	Street     string `json:"street"`
	Number     string `json:"number"`
	Complement string `json:"complement"`
	District   string `json:"district"`
	City       string `json:"city"`
	State      string `json:"state"`
	PostalCode string `json:"postal_code"`
}

type invoiceVehicleJSON struct {
	Plate     *string `json:"plate"`
	Make      string  `json:"make"`
	Model     string  `json:"model"`
	Year      *int    `json:"year"`
	MileageKm *int64  `json:"mileage_km"`
}

type invoiceFiscalJSON struct {
	Issued   bool    `json:"issued"`
	Notice   string  `json:"notice"`
	Provider *string `json:"provider"`
	Number   *string `json:"number"`
	URL      *string `json:"url"`
}

type invoiceJSON struct {
	OrderID     uuid.UUID          `json:"order_id"`
	OrderNumber int64              `json:"order_number"`
	OrderStatus string             `json:"order_status"`
	OpenedAt    time.Time          `json:"opened_at"`
	CompletedAt *time.Time         `json:"completed_at"`
	TimeZone    string             `json:"time_zone"`
	Workshop    invoicePartyJSON   `json:"workshop"`
	Customer    invoicePartyJSON   `json:"customer"`
	Vehicle     invoiceVehicleJSON `json:"vehicle"`
	Items       []orderItemJSON    `json:"items"`
	TotalCents  int64              `json:"total_cents"`
	Fiscal      invoiceFiscalJSON  `json:"fiscal"`
}

// NotFiscalNotice is what an invoice without an NFS-e says about itself.
const NotFiscalNotice = "Este documento não é uma nota fiscal (NFS-e) e não tem valor fiscal."

func toPartyJSON(p invoices.Party, workshop bool) invoicePartyJSON {
	a := p.Address
	out := invoicePartyJSON{Name: p.Name, Document: opt(p.Document), DocumentType: opt(p.DocumentType), Email: opt(p.Email),
		Phone: opt(p.Phone), Address: invoiceAddrJSON{Street: a.Street, Number: a.Number, Complement: a.Complement,
			District: a.District, City: a.City, State: a.State, PostalCode: a.PostalCode}}
	if workshop {
		has := len(p.Logo) > 0
		out.HasLogo, out.LegalName = &has, opt(p.LegalName)
	}
	return out
}

func toInvoiceJSON(inv invoices.Invoice) invoiceJSON {
	out := invoiceJSON{OrderID: inv.OrderID, OrderNumber: inv.OrderNumber, OrderStatus: inv.OrderStatus, OpenedAt: inv.OpenedAt.UTC(),
		TimeZone: inv.TimeZone, Workshop: toPartyJSON(inv.Workshop, true), Customer: toPartyJSON(inv.Customer, false),
		Vehicle: invoiceVehicleJSON{Plate: opt(inv.Vehicle.Plate), Make: inv.Vehicle.Make, Model: inv.Vehicle.Model,
			MileageKm: inv.Vehicle.MileageKm},
		Items: make([]orderItemJSON, 0, len(inv.Items)), TotalCents: inv.TotalCents,
		Fiscal: invoiceFiscalJSON{Issued: inv.Fiscal.Issued, Notice: NotFiscalNotice, Provider: opt(inv.Fiscal.Provider),
			Number: opt(inv.Fiscal.Number), URL: opt(inv.Fiscal.URL)}}
	if inv.Fiscal.Issued {
		out.Fiscal.Notice = "NFS-e nº " + inv.Fiscal.Number
	}
	if !inv.CompletedAt.IsZero() {
		at := inv.CompletedAt.UTC()
		out.CompletedAt = &at
	}
	if inv.Vehicle.Year != 0 {
		y := inv.Vehicle.Year
		out.Vehicle.Year = &y
	}
	for _, it := range inv.Items {
		out.Items = append(out.Items, orderItemJSON(it))
	}
	return out
}
