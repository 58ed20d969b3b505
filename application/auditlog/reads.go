package auditlog

import (
	"slices"

	"github.com/google/uuid"
)

// Reads gathers the fields a use case read, per person, in first-seen
// order. The zero value is empty and ready to use.
type Reads struct {
	order []uuid.UUID
	by    map[uuid.UUID][]string
}

// Add records that fields of subject were read; uuid.Nil or no fields add
// nothing.
func (r *Reads) Add(subject uuid.UUID, fields ...string) {
	if subject == uuid.Nil || len(fields) == 0 {
		return
	}
	if r.by == nil {
		r.by = map[uuid.UUID][]string{}
	}
	cur, seen := r.by[subject]
	if !seen {
		r.order = append(r.order, subject)
	}
	for _, f := range fields {
		if !slices.Contains(cur, f) {
			cur = append(cur, f)
		}
	}
	r.by[subject] = cur
}

// read is what one use case read of one person.
type read struct {
	subject uuid.UUID
	fields  []string
}

func (r *Reads) list() []read {
	out := make([]read, 0, len(r.order))
	for _, s := range r.order {
		out = append(out, read{subject: s, fields: r.by[s]})
	}
	return out
}

// Fields are the fields read of subject, in first-seen order.
func (r *Reads) Fields(subject uuid.UUID) []string { return r.by[subject] }
