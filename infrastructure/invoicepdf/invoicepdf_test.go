package invoicepdf_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/invoices"
	"github.com/torquehq/torque/infrastructure/invoicepdf"
)

func sample(t testing.TB) invoices.Invoice {
	t.Helper()
	var logo bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for x := range 40 {
		for y := range 20 {
			img.Set(x, y, color.RGBA{R: 200, G: 30, B: 30, A: 255})
		}
	}
	if err := png.Encode(&logo, img); err != nil {
		t.Fatal(err)
	}
	km := int64(45210)
	return invoices.Invoice{
		OrderID: uuid.Must(uuid.NewV7()), OrderNumber: 1042, OrderStatus: "completed",
		OpenedAt:    time.Date(2025, 3, 14, 13, 45, 0, 0, time.UTC),
		CompletedAt: time.Date(2025, 3, 15, 2, 30, 0, 0, time.UTC), // 23:30 on the 14th in São Paulo
		TimeZone:    "America/Sao_Paulo",
		Workshop: invoices.Party{Name: "Oficina do Zé", LegalName: "José Mecânica Ltda", Document: "11222333000181", DocumentType: "cnpj",
			Address: invoices.Address{Street: "Rua das Flores", Number: "123", District: "Centro", City: "São Paulo", State: "SP", PostalCode: "01001000"},
			Logo:    logo.Bytes(), LogoContentType: "image/png"},
		Customer: invoices.Party{Name: "João Araújo", Document: "52998224725", DocumentType: "cpf", Email: "joao@example.com",
			Address: invoices.Address{City: "Santos", State: "SP"}},
		Vehicle: invoices.Vehicle{Plate: "BRA2E19", Make: "Volkswagen", Model: "Gol", Year: 2019, MileageKm: &km},
		Items: []invoices.Item{
			{Line: 1, Service: "brake_pads", Description: "Pastilhas de freio — dianteiras", Quantity: 1, UnitPriceCents: 32000, TotalCents: 32000},
			{Line: 2, Service: "oil_change", Description: "Troca de óleo 5W30", Quantity: 2, UnitPriceCents: 9000, TotalCents: 18000},
		},
		TotalCents: 50000,
	}
}

// utf16Hex is how fpdf writes UTF-8 text into an uncompressed page: the
// string as UTF-16BE inside a literal, escaped.
func containsText(pdf []byte, s string) bool {
	var b []byte
	for _, r := range utf16.Encode([]rune(s)) {
		b = append(b, byte(r>>8), byte(r))
	}
	// fpdf escapes \, ( and ) and \r in literals.
	esc := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`, "\r", `\r`).Replace(string(b))
	return bytes.Contains(pdf, []byte(esc))
}

func TestRenderPDF_containsTheInvoice(t *testing.T) {
	t.Parallel()
	r := &invoicepdf.FpdfRenderer{Compress: false}
	pdf, err := r.RenderPDF(context.Background(), sample(t))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf, []byte("%%EOF")) {
		t.Fatalf("not a PDF: %q…", pdf[:min(len(pdf), 20)])
	}
	for _, want := range []string{"Fatura da OS nº 1042", "Oficina do Zé", "CNPJ 11.222.333/0001-81", "João Araújo", "CPF 529.982.247-25",
		"Placa BRA2E19", "Pastilhas de freio — dianteiras", "R$ 500,00", "14/03/2025 23:30", invoicepdf.NotFiscal} {
		if !containsText(pdf, want) {
			t.Errorf("the PDF does not contain %q", want)
		}
	}
	if !bytes.Contains(pdf, []byte("/Subtype /Image")) {
		t.Error("the logo is not embedded")
	}
	if !bytes.Contains(pdf, []byte("/FontFile2")) {
		t.Error("the font is not embedded")
	}
}

// With poppler's pdftotext installed, the compressed production output is
// checked as a reader would extract it.
func TestRenderPDF_extractsWithPdftotext(t *testing.T) {
	t.Parallel()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	pdf, err := invoicepdf.New().RenderPDF(context.Background(), sample(t))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "fatura.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{"Fatura da OS nº 1042", "João Araújo", "Oficina do Zé", "não é uma nota fiscal (NFS-e)", "R$ 500,00"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext output lacks %q:\n%s", want, text)
		}
	}
}

func TestRenderPDF_badLogoIsLeftOut(t *testing.T) {
	t.Parallel()
	inv := sample(t)
	inv.Workshop.Logo = []byte("not a png")
	inv.Customer = invoices.Party{}
	pdf, err := (&invoicepdf.FpdfRenderer{}).RenderPDF(context.Background(), inv)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("RenderPDF with a broken logo: %v", err)
	}
}

// BenchmarkRenderPDF renders a two-line invoice with a logo, compressed
// (the production path); reported in docs/benchmarks.md.
func BenchmarkRenderPDF(b *testing.B) {
	inv := sample(b)
	r := invoicepdf.New()
	var size int
	for b.Loop() {
		pdf, err := r.RenderPDF(context.Background(), inv)
		if err != nil {
			b.Fatal(err)
		}
		size = len(pdf)
	}
	b.ReportMetric(float64(size), "bytes/pdf")
}
