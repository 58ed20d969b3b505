package customer

import (
	"github.com/torquehq/torque/domain/validate"
	"strings"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
)

// API names of the customer's fields. Validation errors name fields with
// them and Corrected.Changed lists them.
const (
	FieldName       = "name"
	FieldDocument   = "document"
	FieldEmail      = "email"
	FieldMobile     = "phones.mobile"
	FieldLandline   = "phones.landline"
	FieldStreet     = "address.street"
	FieldNumber     = "address.number"
	FieldComplement = "address.complement"
	FieldDistrict   = "address.district"
	FieldCity       = "address.city"
	FieldState      = "address.state"
	FieldPostalCode = "address.postal_code"
)

// RegisterInput is a new customer as received from the API, already
// JSON-decoded but not validated. Only Name is required; a blank optional
// field means "not given".
type RegisterInput struct {
	Name     string
	Document string // CPF or CNPJ (numeric or alphanumeric), with or without mask
	Email    string
	Phones   PhonesInput
	Address  AddressInput
	// MarketingConsent true records a ConsentGiven for marketing on every
	// channel right after Registered.
	MarketingConsent bool
	// Source says where the registration was made ("api", "portal",
	// "counter"...); it is required when MarketingConsent is true, because
	// it is part of the proof of consent.
	Source string
}

// PhonesInput holds the customer's phones in any Brazilian shape
// ("+55 11 98765-4321", "(11) 3456-7890"...).
type PhonesInput struct {
	Mobile   string // must be a mobile number
	Landline string // any valid Brazilian number, despite the name
}

// AddressInput is a postal address; every part is optional.
type AddressInput struct {
	Street     string
	Number     string
	Complement string
	District   string
	City       string
	State      string // UF, e.g. "SP"
	PostalCode string // CEP, e.g. "01001-000"
}

// CustomerPatch is a JSON merge patch of the customer, see Optional. Name
// cannot be cleared; Phones or Address set to null clears all of their parts.
type CustomerPatch struct {
	Name             Optional[string]
	Document         Optional[string]
	Email            Optional[string]
	Phones           Optional[PhonesPatch]
	Address          Optional[AddressPatch]
	MarketingConsent Optional[bool]
	// Source says where the change was made ("api", "portal", "counter"...);
	// it is required when MarketingConsent changes the consent.
	Source string
}

// PhonesPatch is the merge patch of the phones object.
type PhonesPatch struct {
	Mobile   Optional[string]
	Landline Optional[string]
}

// AddressPatch is the merge patch of the address object.
type AddressPatch struct {
	Street     Optional[string]
	Number     Optional[string]
	Complement Optional[string]
	District   Optional[string]
	City       Optional[string]
	State      Optional[string]
	PostalCode Optional[string]
}

// Phones are the customer's phones in E.164 ("+5511987654321"); "" when
// absent.
type Phones struct {
	Mobile   string
	Landline string
}

// Address is the customer's postal address as stored: State an upper-case
// UF, PostalCode 8 digits; "" for absent parts.
type Address struct {
	Street     string
	Number     string
	Complement string
	District   string
	City       string
	State      string
	PostalCode string
}

// profile is the personal data of a customer, blanked on erasure.
type profile struct {
	name         string
	document     string
	documentType string
	email        string
	phones       Phones
	address      Address
}

// parseName trims the name and checks it: required, 1-200 characters, one
// line.
func parseName(col *errs.Collector, s string) string {
	name := validate.FreeText(col, FieldName, s, maxNameRunes, false)
	if name == "" {
		col.Add(FieldName, br.CodeRequired, "name is required")
	}
	return name
}

// parseDocument returns the normalised document and its type, or two empty
// strings for a blank input.
func parseDocument(col *errs.Collector, s string) (value, kind string) {
	if strings.TrimSpace(s) == "" {
		return "", ""
	}
	d, err := br.ParseDocument(s)
	if err != nil {
		validate.AddBR(col, FieldDocument, err)
		return "", ""
	}
	return d.String(), d.Kind().String()
}

func parseEmail(col *errs.Collector, s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	e, err := br.ParseEmail(s)
	if err != nil {
		validate.AddBR(col, FieldEmail, err)
		return ""
	}
	return e.String()
}

