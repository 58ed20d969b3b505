// Package invoicepdf renders invoices (faturas) as PDF with go-pdf/fpdf,
// in pt-BR, with the Go fonts embedded so Portuguese accents print.
//
// The Go fonts (golang.org/x/image/font/gofont) are by Bigelow & Holmes for
// the Go project and are licensed under the same BSD-style licence as Go
// (see golang.org/x/image's LICENSE); embedding them in the binary and in
// the PDFs it produces is permitted by that licence.
package invoicepdf

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the workshop's time zone without the host's zoneinfo

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/torquehq/torque/application/invoices"
	"github.com/torquehq/torque/domain/br"
)

var _ invoices.Renderer = (*FpdfRenderer)(nil)

// NotFiscal is the notice every invoice without an NFS-e carries.
const NotFiscal = "Este documento não é uma nota fiscal (NFS-e) e não tem valor fiscal."

// FpdfRenderer implements invoices.Renderer.
type FpdfRenderer struct {
	// Compress deflates the page streams (default true via New); tests
	// turn it off to read the text.
	Compress bool
}

// New returns a renderer that compresses its output.
func New() *FpdfRenderer { return &FpdfRenderer{Compress: true} }

const (
	family = "Go"
	margin = 15.0
	width  = 210.0 - 2*margin
)

