// Package customer holds the Customer aggregate: a workshop's client, a
// person or a company, with contact data, notes, LGPD consents and erasure.
//
// Commands take plain input (strings as received from the API), validate
// all of it before recording anything and report every bad field at once in
// an *errs.ValidationError whose fields carry the API names (FieldName...).
// State is rebuilt only from events; see events.go for how personal data is
// laid out in them.
package customer

import (
	"errors"
	"fmt"
	"github.com/torquehq/torque/domain/validate"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/es"
)

// StreamType names customer streams in the event store.
const StreamType = "customer"

// Customer is the aggregate. Its zero value is unusable; use Register for a
// new customer or Blank to load one.
type Customer struct {
	rec        es.Recorder
	id         uuid.UUID
	registered bool
	erased     bool
	createdAt  time.Time
	profile    profile
	notes      []Note
	consents   []ConsentRecord
	granted    map[ConsentPurpose]map[Channel]bool
	// erasureRequested: the person asked for erasure (ErasureRequested).
	erasureRequested bool
}

// Note is a remark of the workshop about the customer.
type Note struct {
	ID   uuid.UUID
	Text string
	At   time.Time
}

// Blank returns an empty customer ready to have its events applied.
func Blank(id uuid.UUID) *Customer {
	c := &Customer{id: id}
	c.rec = es.NewRecorder(c.Apply)
	return c
}

// Register validates in and records a new customer (Registered, followed by
// ConsentGiven when in.MarketingConsent is true). Text is stored trimmed of
// outer whitespace and otherwise exactly as typed.
func Register(id uuid.UUID, in RegisterInput, now time.Time) (*Customer, error) {
	if id == uuid.Nil {
		return nil, errors.New("register customer: nil id")
	}
	var col errs.Collector
	p := parseProfile(&col, in)
	source := ""
	if in.MarketingConsent || in.Source != "" {
		source = parseSource(&col, in.Source)
	}
	if err := col.Err(); err != nil {
		return nil, err
	}

	now = now.UTC()
	c := Blank(id)
	c.rec.Record(Registered{
		CustomerID:    id,
		Name:          p.name,
		Document:      p.document,
		DocumentType:  p.documentType,
		Email:         p.email,
		MobilePhone:   p.phones.Mobile,
		LandlinePhone: p.phones.Landline,
		Street:        p.address.Street,
		Number:        p.address.Number,
		Complement:    p.address.Complement,
		District:      p.address.District,
		City:          p.address.City,
		State:         p.address.State,
		PostalCode:    p.address.PostalCode,
		RegisteredAt:  now,
	})
	if e := c.marketingConsentEvent(in.MarketingConsent, source, now); e != nil {
		c.rec.Record(e)
	}
	return c, nil
}

// Correct applies a merge patch of the customer's data. It records one
// Corrected with the fields whose normalised value changed (none when the
// patch changes nothing, e.g. the same phone typed with another mask), then
// ConsentGiven or ConsentWithdrawn when MarketingConsent changes.
func (c *Customer) Correct(patch CustomerPatch, now time.Time) error {
	if err := c.checkActive(); err != nil {
		return err
	}
	var col errs.Collector
	next := patched(&col, c.profile, patch)
	wantMarketing := c.MarketingConsent()
	if o := patch.MarketingConsent; o.Set {
		if o.Null {
			col.Add("marketing_consent", br.CodeRequired, "marketing_consent must be true or false")
		} else {
			wantMarketing = o.Value
		}
	}
	source := ""
	if wantMarketing != c.MarketingConsent() || patch.Source != "" {
		source = parseSource(&col, patch.Source)
	}
	if err := col.Err(); err != nil {
		return err
	}

	now = now.UTC()
	ev := Corrected{CustomerID: c.id, CorrectedAt: now}
	for _, f := range correctableFields {
		if v := *f.inProfile(&next); v != *f.inProfile(&c.profile) {
			ev.Changed = append(ev.Changed, f.name)
			*f.inEvent(&ev) = v
		}
	}
	if slices.Contains(ev.Changed, FieldDocument) {
		ev.DocumentType = next.documentType
	}
	if len(ev.Changed) > 0 {
		c.rec.Record(ev)
	}
	if e := c.marketingConsentEvent(wantMarketing, source, now); e != nil {
		c.rec.Record(e)
	}
	return nil
}

// correctableFields maps each API field to where it lives in the profile
// and in Corrected, so that Correct and Apply cannot disagree.
var correctableFields = []struct {
	name      string
	inProfile func(*profile) *string
	inEvent   func(*Corrected) *string
}{
	{FieldName, func(p *profile) *string { return &p.name }, func(e *Corrected) *string { return &e.Name }},
	{FieldDocument, func(p *profile) *string { return &p.document }, func(e *Corrected) *string { return &e.Document }},
	{FieldEmail, func(p *profile) *string { return &p.email }, func(e *Corrected) *string { return &e.Email }},
	{FieldMobile, func(p *profile) *string { return &p.phones.Mobile }, func(e *Corrected) *string { return &e.MobilePhone }},
	{FieldLandline, func(p *profile) *string { return &p.phones.Landline }, func(e *Corrected) *string { return &e.LandlinePhone }},
	{FieldStreet, func(p *profile) *string { return &p.address.Street }, func(e *Corrected) *string { return &e.Street }},
	{FieldNumber, func(p *profile) *string { return &p.address.Number }, func(e *Corrected) *string { return &e.Number }},
	{FieldComplement, func(p *profile) *string { return &p.address.Complement }, func(e *Corrected) *string { return &e.Complement }},
	{FieldDistrict, func(p *profile) *string { return &p.address.District }, func(e *Corrected) *string { return &e.District }},
	{FieldCity, func(p *profile) *string { return &p.address.City }, func(e *Corrected) *string { return &e.City }},
	{FieldState, func(p *profile) *string { return &p.address.State }, func(e *Corrected) *string { return &e.State }},
	{FieldPostalCode, func(p *profile) *string { return &p.address.PostalCode }, func(e *Corrected) *string { return &e.PostalCode }},
}

