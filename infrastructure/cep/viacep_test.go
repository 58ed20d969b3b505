package cep_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	appcep "github.com/torquehq/torque/application/cep"
	"github.com/torquehq/torque/infrastructure/cep"
)

// fake speaks the service's documented JSON.
func fake(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		switch r.URL.Path {
		case "/ws/01001000/json/":
			_, _ = w.Write([]byte(`{"cep":"01001-000","logradouro":"Praça da Sé","complemento":"lado ímpar",` +
				`"unidade":"","bairro":"Sé","localidade":"São Paulo","uf":"SP","estado":"São Paulo",` +
				`"regiao":"Sudeste","ibge":"3550308","gia":"1004","ddd":"11","siafi":"7107"}`))
		case "/ws/99999999/json/":
			_, _ = w.Write([]byte(`{"erro": true}`))
		case "/ws/99999998/json/":
			_, _ = w.Write([]byte(`{"erro": "true"}`))
		case "/ws/12345678/json/":
			time.Sleep(300 * time.Millisecond)
			_, _ = w.Write([]byte(`{}`))
		default:
			w.WriteHeader(http.StatusBadRequest)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestLookup(t *testing.T) {
	t.Parallel()
	c := cep.New(fake(t).URL, nil)
	a, err := c.Lookup(context.Background(), "01001-000")
	if err != nil {
		t.Fatal(err)
	}
	want := appcep.Address{PostalCode: "01001000", Street: "Praça da Sé", Complement: "lado ímpar",
		District: "Sé", City: "São Paulo", State: "SP"}
	if a != want {
		t.Fatalf("got %+v, want %+v", a, want)
	}
	for _, unknown := range []string{"99999-999", "99999998"} {
		if _, err := c.Lookup(context.Background(), unknown); !errors.Is(err, appcep.ErrNotFound) {
			t.Errorf("%s: err = %v, want ErrNotFound", unknown, err)
		}
	}
	if _, err := c.Lookup(context.Background(), "0100"); !errors.Is(err, appcep.ErrInvalid) {
		t.Errorf("short CEP: err = %v, want ErrInvalid", err)
	}
}

func TestLookup_unreachableOrSlowFailsFast(t *testing.T) {
	t.Parallel()
	srv := fake(t)
	slow := cep.New(srv.URL, &http.Client{Timeout: 50 * time.Millisecond})
	if _, err := slow.Lookup(context.Background(), "12345-678"); err == nil || errors.Is(err, appcep.ErrNotFound) {
		t.Errorf("slow service: err = %v, want a transport error", err)
	}
	down := cep.New("http://127.0.0.1:1", nil)
	start := time.Now()
	if _, err := down.Lookup(context.Background(), "01001000"); err == nil {
		t.Error("unreachable service: no error")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("unreachable service took %s", d)
	}
}
