package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/quotes"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/serviceorder"
)

// The order page's quote builder (orçamento), the customer's decisions
// with their evidence, and the invoice (fatura) download.

// maxQuoteRows bounds the builder's rows (the order's items plus blanks).
const maxQuoteRows = 30

// orderQuotePage is the order page with its quote and invoice parts.
type orderQuotePage struct {
	orderPage
	// Quote is the current quote (nil: none sent); ValidUntil its last
	// day as dd/mm/yyyy.
	Quote      *quotes.Quote
	ValidUntil string
	// CanQuote: the caller may send a quote and the order may take one.
	CanQuote bool
	// Rows are the builder's row indexes; Catalog its services.
	Rows    []int
	Catalog []catalogItem
	// CanInvoice: the order is completed or delivered and the caller may
	// read invoices.
	CanInvoice bool
}

// withQuote adds the quote and invoice parts to an order page; when form
// is false the builder is prefilled from the order's items into v.Form.
func (h *Handler) withQuote(r *http.Request, v *view, p orderPage, prefill bool) orderQuotePage {
	out := orderQuotePage{orderPage: p}
	if h.cfg.Quotes == nil {
		return out
	}
	ctx := r.Context()
	if q, err := h.cfg.Quotes.GetQuote(ctx, p.Order.ID); err == nil {
		out.Quote = &q
		if d, err := time.Parse(time.DateOnly, q.ValidUntil); err == nil {
			out.ValidUntil = d.Format("02/01/2006")
		}
	}
	st := p.Order.Status
	_, err := authz.Require(ctx, authz.SendQuote)
	out.CanQuote = err == nil && (st == "open" || st == "quoted")
	_, err = authz.Require(ctx, authz.ReadInvoice)
	out.CanInvoice = err == nil && h.cfg.Invoices != nil && (st == "completed" || st == "delivered")
	if !out.CanQuote {
		return out
	}
	out.Catalog = h.quoteCatalog(r)
	rows := 0
	if prefill {
		// Start from the current quote's lines, else the order's items.
		type line struct {
			service, description string
			quantity, price      int64
		}
		var lines []line
		if out.Quote != nil {
			for _, it := range out.Quote.Items {
				lines = append(lines, line{it.Service, it.Description, it.Quantity, it.UnitPriceCents})
			}
		} else {
			for _, it := range p.Order.Items {
				lines = append(lines, line{it.Service, it.Description, it.Quantity, it.UnitPriceCents})
			}
		}
		for i, l := range lines {
			pre := fmt.Sprintf("items[%d].", i)
			v.Form.Set(pre+"service", l.service)
			v.Form.Set(pre+"description", l.description)
			v.Form.Set(pre+"quantity", strconv.FormatInt(l.quantity, 10))
			v.Form.Set(pre+"unit_price", strings.TrimPrefix(money(l.price), "R$ "))
		}
		rows = len(lines)
		if out.Quote != nil && out.Quote.ValidUntil != "" {
			v.Form.Set("valid_until", out.Quote.ValidUntil)
		}
	} else {
		for rows < maxQuoteRows && v.Form.Has(fmt.Sprintf("items[%d].service", rows)) {
			rows++
		}
	}
	rows = min(rows+2, maxQuoteRows)
	for i := range rows {
		out.Rows = append(out.Rows, i)
		if pre := fmt.Sprintf("items[%d].", i); !v.Form.Has(pre + "quantity") {
			v.Form.Set(pre+"quantity", "1")
		}
	}
	return out
}

// quoteCatalog is the workshop's catalogue (default codes and its own
// services), falling back to the default one.
func (h *Handler) quoteCatalog(r *http.Request) []catalogItem {
	if h.cfg.Workshops != nil {
		if svcs, err := h.cfg.Workshops.ListServices(r.Context()); err == nil {
			out := make([]catalogItem, 0, len(svcs))
			for _, s := range svcs {
				out = append(out, catalogItem{Code: s.Code().String(), Label: s.Label()})
			}
			return out
		}
	}
	return catalogItems()
}