// RenderPDF implements invoices.Renderer.
func (r *FpdfRenderer) RenderPDF(_ context.Context, inv invoices.Invoice) ([]byte, error) {
	loc := time.UTC
	if l, err := time.LoadLocation(inv.TimeZone); err == nil && inv.TimeZone != "" {
		loc = l
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(r.Compress)
	pdf.AddUTF8FontFromBytes(family, "", goregular.TTF)
	pdf.AddUTF8FontFromBytes(family, "B", gobold.TTF)
	title := fmt.Sprintf("Fatura da OS nº %d", inv.OrderNumber)
	pdf.SetTitle(title, true)
	pdf.SetAuthor(inv.Workshop.Name, true)
	pdf.SetCreator("Torque", true)
	created := inv.CompletedAt
	if created.IsZero() {
		created = inv.OpenedAt
	}
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, 20)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-15)
		pdf.SetFont(family, "", 8)
		pdf.CellFormat(0, 5, notice(inv)+fmt.Sprintf("   Página %d", pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()

	// Header: logo, workshop, title.
	x := margin
	if len(inv.Workshop.Logo) > 0 {
		if typ := imageType(inv.Workshop.LogoContentType); typ != "" {
			opts := fpdf.ImageOptions{ImageType: typ, ReadDpi: false}
			if info := pdf.RegisterImageOptionsReader("logo", opts, bytes.NewReader(inv.Workshop.Logo)); info != nil && !pdf.Err() {
				pdf.ImageOptions("logo", margin, margin, 0, 18, false, opts, 0, "")
				x = margin + 18*info.Width()/max(info.Height(), 1) + 4
			}
			if pdf.Err() { // an unreadable logo is left out, not a failed invoice
				pdf.ClearError()
				x = margin
			}
		}
	}
	pdf.SetXY(x, margin)
	pdf.SetFont(family, "B", 14)
	pdf.CellFormat(0, 7, inv.Workshop.Name, "", 2, "L", false, 0, "")
	pdf.SetFont(family, "", 9)
	for _, l := range partyLines(inv.Workshop, true) {
		pdf.SetX(x)
		pdf.CellFormat(0, 4.5, l, "", 2, "L", false, 0, "")
	}
	pdf.SetY(max(pdf.GetY(), margin+20) + 4)
	pdf.SetFont(family, "B", 16)
	pdf.CellFormat(width, 8, title, "", 1, "L", false, 0, "")
	pdf.SetFont(family, "", 9)
	dates := "Abertura: " + inv.OpenedAt.In(loc).Format("02/01/2006 15:04")
	if !inv.CompletedAt.IsZero() {
		dates += "   Conclusão: " + inv.CompletedAt.In(loc).Format("02/01/2006 15:04")
	}
	dates += "   (" + zoneName(inv.TimeZone, loc) + ")"
	pdf.CellFormat(width, 5, dates, "", 1, "L", false, 0, "")
	pdf.Ln(2)

	// Not a fiscal document: said at the top as well as in the footer.
	pdf.SetFont(family, "B", 9)
	pdf.SetFillColor(255, 243, 205)
	pdf.MultiCell(width, 5, notice(inv), "1", "L", true)
	pdf.Ln(3)

	section(pdf, "Cliente")
	pdf.SetFont(family, "", 10)
	name := inv.Customer.Name
	if name == "" {
		name = "(dados pessoais apagados a pedido do titular)"
	}
	pdf.CellFormat(width, 5, name, "", 1, "L", false, 0, "")
	pdf.SetFont(family, "", 9)
	for _, l := range partyLines(inv.Customer, false) {
		pdf.CellFormat(width, 4.5, l, "", 1, "L", false, 0, "")
	}
	pdf.Ln(2)

	section(pdf, "Veículo")
	pdf.SetFont(family, "", 9)
	v := inv.Vehicle
	vl := strings.TrimSpace(strings.Join(nonEmpty(v.Make, v.Model, yearOf(v.Year)), " "))
	if v.Plate != "" {
		vl = strings.TrimSpace("Placa " + plate(v.Plate) + "   " + vl)
	}
	if v.MileageKm != nil {
		vl += "   " + thousands(*v.MileageKm) + " km"
	}
	pdf.CellFormat(width, 5, vl, "", 1, "L", false, 0, "")
	pdf.Ln(2)

	section(pdf, "Serviços e peças")
	cols := []float64{10, 88, 14, 34, 34}
	pdf.SetFont(family, "B", 9)
	pdf.SetFillColor(235, 235, 235)
	for i, h := range []string{"#", "Descrição", "Qtd.", "Valor unit.", "Total"} {
		align := "L"
		if i >= 2 {
			align = "R"
		}
		pdf.CellFormat(cols[i], 6, h, "B", 0, align, true, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont(family, "", 9)
	for i, it := range inv.Items {
		desc := it.Description
		if desc == "" {
			desc = it.Service
		}
		lines := pdf.SplitText(desc, cols[1]-2)
		if len(lines) == 0 {
			lines = []string{""}
		}
		h := 5 * float64(len(lines))
		y := pdf.GetY()
		if y+h > 277-20 {
			pdf.AddPage()
			y = pdf.GetY()
		}
		pdf.CellFormat(cols[0], h, strconv.Itoa(i+1), "", 0, "L", false, 0, "")
		xDesc := pdf.GetX()
		pdf.MultiCell(cols[1], 5, strings.Join(lines, "\n"), "", "L", false)
		pdf.SetXY(xDesc+cols[1], y)
		pdf.CellFormat(cols[2], h, strconv.FormatInt(it.Quantity, 10), "", 0, "R", false, 0, "")
		pdf.CellFormat(cols[3], h, money(it.UnitPriceCents), "", 0, "R", false, 0, "")
		pdf.CellFormat(cols[4], h, money(it.TotalCents), "", 1, "R", false, 0, "")
	}
	pdf.SetFont(family, "B", 11)
	pdf.CellFormat(cols[0]+cols[1]+cols[2]+cols[3], 8, "Total", "T", 0, "R", false, 0, "")
	pdf.CellFormat(cols[4], 8, money(inv.TotalCents), "T", 1, "R", false, 0, "")
	if inv.Fiscal.Issued {
		pdf.Ln(3)
		pdf.SetFont(family, "", 9)
		pdf.CellFormat(width, 5, "NFS-e nº "+inv.Fiscal.Number+" ("+inv.Fiscal.Provider+") "+inv.Fiscal.URL, "", 1, "L", false, 0, "")
	}

	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, fmt.Errorf("invoice pdf: %w", err)
	}
	return out.Bytes(), nil
}

func notice(inv invoices.Invoice) string {
	if inv.Fiscal.Issued {
		return "Fatura de serviços. Nota fiscal: NFS-e nº " + inv.Fiscal.Number + "."
	}
	return NotFiscal
}

func section(pdf *fpdf.Fpdf, title string) {
	pdf.SetFont(family, "B", 11)
	pdf.CellFormat(width, 6, title, "B", 1, "L", false, 0, "")
	pdf.Ln(1)
}

// partyLines are the document, address and contact lines of a party.
func partyLines(p invoices.Party, workshop bool) []string {
	var out []string
	if workshop && p.LegalName != "" && p.LegalName != p.Name {
		out = append(out, p.LegalName)
	}
	if p.Document != "" {
		out = append(out, document(p.Document, p.DocumentType))
	}
	a := p.Address
	street := strings.Join(nonEmpty(a.Street, a.Number, a.Complement), ", ")
	city := strings.Join(nonEmpty(a.City, a.State), "/")
	if line := strings.Join(nonEmpty(street, a.District, city, cep(a.PostalCode)), " – "); line != "" {
		out = append(out, line)
	}
	if contact := strings.Join(nonEmpty(phone(p.Phone), p.Email), "   "); contact != "" {
		out = append(out, contact)
	}
	return out
}

func document(s, typ string) string {
	label := "CPF"
	if typ == "cnpj" {
		label = "CNPJ"
	}
	if d, err := br.ParseDocument(s); err == nil {
		return label + " " + d.Formatted()
	}
	return label + " " + s
}

func cep(s string) string {
	if s == "" {
		return ""
	}
	if c, err := br.ParseCEP(s); err == nil {
		return "CEP " + c.Formatted()
	}
	return "CEP " + s
}

func phone(s string) string {
	if p, err := br.ParsePhone(s); err == nil && s != "" {
		return p.Formatted()
	}
	return s
}

func plate(s string) string {
	if p, err := br.ParsePlate(s); err == nil {
		return p.Formatted()
	}
	return s
}

func money(cents int64) string {
	m, err := br.NewMoneyCents(cents)
	if err != nil {
		return strconv.FormatInt(cents, 10)
	}
	return m.String()
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func yearOf(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func imageType(contentType string) string {
	switch contentType {
	case "image/png":
		return "PNG"
	case "image/jpeg":
		return "JPG"
	}
	return ""
}

func zoneName(tz string, loc *time.Location) string {
	if tz != "" {
		return "horário de " + strings.ReplaceAll(tz[strings.LastIndexByte(tz, '/')+1:], "_", " ")
	}
	return loc.String()
}