func parseMobile(col *errs.Collector, s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	p, err := br.ParseMobile(s)
	if err != nil {
		validate.AddBR(col, FieldMobile, err)
		return ""
	}
	return p.E164()
}

func parseLandline(col *errs.Collector, s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	p, err := br.ParsePhone(s)
	if err != nil {
		validate.AddBR(col, FieldLandline, err)
		return ""
	}
	return p.E164()
}

func parseState(col *errs.Collector, s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	uf, err := br.ParseUF(s)
	if err != nil {
		validate.AddBR(col, FieldState, err)
		return ""
	}
	return uf.String()
}

func parsePostalCode(col *errs.Collector, s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	cep, err := br.ParseCEP(s)
	if err != nil {
		validate.AddBR(col, FieldPostalCode, err)
		return ""
	}
	return cep.String()
}

func parseAddressLine(col *errs.Collector, field, s string) string {
	return validate.FreeText(col, field, s, maxAddressLineRunes, false)
}

// parseProfile validates a whole RegisterInput, collecting every error.
func parseProfile(col *errs.Collector, in RegisterInput) profile {
	var p profile
	p.name = parseName(col, in.Name)
	p.document, p.documentType = parseDocument(col, in.Document)
	p.email = parseEmail(col, in.Email)
	p.phones.Mobile = parseMobile(col, in.Phones.Mobile)
	p.phones.Landline = parseLandline(col, in.Phones.Landline)
	p.address = Address{
		Street:     parseAddressLine(col, FieldStreet, in.Address.Street),
		Number:     parseAddressLine(col, FieldNumber, in.Address.Number),
		Complement: parseAddressLine(col, FieldComplement, in.Address.Complement),
		District:   parseAddressLine(col, FieldDistrict, in.Address.District),
		City:       parseAddressLine(col, FieldCity, in.Address.City),
		State:      parseState(col, in.Address.State),
		PostalCode: parsePostalCode(col, in.Address.PostalCode),
	}
	return p
}

// patched returns cur with the patch applied, collecting every error. A
// null optional text field, like a blank one, clears the field.
func patched(col *errs.Collector, cur profile, patch CustomerPatch) profile {
	next := cur
	if o := patch.Name; o.Set {
		if o.Null {
			col.Add(FieldName, br.CodeRequired, "name cannot be removed")
		} else {
			next.name = parseName(col, o.Value)
		}
	}
	if o := patch.Document; o.Set {
		next.document, next.documentType = "", ""
		if !o.Null {
			next.document, next.documentType = parseDocument(col, o.Value)
		}
	}
	patchText(&next.email, patch.Email, func(s string) string { return parseEmail(col, s) })
	if o := patch.Phones; o.Set {
		if o.Null {
			next.phones = Phones{}
		} else {
			patchText(&next.phones.Mobile, o.Value.Mobile, func(s string) string { return parseMobile(col, s) })
			patchText(&next.phones.Landline, o.Value.Landline, func(s string) string { return parseLandline(col, s) })
		}
	}
	if o := patch.Address; o.Set {
		if o.Null {
			next.address = Address{}
		} else {
			a, line := o.Value, func(field string) func(string) string {
				return func(s string) string { return parseAddressLine(col, field, s) }
			}
			patchText(&next.address.Street, a.Street, line(FieldStreet))
			patchText(&next.address.Number, a.Number, line(FieldNumber))
			patchText(&next.address.Complement, a.Complement, line(FieldComplement))
			patchText(&next.address.District, a.District, line(FieldDistrict))
			patchText(&next.address.City, a.City, line(FieldCity))
			patchText(&next.address.State, a.State, func(s string) string { return parseState(col, s) })
			patchText(&next.address.PostalCode, a.PostalCode, func(s string) string { return parsePostalCode(col, s) })
		}
	}
	return next
}

// patchText applies one optional text field: absent keeps *dst, null
// clears it, a value is parsed (blank parses to "", which also clears).
func patchText(dst *string, o Optional[string], parse func(string) string) {
	switch {
	case !o.Set:
	case o.Null:
		*dst = ""
	default:
		*dst = parse(o.Value)
	}
}
