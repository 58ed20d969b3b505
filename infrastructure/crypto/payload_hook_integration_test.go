package crypto_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/infrastructure/crypto"
	"github.com/torquehq/torque/infrastructure/eventcodec"
	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/infrastructure/postgres/pgtest"
)

type address struct{ Street, City string }

// registered is a test event with personal fields of every JSON type.
type registered struct {
	CustomerID string
	Name       string
	Document   string
	Address    address
	Phones     []string
	BirthYear  int
	Marketing  bool
	Nickname   *string
	Workshop   string // not personal
	Visits     int    // not personal
}

func (registered) EventName() string { return "customer.registered.v1" }

const streamType = "customer"

// newCodec wires a codec the way cmd/torque does; the cipher is returned so
// a test can shred through the same process (same cache).
func newCodec(t testing.TB, db *pgtest.DB) (*eventcodec.Codec, *crypto.EnvelopeCipher) {
	t.Helper()
	c := newCipher(t, db, ringK1, nil)
	codec := eventcodec.New()
	eventcodec.Register[registered](codec, eventcodec.Personal("CustomerID",
		"Name", "Document", "Address", "Phones", "BirthYear", "Marketing", "Nickname"))
	codec.SetPayloadHook(c.PayloadHook())
	return codec, c
}

func sampleEvent(id uuid.UUID) registered {
	return registered{
		CustomerID: id.String(), Name: "Maria da Conceição", Document: "52998224725",
		Address: address{Street: "Rua das Acácias, 42", City: "Campinas"},
		Phones:  []string{"+5519988887777"}, BirthYear: 1984, Marketing: true,
		Workshop: "Oficina Central", Visits: 7,
	}
}

func TestFieldEncryptionHook_SealOpenIntegration(t *testing.T) {
	db := pgtest.New(t)
	codec, _ := newCodec(t, db)
	tn := newTenant()
	ctx := tctx(tn)
	id := newSubject()
	ev := sampleEvent(id)

	enc, err := codec.Encode(ctx, tn.String(), id.String(), ev)
	if err != nil {
		t.Fatal(err)
	}
	var stored map[string]any
	if err := json.Unmarshal(enc.Payload, &stored); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"Name", "Document", "Address", "Phones", "BirthYear", "Marketing"} {
		sealed, ok := stored[f].(map[string]any)
		if !ok || !strings.HasPrefix(sealed["enc"].(string), "v1.") || len(sealed) != 2 {
			t.Errorf("%s stored as %v", f, stored[f])
		}
	}
	if stored["Nickname"] != nil || stored["Workshop"] != "Oficina Central" || stored["CustomerID"] != id.String() {
		t.Errorf("non-personal or null fields changed: %v", stored)
	}
	for _, secret := range []string{"Maria", "52998224725", "Acácias", "Campinas", "99888", ":1984"} {
		if strings.Contains(string(enc.Payload), secret) {
			t.Errorf("sealed payload contains %q", secret)
		}
	}

	// A projection: no tenant in the context, the tenant comes from the message.
	got, err := codec.Decode(context.Background(), tn.String(), id.String(), enc.Type, enc.Schema, enc.Payload)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, ev) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, ev)
	}

	// Copied into another tenant's stream: refused.
	if _, err := codec.Decode(context.Background(), newTenant().String(), id.String(), enc.Type, enc.Schema, enc.Payload); !errors.Is(err, privacy.ErrTampered) {
		t.Errorf("payload in another tenant: %v", err)
	}
	// A request of one tenant decoding another tenant's payload: refused.
	if _, err := codec.Decode(tctx(newTenant()), tn.String(), id.String(), enc.Type, enc.Schema, enc.Payload); err == nil {
		t.Error("payload opened in a context of another tenant")
	}
	// A sealed field swapped with another sealed field of the same record: refused.
	swapped := map[string]json.RawMessage{}
	_ = json.Unmarshal(enc.Payload, &swapped)
	swapped["Name"], swapped["Document"] = swapped["Document"], swapped["Name"]
	raw, _ := json.Marshal(swapped)
	if _, err := codec.Decode(context.Background(), tn.String(), id.String(), enc.Type, enc.Schema, raw); !errors.Is(err, privacy.ErrTampered) {
		t.Errorf("swapped fields: %v", err)
	}
	// A personal field replaced by plaintext: refused (never altered data).
	swapped = map[string]json.RawMessage{}
	_ = json.Unmarshal(enc.Payload, &swapped)
	swapped["Name"] = json.RawMessage(`"Impostor"`)
	raw, _ = json.Marshal(swapped)
	if _, err := codec.Decode(context.Background(), tn.String(), id.String(), enc.Type, enc.Schema, raw); !errors.Is(err, privacy.ErrTampered) {
		t.Errorf("plaintext personal field: %v", err)
	}
}

