package messaging

import (
	"strconv"
	"time"

	"github.com/torquehq/torque/domain/br"
)

// Vars of a quote message, set by the trigger on
// service_order.quote_sent.v1 (infrastructure/messagestore).
const (
	VarQuoteID    = "quote_id"
	VarTotalCents = "total_cents"
	VarValidUntil = "valid_until_date"
)

// quoteVars fills a quote message's placeholders: quote_link (the portal's
// page of the quote, {public URL}/p/{slug}/quotes/{id}), total ("R$ 1.234,56")
// and valid_until (dd/mm/yyyy, or "sem prazo definido" when the quote has none).
func quoteVars(vars, stored map[string]string, publicURL, slug string) {
	if id := stored[VarQuoteID]; id != "" && slug != "" {
		vars["quote_link"] = publicURL + "/p/" + slug + "/quotes/" + id
	}
	if c, err := strconv.ParseInt(stored[VarTotalCents], 10, 64); err == nil {
		if m, err := br.NewMoneyCents(c); err == nil {
			vars["total"] = m.String()
		}
	}
	vars["valid_until"] = "sem prazo definido"
	if d, err := time.Parse(time.DateOnly, stored[VarValidUntil]); err == nil {
		vars["valid_until"] = d.Format("02/01/2006")
	}
}
