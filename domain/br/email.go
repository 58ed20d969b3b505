package br

import (
	"net/mail"
	"strings"
)

// Email is a syntactically valid, normalised e-mail address (lower case, no
// display name). The zero value is the "absent" e-mail.
type Email struct {
	addr string
}

const (
	// maxEmailLen is the practical limit from RFC 5321 (a 256-octet path
	// minus the angle brackets); longer addresses cannot be delivered.
	maxEmailLen = 254
	// maxLocalLen is the RFC 5321 limit for the part before '@'.
	maxLocalLen = 64
	// maxLabelLen is the DNS limit for one domain label.
	maxLabelLen = 63
)

// ParseEmail trims and lower-cases s and checks it is a single bare address
// such as "joao@oficina.com.br".
//
// Syntax is delegated to net/mail.ParseAddress, then tightened for our use
// (addresses customers type into a workshop form, later used to send
// quotes and invoices):
//   - display names and angle brackets ("Bob <b@x.com>") are rejected, because
//     we store addresses, not headers;
//   - only ASCII is accepted: SMTPUTF8 is poorly supported by transactional
//     e-mail providers, and accented letters here are almost always typos
//     ("joão@...");
//   - the domain must be a DNS host name with at least one dot and a
//     non-numeric TLD (so "x@localhost", "x@10.0.0.1" or "x@[10.0.0.1]" are
//     refused);
//   - the whole address is at most 254 characters, the local part at most 64.
//
// Lower-casing the local part is technically lossy (RFC 5321 lets servers
// treat it case-sensitively) but no real provider does, and it prevents
// duplicate customers that differ only in case.
func ParseEmail(s string) (Email, error) {
	const field = fieldEmail
	s = strings.TrimSpace(s)
	if s == "" {
		return Email{}, errRequired(field)
	}
	if len(s) > maxEmailLen {
		return Email{}, newError(field, CodeInvalidLength, "e-mail must have at most 254 characters")
	}
	b := []byte(s)
	for i, c := range b {
		if c < 0x21 || c > 0x7e {
			return Email{}, newError(field, CodeInvalidFormat, "e-mail must contain only printable ASCII characters and no spaces")
		}
		b[i] = toLower(c)
	}
	s = string(b)

	a, err := mail.ParseAddress(s)
	if err != nil {
		return Email{}, newError(field, CodeInvalidFormat, "not a valid e-mail address")
	}
	if a.Name != "" || a.Address != s {
		// ParseAddress also accepts "Name <addr>", "<addr>", comments and
		// quoted local parts, which it unquotes; requiring the result to be
		// byte-identical to the input keeps only plain addr-specs.
		return Email{}, newError(field, CodeInvalidFormat, "e-mail must be a bare address without display name")
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], s[at+1:]
	if len(local) > maxLocalLen {
		return Email{}, newError(field, CodeInvalidLength, "e-mail local part must have at most 64 characters")
	}
	if !validHostname(domain) {
		return Email{}, newError(field, CodeInvalidFormat, "e-mail domain must be a host name with at least one dot")
	}
	return Email{addr: s}, nil
}

// validHostname checks a lower-case domain: at least two dot-separated
// labels of 1-63 letters, digits or hyphens, not starting or ending with a
// hyphen (RFC 1123), which is stricter than the atoms net/mail allows. The
// top-level label must not be all digits (RFC 3696), which also rules out
// bare IPv4 addresses such as "a@192.168.0.1".
func validHostname(d string) bool {
	dot := strings.LastIndexByte(d, '.')
	if dot < 0 || allDigits(d[dot+1:]) {
		return false
	}
	for label := range strings.SplitSeq(d, ".") {
		if len(label) == 0 || len(label) > maxLabelLen || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !isDigit(c) && !isLower(c) && c != '-' {
				return false
			}
		}
	}
	return true
}

// String returns the normalised address, e.g. "joao@oficina.com.br".
func (e Email) String() string { return e.addr }

// IsZero reports whether e is the zero (absent) Email.
func (e Email) IsZero() bool { return e.addr == "" }
