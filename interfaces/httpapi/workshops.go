package httpapi

import (
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/workshop"
)

// workshopJSON is the workshop resource.
type workshopJSON struct {
	ID             uuid.UUID           `json:"id"`
	Slug           string              `json:"slug"`
	Name           string              `json:"name"`
	Plan           string              `json:"plan"`
	Status         string              `json:"status"`
	LegalName      string              `json:"legal_name"`
	CNPJ           string              `json:"cnpj"`
	Email          string              `json:"email"`
	Phone          string              `json:"phone"`
	WhatsApp       string              `json:"whatsapp"`
	Address        addressJSON         `json:"address"`
	TimeZone       string              `json:"time_zone"`
	BusinessHours  []businessHoursJSON `json:"business_hours"`
	LogoURL        string              `json:"logo_url"`
	PrimaryColor   string              `json:"primary_color"`
	SecondaryColor string              `json:"secondary_color"`
	PrivacyPolicy  string              `json:"privacy_policy"`
	FranchiseID    *uuid.UUID          `json:"franchise_id"`
	CreatedAt      time.Time           `json:"created_at"`
	Version        int64               `json:"version"`
}

type businessHoursJSON struct {
	Weekday int    `json:"weekday"`
	Opens   string `json:"opens"`
	Closes  string `json:"closes"`
}

func toWorkshopJSON(v workshops.WorkshopView) workshopJSON {
	p := v.Profile
	out := workshopJSON{ID: v.ID, Slug: v.Slug, Name: v.Name, Plan: v.Plan, Status: v.Status, LegalName: p.LegalName,
		CNPJ: p.CNPJ, Email: p.Email, Phone: p.Phone, WhatsApp: p.WhatsApp,
		Address: addressJSON{Street: p.Street, Number: p.Number, Complement: p.Complement, District: p.District,
			City: p.City, State: p.State, PostalCode: p.PostalCode},
		TimeZone: v.TimeZone, BusinessHours: []businessHoursJSON{}, LogoURL: p.LogoURL, PrimaryColor: p.PrimaryColor,
		SecondaryColor: p.SecondaryColor, PrivacyPolicy: p.PrivacyPolicy, CreatedAt: v.CreatedAt.UTC(), Version: v.Version}
	for _, b := range p.BusinessHours {
		out.BusinessHours = append(out.BusinessHours, businessHoursJSON(b))
	}
	if v.FranchiseID != uuid.Nil {
		id := v.FranchiseID
		out.FranchiseID = &id
	}
	return out
}

func (h *AccountHandlers) writeWorkshop(w http.ResponseWriter, status int, v workshops.WorkshopView) {
	w.Header().Set("ETag", ETag(v.Version))
	WriteJSON(w, status, toWorkshopJSON(v))
}

func (h *AccountHandlers) getWorkshop(w http.ResponseWriter, r *http.Request) {
	v, err := h.Workshops.GetWorkshop(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeWorkshop(w, http.StatusOK, v)
}

type workshopPatch struct {
	Name           Optional[string]              `json:"name"`
	LegalName      Optional[string]              `json:"legal_name"`
	CNPJ           Optional[string]              `json:"cnpj"`
	Email          Optional[string]              `json:"email"`
	Phone          Optional[string]              `json:"phone"`
	WhatsApp       Optional[string]              `json:"whatsapp"`
	Address        Optional[addressPatch]        `json:"address"`
	TimeZone       Optional[string]              `json:"time_zone"`
	BusinessHours  Optional[[]businessHoursJSON] `json:"business_hours"`
	LogoURL        Optional[string]              `json:"logo_url"`
	PrimaryColor   Optional[string]              `json:"primary_color"`
	SecondaryColor Optional[string]              `json:"secondary_color"`
	PrivacyPolicy  Optional[string]              `json:"privacy_policy"`
}

// str maps a merge-patch string: absent → nil (unchanged), null → "" (clear).
func str(o Optional[string]) *string {
	if !o.Set {
		return nil
	}
	v := o.Value
	if o.Null {
		v = ""
	}
	return &v
}

func (h *AccountHandlers) patchWorkshop(w http.ResponseWriter, r *http.Request) {
	var p workshopPatch
	if err := DecodeJSON(r, &p); err != nil {
		h.fail(w, r, err)
		return
	}
	expected, has, err := IfMatch(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := workshop.ProfileInput{Name: str(p.Name), LegalName: str(p.LegalName), CNPJ: str(p.CNPJ), Email: str(p.Email),
		Phone: str(p.Phone), WhatsApp: str(p.WhatsApp), TimeZone: str(p.TimeZone), LogoURL: str(p.LogoURL),
		PrimaryColor: str(p.PrimaryColor), Secondary: str(p.SecondaryColor), PrivacyPolicy: str(p.PrivacyPolicy)}
	if p.Name.Set && p.Name.Null {
		h.fail(w, r, errs.Invalid("name", "required", "name cannot be removed"))
		return
	}
	if p.Address.Set {
		a := p.Address.Value
		if p.Address.Null {
			empty := ""
			in.Street, in.Number, in.Complement, in.District, in.City, in.State, in.PostalCode =
				&empty, &empty, &empty, &empty, &empty, &empty, &empty
		} else {
			in.Street, in.Number, in.Complement, in.District = str(a.Street), str(a.Number), str(a.Complement), str(a.District)
			in.City, in.State, in.PostalCode = str(a.City), str(a.State), str(a.PostalCode)
		}
	}
	if p.BusinessHours.Set {
		hours := []workshop.BusinessHours{}
		for _, b := range p.BusinessHours.Value {
			hours = append(hours, workshop.BusinessHours(b))
		}
		in.BusinessHours = &hours
	}
	var exp *int64
	if has {
		exp = &expected
	}
	v, err := h.Workshops.UpdateProfile(r.Context(), in, exp)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeWorkshop(w, http.StatusOK, v)
}
