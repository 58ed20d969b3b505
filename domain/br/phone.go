package br

import "strings"

// Phone is a valid Brazilian phone number: a DDD (area code) plus either a
// 9-digit mobile number starting with 9 or an 8-digit landline starting
// with 2-5. The zero value is the "absent" phone.
//
// Storing DDD and subscriber number separately (instead of a free-form
// string) is what lets the app send WhatsApp/SMS in E.164 while showing the
// familiar "(11) 98765-4321" to the workshop.
type Phone struct {
	ddd    string // two digits, always in validDDD
	number string // 9 digits starting with 9, or 8 digits starting with 2-5
}

// validDDD is indexed by area code. It is the ANATEL list of DDDs actually
// in use; codes such as 20, 23, 25, 26, 29, 30, 36, 39, 40, 50, 52, 56-60,
// 70, 72, 76, 78, 80 and 90 are not assigned, and rejecting them catches
// swapped or missing digits early.
var validDDD = func() (t [100]bool) {
	for _, d := range [...]int{
		11, 12, 13, 14, 15, 16, 17, 18, 19,
		21, 22, 24, 27, 28,
		31, 32, 33, 34, 35, 37, 38,
		41, 42, 43, 44, 45, 46, 47, 48, 49,
		51, 53, 54, 55,
		61, 62, 63, 64, 65, 66, 67, 68, 69,
		71, 73, 74, 75, 77, 79,
		81, 82, 83, 84, 85, 86, 87, 88, 89,
		91, 92, 93, 94, 95, 96, 97, 98, 99,
	} {
		t[d] = true
	}
	return t
}()

// ValidDDDs returns every valid DDD in ascending order (a fresh slice).
func ValidDDDs() []int {
	out := make([]int, 0, 67)
	for d, ok := range validDDD {
		if ok {
			out = append(out, d)
		}
	}
	return out
}

// ParsePhone parses a Brazilian phone number in any of the shapes people
// actually type or paste:
//
//	"+55 11 98765-4321", "+5511987654321"   international (E.164)
//	"55 11 3456 7890"                       country code without '+'
//	"(11) 98765-4321", "11987654321"        national
//	"011 98765-4321"                        trunk prefix 0
//	"0 21 11 98765-4321"                    trunk prefix 0 + carrier code
//
// Spaces, '-', '.', '(' and ')' are ignored; '+' is only allowed first.
// The shapes are told apart by digit count, which is unambiguous because no
// DDD starts with 0 and a national number has at most 11 digits: 10-11
// digits are national, 12-13 starting with 55 carry the country code,
// 11-12 starting with 0 carry the trunk prefix and 13-14 starting with 0
// also carry a 2-digit carrier selection code (CSP).
func ParsePhone(s string) (Phone, error) {
	return parsePhone(s, fieldPhone)
}

// ParseMobile is ParsePhone restricted to mobile numbers, e.g. for the
// WhatsApp contact of a customer. A valid landline is invalid_format.
func ParseMobile(s string) (Phone, error) {
	p, err := parsePhone(s, fieldPhone)
	if err != nil {
		return Phone{}, err
	}
	if !p.IsMobile() {
		return Phone{}, newError(fieldPhone, CodeInvalidFormat, "expected a mobile number (9 digits starting with 9), got a landline")
	}
	return p, nil
}

// ParseLandline is ParsePhone restricted to landlines (8 digits starting
// with 2-5). A valid mobile number is invalid_format.
func ParseLandline(s string) (Phone, error) {
	p, err := parsePhone(s, fieldPhone)
	if err != nil {
		return Phone{}, err
	}
	if p.IsMobile() {
		return Phone{}, newError(fieldPhone, CodeInvalidFormat, "expected a landline number (8 digits starting with 2-5), got a mobile number")
	}
	return p, nil
}

