package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/torquehq/torque/internal/e2e"
)

// post sends a back-office form with a session token; it returns the status,
// the redirect target and the body.
func post(t *testing.T, env *e2e.Env, path, token string, form url.Values) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, env.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", env.Config.PublicURL)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

func TestAgenda_settingsBookingCalendarAndArrivalIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	base := "/api/v1/workshops/" + w.Slug
	c := env.Do(t, http.MethodPost, base+"/customers", w.OwnerToken, `{"name":"Joana Araújo","document":"390.533.447-05","phones":{"mobile":"(11) 98765-4321"}}`).JSON()
	v := env.Do(t, http.MethodPost, base+"/customers/"+c["id"].(string)+"/vehicles", w.OwnerToken, `{"plate":"JOA1B23","make":"Fiat","model":"Argo","year":2022}`).JSON()
	vid, _ := v["id"].(string)
	app := "/app/" + w.Slug

	// Nav and settings.
	status, body := page(t, env, app+"/agenda", w.OwnerToken, "")
	if status != 200 || !strings.Contains(body, `href="/app/`+w.Slug+`/agenda" aria-current="page">Agenda</a>`) {
		t.Fatalf("agenda: %d", status)
	}
	if s, _, b := post(t, env, app+"/agenda/settings", w.OwnerToken, url.Values{"bays": {"0"}, "slot_minutes": {"30"}}); s != 422 || !strings.Contains(b, `id="e-bays"`) {
		t.Fatalf("bad settings: %d", s)
	}
	if s, loc, _ := post(t, env, app+"/agenda/settings", w.OwnerToken, url.Values{"bays": {"2"}, "slot_minutes": {"30"}, "service_minutes.oil_change": {"45"}}); s != 303 || !strings.Contains(loc, "booking_saved") {
		t.Fatalf("save settings: %d %s", s, loc)
	}
	if _, body = page(t, env, app+"/agenda/settings", w.OwnerToken, ""); !strings.Contains(body, `name="service_minutes.oil_change" type="number" value="45"`) {
		t.Error("settings page does not show the saved duration")
	}

	// Opening hours on the same page: a closing time before the opening one
	// is refused on its row; then every day 07:00–19:00.
	bad := url.Values{"time_zone": {"America/Sao_Paulo"}, "hours.1.open": {"on"}, "hours.1.opens": {"18:00"}, "hours.1.closes": {"08:00"}}
	if s, _, b := post(t, env, app+"/agenda/hours", w.OwnerToken, bad); s != 422 || !strings.Contains(b, `class="has-error"`) {
		t.Fatalf("bad hours: %d", s)
	}
	good := url.Values{"time_zone": {"America/Sao_Paulo"}}
	for d := 0; d < 7; d++ {
		p := fmt.Sprintf("hours.%d.", d)
		good.Set(p+"open", "on")
		good.Set(p+"opens", "07:00")
		good.Set(p+"closes", "19:00")
	}
	if s, loc, _ := post(t, env, app+"/agenda/hours", w.OwnerToken, good); s != 303 || !strings.Contains(loc, "hours_saved") {
		t.Fatalf("save hours: %d %s", s, loc)
	}
	if _, body = page(t, env, app+"/agenda/settings", w.OwnerToken, ""); !strings.Contains(body, `name="hours.3.closes" aria-label="Fecha: quarta-feira" value="19:00"`) {
		t.Error("settings page does not show the saved hours")
	}

	// Book from the form: the first free slot.
	status, body = page(t, env, app+"/agenda/new?vehicle="+vid+"&services=oil_change", w.OwnerToken, "")
	m := regexp.MustCompile(`<option value="([^"]+)"`).FindStringSubmatch(body)
	if status != 200 || m == nil {
		t.Fatalf("new appointment form: %d", status)
	}
	s, loc, _ := post(t, env, app+"/agenda/new", w.OwnerToken, url.Values{"vehicle": {vid}, "services": {"oil_change"}, "start": {m[1]}, "note": {"barulho no motor"}})
	if s != 303 || !strings.Contains(loc, "appointment_booked") {
		t.Fatalf("book: %d %s", s, loc)
	}
	if s, _, b := post(t, env, app+"/agenda/new", w.OwnerToken, url.Values{"vehicle": {vid}, "services": {"oil_change"}, "start": {"2020-01-01T10:00:00Z"}}); s != 422 || !strings.Contains(b, "Este horário já passou.") {
		t.Errorf("book in the past: %d", s)
	}
	_, body = page(t, env, loc, w.OwnerToken, "")
	for _, want := range []string{"JOA1B23", "Joana Araújo", "Troca de óleo", "barulho no motor", "Agendado", "Agendamento criado."} {
		if !strings.Contains(body, want) {
			t.Errorf("day view lacks %q", want)
		}
	}
	id := regexp.MustCompile(`data-appointment="([0-9a-f-]+)"`).FindStringSubmatch(body)
	if id == nil {
		t.Fatal("no appointment on the day view")
	}
	date := regexp.MustCompile(`name="date" value="([0-9-]+)"`).FindStringSubmatch(body)[1]
	if _, week := page(t, env, app+"/agenda?date="+date, w.OwnerToken, ""); !strings.Contains(week, "JOA1B23") || strings.Count(week, `class="agenda-day card"`) != 7 {
		t.Error("week view")
	}

	// Arrival opens the order, which the calendar links.
	s, loc, _ = post(t, env, app+"/agenda/"+id[1]+"/status", w.OwnerToken, url.Values{"status": {"arrived"}, "date": {date}, "view": {"day"}})
	if s != 303 || !strings.Contains(loc, "appointment_arrived") {
		t.Fatalf("arrived: %d %s", s, loc)
	}
	_, body = page(t, env, loc, w.OwnerToken, "")
	if !strings.Contains(body, "Ver OS nº 1") || !strings.Contains(body, "Chegou") {
		t.Errorf("after arrival the day view lacks the order link")
	}
	if s, _, _ := post(t, env, app+"/agenda/"+id[1]+"/status", w.OwnerToken, url.Values{"status": {"no_show"}}); s != 409 {
		t.Errorf("no-show after arrival: %d", s)
	}
}
