// Package sms is a local fake of Twilio's Messages API for tests and the
// local stack: POST /2010-04-01/Accounts/{AccountSid}/Messages.json with a
// form (To, From, Body) and basic auth answers 201 with a Message resource;
// GET / lists what it accepted and GET /fake/messages returns it as JSON.
package sms

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Message is one SMS the fake accepted.
type Message struct {
	SID  string    `json:"sid"`
	To   string    `json:"to"`
	From string    `json:"from"`
	Body string    `json:"body"`
	At   time.Time `json:"at"`
}

// Fake is the fake server; it is an http.Handler.
type Fake struct {
	// AccountSID and AuthToken expected in basic auth ("" accepts any).
	AccountSID, AuthToken string
	// FailNext makes the next n sends answer 500.
	FailNext int

	mu   sync.Mutex
	msgs []Message
	seq  int
}

// New returns a fake.
func New() *Fake { return &Fake{} }

// Messages returns what the fake accepted, oldest first.
func (f *Fake) Messages() []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Message{}, f.msgs...)
}

func twilioError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"code": code, "message": msg, "more_info": "", "status": status})
}

// ServeHTTP implements http.Handler.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/":
		f.page(w)
	case r.Method == http.MethodGet && r.URL.Path == "/fake/messages":
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(f.Messages())
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/2010-04-01/Accounts/") && strings.HasSuffix(r.URL.Path, "/Messages.json"):
		f.send(w, r)
	default:
		twilioError(w, http.StatusNotFound, 20404, "The requested resource was not found")
	}
}

func (f *Fake) send(w http.ResponseWriter, r *http.Request) {
	sid, tok, ok := r.BasicAuth()
	acct := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/2010-04-01/Accounts/"), "/Messages.json")
	if !ok || (f.AccountSID != "" && (sid != f.AccountSID || tok != f.AuthToken || acct != sid)) {
		twilioError(w, http.StatusUnauthorized, 20003, "Authenticate")
		return
	}
	if err := r.ParseForm(); err != nil {
		twilioError(w, http.StatusBadRequest, 21601, "bad form")
		return
	}
	to, from, body := r.PostForm.Get("To"), r.PostForm.Get("From"), r.PostForm.Get("Body")
	switch {
	case !strings.HasPrefix(to, "+") || strings.TrimLeft(to[1:], "0123456789") != "":
		twilioError(w, http.StatusBadRequest, 21211, "The 'To' number "+to+" is not a valid phone number.")
		return
	case from == "":
		twilioError(w, http.StatusBadRequest, 21603, "A 'From' phone number is required.")
		return
	case body == "":
		twilioError(w, http.StatusBadRequest, 21602, "Message body is required.")
		return
	}
	f.mu.Lock()
	if f.FailNext > 0 {
		f.FailNext--
		f.mu.Unlock()
		twilioError(w, http.StatusInternalServerError, 20500, "Internal Server Error")
		return
	}
	f.seq++
	m := Message{SID: fmt.Sprintf("SM%032d", f.seq), To: to, From: from, Body: body, At: time.Now().UTC()}
	f.msgs = append(f.msgs, m)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]any{"sid": m.SID, "account_sid": sid, "to": to, "from": from, "body": body,
		"status": "queued", "num_segments": "1", "direction": "outbound-api", "api_version": "2010-04-01",
		"date_created": m.At.Format(time.RFC1123Z)})
}

var pageTmpl = template.Must(template.New("p").Parse(`<!doctype html><html lang="pt-BR"><head><meta charset="utf-8">
<title>SMS (fake)</title><style>body{font-family:sans-serif;margin:2em}td,th{border-bottom:1px solid #ddd;padding:.4em;text-align:left;vertical-align:top}</style></head>
<body><h1>SMS (Twilio) — mensagens recebidas pelo fake</h1><table><tr><th>quando</th><th>para</th><th>texto</th><th>sid</th></tr>
{{range .}}<tr><td>{{.At.Format "2006-01-02 15:04:05"}}</td><td>{{.To}}</td><td style="white-space:pre-wrap">{{.Body}}</td><td>{{.SID}}</td></tr>{{end}}
</table></body></html>`))

func (f *Fake) page(w http.ResponseWriter) {
	msgs := f.Messages()
	for i, j := 0, len(msgs)-1; i < j; i, j = i+1, j-1 {
		msgs[i], msgs[j] = msgs[j], msgs[i]
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := pageTmpl.Execute(w, msgs); err != nil {
		fmt.Fprint(w, err)
	}
}