func parsePhone(s, field string) (Phone, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Phone{}, errRequired(field)
	}
	international := false
	if s[0] == '+' {
		international = true
		s = s[1:]
	}
	digits := make([]byte, 0, 14)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			digits = append(digits, c)
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
			// formatting, ignored
		default:
			return Phone{}, newError(field, CodeInvalidFormat, "phone must contain only digits, spaces, '-', '.', '(', ')' and a leading '+'")
		}
	}

	national, err := nationalNumber(string(digits), international, field)
	if err != nil {
		return Phone{}, err
	}

	ddd, number := national[:2], national[2:]
	if !validDDD[int(ddd[0]-'0')*10+int(ddd[1]-'0')] {
		return Phone{}, newError(field, CodeUnknownValue, "unknown DDD (area code)")
	}
	switch len(number) {
	case 9:
		if number[0] != '9' {
			return Phone{}, newError(field, CodeInvalidFormat, "9-digit numbers must be mobile numbers starting with 9")
		}
	case 8:
		switch {
		case number[0] >= '2' && number[0] <= '5':
			// landline
		case number[0] >= '6':
			// Mobiles got their ninth digit nationwide in 2016; an 8-digit
			// number starting with 6-9 is an outdated contact, not a
			// landline, and guessing the fix could message a stranger.
			return Phone{}, newError(field, CodeInvalidFormat, "8-digit numbers starting with 6-9 are outdated mobile numbers: add the leading 9")
		default:
			return Phone{}, newError(field, CodeInvalidFormat, "landline numbers must start with 2, 3, 4 or 5")
		}
	}
	return Phone{ddd: ddd, number: number}, nil
}

// nationalNumber strips country code, trunk prefix and carrier code and
// returns DDD + subscriber number (10 or 11 digits).
func nationalNumber(d string, international bool, field string) (string, error) {
	switch {
	case international:
		// A lone "+" or "+5" is too short to tell the country: let the length
		// check report it rather than claiming it is a foreign number.
		if len(d) >= 2 && !strings.HasPrefix(d, "55") {
			return "", newError(field, CodeInvalidFormat, "only Brazilian numbers (+55) are supported")
		}
		d = strings.TrimPrefix(d, "55")
	case strings.HasPrefix(d, "0"):
		d = d[1:] // trunk prefix
		if len(d) == 12 || len(d) == 13 {
			d = d[2:] // carrier selection code (CSP), e.g. 0 21 11 ...
		}
	case (len(d) == 12 || len(d) == 13) && strings.HasPrefix(d, "55"):
		d = d[2:] // country code typed without '+'
	}
	if len(d) != 10 && len(d) != 11 {
		return "", newError(field, CodeInvalidLength, "phone must have a 2-digit DDD followed by 8 or 9 digits")
	}
	return d, nil
}

// E164 returns the international form used by SMS/WhatsApp providers,
// e.g. "+5511987654321" ("" for the zero Phone).
func (p Phone) E164() string {
	if p.IsZero() {
		return ""
	}
	return "+55" + p.ddd + p.number
}

// String returns E164(), the canonical storage form.
func (p Phone) String() string { return p.E164() }

// IsMobile reports whether p is a mobile number (9 digits starting with 9).
func (p Phone) IsMobile() bool { return len(p.number) == 9 }

// DDD returns the area code, e.g. 11 (0 for the zero Phone).
func (p Phone) DDD() int {
	if p.IsZero() {
		return 0
	}
	return int(p.ddd[0]-'0')*10 + int(p.ddd[1]-'0')
}

// Formatted returns the national display form: "(11) 98765-4321" for
// mobiles, "(11) 3456-7890" for landlines, "" for the zero Phone.
func (p Phone) Formatted() string {
	if p.IsZero() {
		return ""
	}
	split := len(p.number) - 4
	return "(" + p.ddd + ") " + p.number[:split] + "-" + p.number[split:]
}

// IsZero reports whether p is the zero (absent) Phone.
func (p Phone) IsZero() bool { return p.number == "" }
