package workshop

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/torquehq/torque/domain/errs"
)

// Slug is a workshop's unique, URL-safe name.
type Slug struct{ s string }

var slugPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`)

// reservedSlugs would collide with Torque's own paths or mislead customers.
var reservedSlugs = map[string]bool{
	"admin": true, "api": true, "app": true, "assets": true, "auth": true, "billing": true, "blog": true,
	"dashboard": true, "docs": true, "help": true, "login": true, "logout": true, "mail": true, "me": true,
	"metrics": true, "new": true, "portal": true, "recovery": true, "root": true, "settings": true,
	"signup": true, "static": true, "status": true, "support": true, "system": true, "torque": true,
	"verification": true, "www": true, "healthz": true, "readyz": true, "franchise": true, "franchises": true,
	"workshop": true, "workshops": true, "oficina": true, "suporte": true, "ajuda": true, "null": true, "undefined": true,
}

// Slug error codes.
const (
	CodeReserved = "reserved"
	CodeTooShort = "too_short"
	CodeTooLong  = "too_long"
)

// ParseSlug checks the slug rules: lower case, 3–40 of [a-z0-9-], no hyphen
// at either end or doubled, not a reserved word.
func ParseSlug(s string) (Slug, error) {
	switch {
	case s == "":
		return Slug{}, errs.Invalid("slug", "required", "slug is required")
	case len(s) < 3:
		return Slug{}, errs.Invalid("slug", CodeTooShort, "slug must have at least 3 characters")
	case len(s) > 40:
		return Slug{}, errs.Invalid("slug", CodeTooLong, "slug must have at most 40 characters")
	case !slugPattern.MatchString(s) || strings.Contains(s, "--"):
		return Slug{}, errs.Invalid("slug", "invalid_format", "slug may hold only a-z, 0-9 and single hyphens inside")
	case reservedSlugs[s]:
		return Slug{}, errs.Invalid("slug", CodeReserved, "this slug is reserved")
	}
	return Slug{s}, nil
}

// String returns the slug.
func (s Slug) String() string { return s.s }

// Plan is the subscription plan.
type Plan struct{ s string }

// Plans.
var (
	PlanBasic     = Plan{"basic"}
	PlanPro       = Plan{"pro"}
	PlanFranchise = Plan{"franchise"}
)

// ParsePlan parses basic, pro or franchise.
func ParsePlan(s string) (Plan, error) {
	for _, p := range []Plan{PlanBasic, PlanPro, PlanFranchise} {
		if p.s == s {
			return p, nil
		}
	}
	return Plan{}, errs.Invalid("plan", "unknown_value", "plan must be basic, pro or franchise")
}

// String returns the plan name.
func (p Plan) String() string { return p.s }

// Status is the subscription status of a workshop.
type Status struct{ s string }

// Statuses.
var (
	StatusTrialing  = Status{"trialing"}
	StatusActive    = Status{"active"}
	StatusPastDue   = Status{"past_due"}
	StatusCanceled  = Status{"canceled"}
	StatusSuspended = Status{"suspended"}
)

// ParseStatus parses a status name.
func ParseStatus(s string) (Status, error) {
	for _, st := range []Status{StatusTrialing, StatusActive, StatusPastDue, StatusCanceled, StatusSuspended} {
		if st.s == s {
			return st, nil
		}
	}
	return Status{}, errs.Invalid("status", "unknown_value", "unknown workshop status")
}

// String returns the status name.
func (s Status) String() string { return s.s }

// Writable reports whether a workshop in this status may change data. A
// canceled or suspended workshop can still read and export.
func (s Status) Writable() bool { return s != StatusCanceled && s != StatusSuspended }

// Role is a staff member's role in the workshop.
type Role struct{ s string }

// Roles.
var (
	RoleOwner    = Role{"owner"}
	RoleManager  = Role{"manager"}
	RoleAdvisor  = Role{"advisor"}
	RoleMechanic = Role{"mechanic"}
)

// ParseRole parses a staff role.
func ParseRole(s string) (Role, error) {
	for _, r := range []Role{RoleOwner, RoleManager, RoleAdvisor, RoleMechanic} {
		if r.s == s {
			return r, nil
		}
	}
	return Role{}, errs.Invalid("role", "unknown_value", "role must be owner, manager, advisor or mechanic")
}

// String returns the role name.
func (r Role) String() string { return r.s }

// DefaultTimeZone is where most workshops are.
const DefaultTimeZone = "America/Sao_Paulo"

// ParseTimeZone accepts an IANA zone name.
func ParseTimeZone(s string) (string, error) {
	if s == "" {
		return DefaultTimeZone, nil
	}
	if _, err := time.LoadLocation(s); err != nil || s == "Local" {
		return "", errs.Invalid("time_zone", "unknown_value", "time zone must be an IANA name such as America/Sao_Paulo")
	}
	return s, nil
}

func cleanName(field, s string, max int, c *errs.Collector) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		c.Add(field, "required", field+" is required")
	case utf8.RuneCountInString(s) > max:
		c.Add(field, CodeTooLong, field+" is too long")
	case strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		c.Add(field, "invalid_format", field+" must not contain control characters")
	}
	return s
}