func TestFieldEncryptionHook_Open_erasedSubjectIntegration(t *testing.T) {
	db := pgtest.New(t)
	codec, c := newCodec(t, db)
	store, err := postgres.NewEventStore(postgres.EventStoreConfig{Pool: db.App, Codec: codec})
	if err != nil {
		t.Fatal(err)
	}
	tn := newTenant()
	ctx := tctx(tn)
	id, other := newSubject(), newSubject()
	nick := "Mari"
	ev := sampleEvent(id)
	ev.Nickname = &nick
	for _, e := range []registered{ev, sampleEvent(other)} {
		stream := eventsourcing.StreamRef{Type: streamType, ID: uuid.MustParse(e.CustomerID)}
		if _, err := store.Append(ctx, stream, 0, []es.Event{e}); err != nil {
			t.Fatal(err)
		}
	}

	// Shredding evicts the key from this process's cache at once.
	if err := c.Shred(ctx, id); err != nil {
		t.Fatal(err)
	}
	want := registered{
		CustomerID: id.String(), Name: privacy.Placeholder, Document: privacy.Placeholder,
		Address: address{}, Phones: []string{}, BirthYear: 0, Marketing: false,
		Nickname: ptr(privacy.Placeholder), Workshop: "Oficina Central", Visits: 7,
	}
	// This process, and a projection in another process (tenant from the
	// message, not the context).
	coldCodec, _ := newCodec(t, db)
	coldStore, _ := postgres.NewEventStore(postgres.EventStoreConfig{Pool: db.App, Codec: coldCodec})
	for _, st := range []*postgres.PostgresEventStore{store, coldStore} {
		recs, err := st.Load(ctx, eventsourcing.StreamRef{Type: streamType, ID: id})
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 1 {
			t.Fatalf("%d events", len(recs))
		}
		if got := recs[0].Event; !reflect.DeepEqual(got, want) {
			t.Fatalf("erased event:\n got %+v\nwant %+v", got, want)
		}
	}
	var payload []byte
	if err := db.Admin.QueryRow(context.Background(), `SELECT payload FROM events WHERE stream_id = $1`, id).Scan(&payload); err != nil {
		t.Fatal(err)
	}
	got, err := coldCodec.Decode(context.Background(), tn.String(), id.String(), "customer.registered.v1", 1, payload)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("projection-style decode: %+v %v", got, err)
	}
	// The other customer is untouched.
	recs, err := store.Load(ctx, eventsourcing.StreamRef{Type: streamType, ID: other})
	if err != nil || len(recs) != 1 || recs[0].Event.(registered).Name != "Maria da Conceição" {
		t.Fatalf("other subject: %v %v", recs, err)
	}
	// Appending new personal data for the erased subject is refused.
	if _, err := store.Append(ctx, eventsourcing.StreamRef{Type: streamType, ID: id}, 1, []es.Event{ev}); !errors.Is(err, privacy.ErrErased) {
		t.Fatalf("append for erased subject: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestKeyAndEventTables_dumpHoldsNoPlaintextIntegration(t *testing.T) {
	db := pgtest.New(t)
	codec, _ := newCodec(t, db)
	store, err := postgres.NewEventStore(postgres.EventStoreConfig{Pool: db.App, Codec: codec})
	if err != nil {
		t.Fatal(err)
	}
	tn := newTenant()
	ctx := tctx(tn)
	id := newSubject()
	if _, err := store.Append(ctx, eventsourcing.StreamRef{Type: streamType, ID: id}, 0, []es.Event{sampleEvent(id)}); err != nil {
		t.Fatal(err)
	}
	c := newCipher(t, db, ringK1, nil)
	if _, err := c.Encrypt(ctx, id, "read_model.notes", []byte("cliente prefere WhatsApp")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.BlindIndexer().Index(ctx, privacy.KindDocument, "52998224725"); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Admin.Query(context.Background(), `
		SELECT t::text FROM tenant_keys t
		UNION ALL SELECT s::text FROM subject_keys s
		UNION ALL SELECT e::text FROM events e
		UNION ALL SELECT w::text FROM watermill_events w`)
	if err != nil {
		t.Fatal(err)
	}
	var dump strings.Builder
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		dump.WriteString(line + "\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	text := dump.String()
	if !strings.Contains(text, "Oficina Central") {
		t.Fatalf("dump misses the non-personal field; is it the right dump?\n%s", text)
	}
	for _, secret := range []string{"Maria", "Concei", "52998224725", "529.982.247-25", "Acácias", "Ac\\u00e1cias",
		"Campinas", "5519988887777", "WhatsApp", b64Key(0x11)} {
		if strings.Contains(text, secret) {
			t.Errorf("a plain dump of the tables contains %q", secret)
		}
	}
}
