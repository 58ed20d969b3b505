package workshop

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/validate"
)

// ProfileData is the workshop's public profile, normalised.
type ProfileData struct {
	Name           string
	LegalName      string
	CNPJ           string
	Email          string
	Phone          string // E.164
	WhatsApp       string // E.164
	Street         string
	Number         string
	Complement     string
	District       string
	City           string
	State          string
	PostalCode     string
	TimeZone       string
	BusinessHours  []BusinessHours
	LogoURL        string
	PrimaryColor   string
	SecondaryColor string
	PrivacyPolicy  string
}

// BusinessHours is one weekday's opening window ("08:00"–"18:00").
type BusinessHours struct {
	Weekday int // 0 = Sunday
	Opens   string
	Closes  string
}

// ProfileInput is the profile as received, before validation. Nil fields
// are left unchanged.
type ProfileInput struct {
	Name, LegalName, CNPJ, Email, Phone, WhatsApp          *string
	Street, Number, Complement, District, City, State      *string
	PostalCode, TimeZone, LogoURL, PrimaryColor, Secondary *string
	PrivacyPolicy                                          *string
	BusinessHours                                          *[]BusinessHours
}

var (
	colorPattern = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
	hourPattern  = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
)

// MaxPrivacyPolicy bounds the privacy-policy text (characters).
const MaxPrivacyPolicy = 50_000

// apply validates in and returns the merged profile; every bad field is reported.
func (p ProfileData) apply(in ProfileInput) (ProfileData, error) {
	var c errs.Collector
	out := p
	if in.Name != nil {
		out.Name = cleanName("name", *in.Name, 120, &c)
	}
	text := func(field string, v *string, max int, dst *string) {
		if v == nil {
			return
		}
		s := strings.TrimSpace(*v)
		if utf8.RuneCountInString(s) > max {
			c.Add(field, CodeTooLong, fmt.Sprintf("%s must have at most %d characters", field, max))
			return
		}
		*dst = s
	}
	text("legal_name", in.LegalName, 200, &out.LegalName)
	text("address.street", in.Street, 200, &out.Street)
	text("address.number", in.Number, 20, &out.Number)
	text("address.complement", in.Complement, 100, &out.Complement)
	text("address.district", in.District, 100, &out.District)
	text("address.city", in.City, 100, &out.City)
	if in.CNPJ != nil {
		out.CNPJ = ""
		if s := strings.TrimSpace(*in.CNPJ); s != "" {
			if v, err := br.ParseCNPJ(s); err != nil {
				validate.AddBR(&c, "cnpj", err)
			} else {
				out.CNPJ = v.String()
			}
		}
	}
	if in.Email != nil {
		out.Email = ""
		if s := strings.TrimSpace(*in.Email); s != "" {
			if v, err := br.ParseEmail(s); err != nil {
				validate.AddBR(&c, "email", err)
			} else {
				out.Email = v.String()
			}
		}
	}
	phone := func(field string, v *string, dst *string) {
		if v == nil {
			return
		}
		*dst = ""
		if s := strings.TrimSpace(*v); s != "" {
			if p, err := br.ParsePhone(s); err != nil {
				validate.AddBR(&c, field, err)
			} else {
				*dst = p.E164()
			}
		}
	}
	phone("phone", in.Phone, &out.Phone)
	phone("whatsapp", in.WhatsApp, &out.WhatsApp)
	if in.State != nil {
		out.State = ""
		if s := strings.TrimSpace(*in.State); s != "" {
			if uf, err := br.ParseUF(s); err != nil {
				validate.AddBR(&c, "address.state", err)
			} else {
				out.State = uf.String()
			}
		}
	}
	if in.PostalCode != nil {
		out.PostalCode = ""
		if s := strings.TrimSpace(*in.PostalCode); s != "" {
			if cep, err := br.ParseCEP(s); err != nil {
				validate.AddBR(&c, "address.postal_code", err)
			} else {
				out.PostalCode = cep.String()
			}
		}
	}
	if in.TimeZone != nil {
		if tz, err := ParseTimeZone(strings.TrimSpace(*in.TimeZone)); err != nil {
			c.Add("time_zone", "unknown_value", "time zone must be an IANA name such as America/Sao_Paulo")
		} else {
			out.TimeZone = tz
		}
	}
	if in.LogoURL != nil {
		s := strings.TrimSpace(*in.LogoURL)
		// Only Torque's own uploads: the pages' Content-Security-Policy loads
		// images from Torque alone (upload with PUT .../logo).
		if s != "" && (!strings.HasPrefix(s, "/assets/") || strings.ContainsAny(s, " \"\\<>")) {
			c.Add("logo_url", "invalid_format", "logo must be an uploaded asset path (/assets/...)")
		} else {
			out.LogoURL = s
		}
	}
	color := func(field string, v *string, dst *string) {
		if v == nil {
			return
		}
		s := strings.TrimSpace(*v)
		if s != "" && !colorPattern.MatchString(s) {
			c.Add(field, "invalid_format", "colour must be #RRGGBB")
			return
		}
		*dst = strings.ToLower(s)
	}
	color("primary_color", in.PrimaryColor, &out.PrimaryColor)
	color("secondary_color", in.Secondary, &out.SecondaryColor)
	if in.PrivacyPolicy != nil {
		if utf8.RuneCountInString(*in.PrivacyPolicy) > MaxPrivacyPolicy {
			c.Add("privacy_policy", CodeTooLong, "privacy policy is too long")
		} else {
			out.PrivacyPolicy = *in.PrivacyPolicy
		}
	}
	if in.BusinessHours != nil {
		seen := map[int]bool{}
		hours := make([]BusinessHours, 0, len(*in.BusinessHours))
		for i, h := range *in.BusinessHours {
			field := fmt.Sprintf("business_hours[%d]", i)
			switch {
			case h.Weekday < 0 || h.Weekday > 6:
				c.Add(field+".weekday", "out_of_range", "weekday is 0 (Sunday) to 6 (Saturday)")
			case seen[h.Weekday]:
				c.Add(field+".weekday", "duplicate", "weekday listed twice")
			case !hourPattern.MatchString(h.Opens):
				c.Add(field+".opens", "invalid_format", "time must be HH:MM")
			case !hourPattern.MatchString(h.Closes) || h.Closes <= h.Opens:
				c.Add(field+".closes", "invalid_format", "closing time must be HH:MM after opening")
			default:
				seen[h.Weekday] = true
				hours = append(hours, h)
			}
		}
		out.BusinessHours = hours
	}
	return out, c.Err()
}