// AddNote records a note about the customer; text is trimmed and must have
// 1-5000 characters (line breaks allowed). Adding the same note id with the
// same text again records nothing, so a retried request is harmless; the
// same id with another text is a conflict.
func (c *Customer) AddNote(noteID uuid.UUID, text string, now time.Time) error {
	if err := c.checkActive(); err != nil {
		return err
	}
	var col errs.Collector
	text = validate.FreeText(&col, "text", text, maxNoteRunes, true)
	if text == "" {
		col.Add("text", br.CodeRequired, "text is required")
	}
	if err := col.Err(); err != nil {
		return err
	}
	if noteID == uuid.Nil {
		return errors.New("add note: nil note id")
	}
	for _, n := range c.notes {
		if n.ID == noteID {
			if n.Text == text {
				return nil
			}
			return fmt.Errorf("note %s already exists with another text: %w", noteID, errs.ErrConflict)
		}
	}
	c.rec.Record(NoteAdded{CustomerID: c.id, NoteID: noteID, Text: text, AddedAt: now.UTC()})
	return nil
}

// Erase records the erasure of the customer's personal data. Afterwards
// every command fails with errs.ErrNotFound and the getters return no
// personal data, as if the person had never been registered.
func (c *Customer) Erase(now time.Time) error {
	if err := c.checkActive(); err != nil {
		return err
	}
	c.rec.Record(Erased{CustomerID: c.id, ErasedAt: now.UTC()})
	return nil
}

// checkActive refuses commands on a customer that does not exist (never
// registered, or erased).
func (c *Customer) checkActive() error {
	switch {
	case c.erased:
		return fmt.Errorf("customer %s was erased: %w", c.id, errs.ErrNotFound)
	case !c.registered:
		return fmt.Errorf("customer %s: %w", c.id, errs.ErrNotFound)
	}
	return nil
}

// Apply implements es.Aggregate. It never validates or re-parses: stored
// values, including the placeholder that replaces personal data after
// erasure, are taken as they are. Personal data arriving after Erased is
// ignored, so an erased customer stays empty.
func (c *Customer) Apply(e es.Event) {
	switch e := e.(type) {
	case Registered:
		c.registered = true
		c.createdAt = e.RegisteredAt
		if c.erased {
			return
		}
		c.profile = profile{
			name:         e.Name,
			document:     e.Document,
			documentType: e.DocumentType,
			email:        e.Email,
			phones:       Phones{Mobile: e.MobilePhone, Landline: e.LandlinePhone},
			address: Address{
				Street: e.Street, Number: e.Number, Complement: e.Complement, District: e.District,
				City: e.City, State: e.State, PostalCode: e.PostalCode,
			},
		}
	case Corrected:
		if c.erased {
			return
		}
		for _, name := range e.Changed {
			for _, f := range correctableFields {
				if f.name == name {
					*f.inProfile(&c.profile) = *f.inEvent(&e)
				}
			}
			if name == FieldDocument {
				c.profile.documentType = e.DocumentType
			}
		}
	case NoteAdded:
		if c.erased {
			return
		}
		c.notes = append(c.notes, Note{ID: e.NoteID, Text: e.Text, At: e.AddedAt})
	case ConsentGiven:
		if c.erased {
			return
		}
		c.applyConsent(ConsentRecord{
			Purpose: ConsentPurpose{s: e.Purpose}, Channel: Channel{s: e.Channel},
			Granted: true, Source: e.Source, At: e.GivenAt,
		})
	case ConsentWithdrawn:
		if c.erased {
			return
		}
		c.applyConsent(ConsentRecord{Purpose: ConsentPurpose{s: e.Purpose}, Source: e.Source, At: e.WithdrawnAt})
	case ErasureRequested:
		c.erasureRequested = true
	case Erased:
		c.erased = true
		c.profile = profile{}
		c.notes = nil
		c.consents = nil
		c.granted = nil
	}
}

// Recorder implements es.Aggregate.
func (c *Customer) Recorder() *es.Recorder { return &c.rec }

// ID returns the customer id.
func (c *Customer) ID() uuid.UUID { return c.id }

// Name returns the name as typed, trimmed.
func (c *Customer) Name() string { return c.profile.name }

// Document returns the CPF or CNPJ without mask ("" when absent).
func (c *Customer) Document() string { return c.profile.document }

// DocumentType returns "cpf", "cnpj" or "" when there is no document.
func (c *Customer) DocumentType() string { return c.profile.documentType }

// Email returns the e-mail in lower case ("" when absent).
func (c *Customer) Email() string { return c.profile.email }

// Phones returns the phones in E.164.
func (c *Customer) Phones() Phones { return c.profile.phones }

// Address returns the postal address.
func (c *Customer) Address() Address { return c.profile.address }

// CreatedAt returns when the customer was registered (kept after erasure,
// as it is no personal data).
func (c *Customer) CreatedAt() time.Time { return c.createdAt }

// Notes returns the notes, oldest first (a fresh slice).
func (c *Customer) Notes() []Note { return append([]Note(nil), c.notes...) }

// IsErased reports whether the customer's personal data was erased.
func (c *Customer) IsErased() bool { return c.erased }