func money(cents int64) string {
	m, err := br.NewMoneyCents(cents)
	if err != nil {
		return strconv.FormatInt(cents, 10)
	}
	return m.String()
}

// quoteSend handles the builder's form: POST /app/{slug}/orders/{id}/quote.
func (h *Handler) quoteSend(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok || !h.allowed(w, r, authz.SendQuote) {
		return
	}
	_ = r.ParseForm()
	f := r.PostForm
	errsByField := map[string]string{}
	l := localeOf(r.Context())
	in := serviceorder.QuoteInput{ValidUntil: f.Get("valid_until"), Note: f.Get("note")}
	var rowOf []int
	for i := range maxQuoteRows {
		pre := fmt.Sprintf("items[%d].", i)
		code := strings.TrimSpace(f.Get(pre + "service"))
		if code == "" {
			continue
		}
		item := serviceorder.ItemInput{Service: code, Description: f.Get(pre + "description"), Quantity: 1}
		if q := strings.TrimSpace(f.Get(pre + "quantity")); q != "" {
			n, err := strconv.ParseInt(q, 10, 64)
			if err != nil {
				errsByField[pre+"quantity"] = messages.FieldError(l, "invalid_format")
			}
			item.Quantity = n
		}
		if price := strings.TrimSpace(f.Get(pre + "unit_price")); price != "" {
			if !strings.HasPrefix(price, "R$") {
				price = "R$ " + price
			}
			m, err := br.ParseMoneyBRL(price)
			if err != nil {
				errsByField[pre+"unit_price"] = messages.FieldError(l, "invalid_format")
			}
			item.UnitPriceCents = m.Cents()
		}
		in.Items = append(in.Items, item)
		rowOf = append(rowOf, i)
	}
	var err error
	if len(errsByField) == 0 {
		_, err = h.cfg.Quotes.SendQuote(r.Context(), quotes.SendQuoteInput{OrderID: id, Quote: in})
		if err == nil {
			redirect(w, r, withFlash(h.appPath(r, "/orders/", id.String()), "quote_sent")+"#quote")
			return
		}
		var ve *errs.ValidationError
		if !errors.As(err, &ve) {
			h.fail(w, r, err)
			return
		}
		for _, fe := range ve.Fields {
			field := fe.Field
			var k int
			var rest string
			if n, _ := fmt.Sscanf(field, "items[%d].%s", &k, &rest); n == 2 && k < len(rowOf) {
				field = fmt.Sprintf("items[%d].%s", rowOf[k], strings.TrimSuffix(rest, "_cents"))
			}
			if _, dup := errsByField[field]; !dup {
				errsByField[field] = messages.FieldError(l, fe.Code)
			}
		}
	}
	p, err := h.loadOrder(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.newView(r, "web.order.title")
	v.Title = tr(v.L, "web.order.number", p.Order.Number)
	v.Nav = "orders"
	v.Form = f
	v.Errors = errsByField
	v.Alert = tr(v.L, "web.form.fix_errors")
	v.Data = h.withQuote(r, &v, p, false)
	h.render(w, r, http.StatusUnprocessableEntity, "order", v)
}

// invoicePDF downloads the invoice: GET /app/{slug}/orders/{id}/invoice.pdf.
func (h *Handler) invoicePDF(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	if h.cfg.Invoices == nil {
		h.fail(w, r, errs.ErrNotFound)
		return
	}
	pdf, inv, err := h.cfg.Invoices.InvoicePDF(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/pdf")
	hd.Set("Content-Disposition", `attachment; filename="fatura-os-`+strconv.FormatInt(inv.OrderNumber, 10)+`.pdf"`)
	hd.Set("Cache-Control", "private, no-store")
	_, _ = w.Write(pdf)
}
