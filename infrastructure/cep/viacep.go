// Package cep is the adapter of application/cep for a public CEP web service
// that speaks ViaCEP's documented JSON: GET {base}/ws/{8 digits}/json/ answers
// {"cep":"01001-000","logradouro":"Praça da Sé","complemento":"lado ímpar",
// "bairro":"Sé","localidade":"São Paulo","uf":"SP",...}, or {"erro": true}
// (some versions "erro": "true") for a CEP it does not know.
package cep

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	appcep "github.com/torquehq/torque/application/cep"
)

// DefaultTimeout bounds one lookup: a form must not wait long for a helper.
const DefaultTimeout = 2 * time.Second

// Client looks CEPs up over HTTP.
type Client struct {
	base string
	hc   *http.Client
}

// New returns a client for the service at baseURL (scheme://host[/prefix]).
// hc nil uses a client with DefaultTimeout.
func New(baseURL string, hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout}
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), hc: hc}
}

var _ appcep.Lookup = (*Client)(nil)

type answer struct {
	CEP         string          `json:"cep"`
	Logradouro  string          `json:"logradouro"`
	Complemento string          `json:"complemento"`
	Bairro      string          `json:"bairro"`
	Localidade  string          `json:"localidade"`
	UF          string          `json:"uf"`
	Erro        json.RawMessage `json:"erro"`
}

// Lookup implements appcep.Lookup.
func (c *Client) Lookup(ctx context.Context, cep string) (appcep.Address, error) {
	digits, err := appcep.Digits(cep)
	if err != nil {
		return appcep.Address{}, err
	}
	if c.base == "" {
		return appcep.Address{}, fmt.Errorf("cep: no service configured")
	}
	ctx, cancel := context.WithTimeout(ctx, DefaultTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/ws/"+digits+"/json/", nil)
	if err != nil {
		return appcep.Address{}, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return appcep.Address{}, fmt.Errorf("cep: lookup: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return appcep.Address{}, fmt.Errorf("cep: read: %w", err)
	}
	switch {
	case resp.StatusCode == http.StatusBadRequest:
		return appcep.Address{}, appcep.ErrInvalid
	case resp.StatusCode == http.StatusNotFound:
		return appcep.Address{}, appcep.ErrNotFound
	case resp.StatusCode != http.StatusOK:
		return appcep.Address{}, fmt.Errorf("cep: service answered %d", resp.StatusCode)
	}
	var a answer
	if err := json.Unmarshal(body, &a); err != nil {
		return appcep.Address{}, fmt.Errorf("cep: decode: %w", err)
	}
	if e := strings.Trim(string(a.Erro), `"`); e == "true" {
		return appcep.Address{}, appcep.ErrNotFound
	}
	return appcep.Address{PostalCode: digits, Street: a.Logradouro, Complement: a.Complemento,
		District: a.Bairro, City: a.Localidade, State: strings.ToUpper(a.UF)}, nil
}
